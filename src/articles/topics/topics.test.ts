// Topic pages and the topics index for readers; the newsroom's topic screen (description, kind,
// other spellings) with its bad inputs and who may not use it; what each change drops from the cache.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../../test/helpers/fixtures.ts';
import { staff } from '../../../test/helpers/newsroom.ts';

let t: TestApp;

before(async () => {
  // No background jobs: a job finishing (related stories, suggestions) records changes of its own,
  // and could drop the cached topic page between the two requests that check it is kept.
  t = await buildTestApp({}, { runJobs: false });
  await seedBasics(t.services);
  for (let i = 1; i <= 23; i++) await t.services.articles.save(storyInput({ headline: `Flood barrier story ${i}`, topicNames: ['Flooding', ...(i === 1 ? ['Harlow Bay'] : [])] }));
  await t.services.articles.save(storyInput({ headline: 'Volodymyr Zelenskyy in Ottawa', topicNames: ['Volodymyr Zelenskyy'] }));
  await t.services.articles.save(storyInput({ headline: 'A draft about a scoop', status: 'draft', publishedAt: null, topicNames: ['Secret Scoop'] }));
});
after(() => t.close());

test('the topics index lists topics readers can see, by kind, with their counts; a topic page pages its stories', async () => {
  const index = await t.app.inject('/topics');
  assert.equal(index.statusCode, 200);
  assert.match(index.body, /<a href="\/topic\/flooding">Flooding<\/a> <span class="muted">\(23 stories\)<\/span>/);
  assert.match(index.body, /Harlow Bay<\/a> <span class="muted">\(1 story\)/);
  assert.doesNotMatch(index.body, /Secret Scoop/, 'a topic only a draft carries is not public');
  assert.match((await t.app.inject('/topic/flooding')).body, /Stories about Flooding\./);
  const second = await t.app.inject('/topic/flooding?page=2');
  assert.equal(second.statusCode, 200);
  assert.match(second.body, /Flood barrier story [1-3]</);
  assert.equal((await t.app.inject('/topic/flooding?page=3')).statusCode, 404);
});

test('an editor writes a description, a kind and other spellings; the topic page and the index follow at once', async () => {
  const { browser } = await staff(t, 'editor');
  await t.app.inject('/topic/volodymyr-zelenskyy');
  await t.app.inject('/topics');
  assert.equal((await t.app.inject('/topic/volodymyr-zelenskyy')).headers['x-cache'], 'HIT');
  assert.match((await browser.get('/newsroom/topics')).body, /href="\/newsroom\/topics\/volodymyr-zelenskyy">Volodymyr Zelenskyy</);
  await browser.get('/newsroom/topics/volodymyr-zelenskyy');
  const saved = await browser.post('/newsroom/topics/volodymyr-zelenskyy', { description: 'The president of Ukraine since 2019.', kind: 'person', aliases: 'Zelensky, Zelenskiy' });
  assert.equal(saved.statusCode, 303);
  const page = await t.app.inject('/topic/volodymyr-zelenskyy');
  assert.notEqual(page.headers['x-cache'], 'HIT');
  assert.match(page.body, /The president of Ukraine since 2019\./);
  assert.match((await t.app.inject('/topics')).body, /<h2 id="topics-person">People<\/h2>[\s\S]*Volodymyr Zelenskyy/);
  const topic = (await t.services.topics.bySlug('volodymyr-zelenskyy'))!;
  // "Zelenskiy" is a spelling of "Zelensky" (one key, topic-names.ts): kept once, as first given.
  assert.deepEqual(topic.aliases, ['Zelensky']);
  const tagged = await t.services.articles.save(storyInput({ headline: 'Zelensky speaks', topicNames: ['Zelenskiy'] }));
  assert.deepEqual(tagged.topics.map((x) => x.id), [topic.id]);
});

test('bad topic edits come back with the form and a sentence, and change nothing', async () => {
  const { browser } = await staff(t, 'editor');
  await browser.get('/newsroom/topics/flooding');
  const cases: [Record<string, string>, RegExp][] = [
    [{ description: 'x'.repeat(1001), kind: 'subject', aliases: '' }, /at most 1000 characters/],
    [{ description: '', kind: 'planet', aliases: '' }, /The kind is one of person, place, organization, subject/],
    [{ description: '', kind: 'subject', aliases: 'Zelensky' }, /“Zelensky” already names the topic Volodymyr Zelenskyy/],
    [{ description: '', kind: 'subject', aliases: '!!!' }, /with letters or digits/],
  ];
  for (const [form, message] of cases) {
    const res = await browser.post('/newsroom/topics/flooding', form);
    assert.equal(res.statusCode, 400, JSON.stringify(form));
    assert.match(res.body, message);
    assert.match(res.body, /<form class="stack" method="post" action="\/newsroom\/topics\/flooding"/);
  }
  const flooding = (await t.services.topics.bySlug('flooding'))!;
  assert.equal(flooding.description, '');
  assert.equal(flooding.kind, 'subject');
  assert.deepEqual(flooding.aliases, []);
  assert.equal((await browser.get('/newsroom/topics/no-such-topic')).statusCode, 404);
  assert.equal((await browser.post('/newsroom/topics/no-such-topic', { description: 'x' })).statusCode, 404);
});

test('only editors and administrators change topics', async () => {
  for (const role of ['author', 'contributor', 'moderator'] as const) {
    const { browser } = await staff(t, role);
    assert.equal((await browser.get('/newsroom/topics')).statusCode, 403, role);
    assert.equal((await browser.post('/newsroom/topics/flooding', { description: 'mine now' })).statusCode, 403, role);
  }
  const { browser } = await staff(t, 'administrator');
  assert.equal((await browser.get('/newsroom/topics/flooding')).statusCode, 200);
  assert.equal((await t.services.topics.bySlug('flooding'))!.description, '');
});
