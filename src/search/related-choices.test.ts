// Editors' pins and exclusions of Related Articles, in the Admin API and the newsroom screen: what
// they change on the reader's page, bad inputs, and who may not (only editors and administrators).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { staff } from '../../test/helpers/newsroom.ts';
import { paragraph } from '../articles/body.ts';

let t: TestApp;
const token: Record<string, string> = {};
const ids: Record<string, number> = {};
const ROLES = ['administrator', 'editor', 'author', 'contributor', 'moderator'] as const;

const storyAbout = (headline: string, text: string, extra: Parameters<typeof storyInput>[0] = {}) =>
  storyInput({ headline, dek: '', topicNames: [], body: { type: 'doc', content: [paragraph(text)] }, ...extra });

async function drain(): Promise<void> {
  for (let round = 0; round < 20; round++) if ((await t.jobs.runDue()).length === 0) return;
}

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  for (const role of ROLES) token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
  const save = async (key: string, input: ReturnType<typeof storyInput>) => void (ids[key] = (await t.services.articles.save(input)).id);
  await save('ferry', storyAbout('Harbour ferry strike halts crossings', 'Ferry crews at the harbour walked out over pay, halting ferry crossings to the islands.', { topicNames: ['Ferries'] }));
  await save('talks', storyAbout('Ferry strike talks resume at the harbour', 'Talks between ferry crews and the harbour operator resumed as the ferry strike entered its third day.', { topicNames: ['Ferries'] }));
  await save('islands', storyAbout('Islanders stock up as ferry strike drags on', 'Island shops ran short as the ferry strike kept crossings from the harbour stopped.', { topicNames: ['Ferries'] }));
  await save('museum', storyAbout('Museum reopens its dinosaur hall', 'The natural history museum reopened its dinosaur hall after a two-year renovation.'));
  await save('draft', storyAbout('Ferry operator drafts new timetable', 'The ferry operator at the harbour drafted a timetable for after the strike.', { status: 'draft', publishedAt: null }));
  await drain();
});
after(() => t.close());

const api = (method: 'GET' | 'POST' | 'DELETE', url: string, role: string | null = 'editor', payload?: unknown) =>
  t.app.inject({ method, url: `/api/admin/v1/articles${url}`, headers: role ? { authorization: `Bearer ${token[role]}` } : {}, ...(payload !== undefined && { payload: payload as object }) });
type Reply = { related: { articleId: number; score: number; reason: { pinned: boolean; topics: string[]; terms: string[] } }[]; choices: { articleId: number; choice: string }[] };
const relatedOf = async (key: string) => {
  const res = await api('GET', `/${ids[key]}/related`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Reply;
};
const readerPage = async (key: string) => {
  const story = (await t.services.articles.findById(ids[key]!))!;
  return (await t.app.inject(`/${story.section.slug}/${story.slug}`)).body;
};

test('the API says why each story is listed: shared topics and words, and a score', async () => {
  const { related } = await relatedOf('ferry');
  assert.deepEqual(related.map((r) => r.articleId).sort(), [ids.talks, ids.islands].sort());
  for (const item of related) {
    assert.deepEqual(item.reason.topics, ['Ferries']);
    assert.ok(item.reason.terms.includes('ferry'), item.reason.terms.join());
    assert.ok(item.score > 0);
  }
});

test('a pinned story shows first on the reader page; an excluded one never; taking either back restores the ranking', async () => {
  let res = await api('POST', `/${ids.ferry}/related/choices`, 'editor', { relatedId: ids.museum, choice: 'pin' });
  assert.equal(res.statusCode, 200, res.body);
  let reply = res.json() as Reply;
  assert.equal(reply.related[0]!.articleId, ids.museum);
  assert.equal(reply.related[0]!.reason.pinned, true);
  assert.match(await readerPage('ferry'), /<section class="related"[\s\S]*Museum reopens its dinosaur hall[\s\S]*Ferry strike talks/);
  res = await api('POST', `/${ids.ferry}/related/choices`, 'administrator', { relatedId: ids.talks, choice: 'exclude' });
  reply = res.json() as Reply;
  assert.ok(!reply.related.some((r) => r.articleId === ids.talks));
  assert.doesNotMatch(await readerPage('ferry'), /Ferry strike talks resume/);
  assert.deepEqual(reply.choices.map((c) => [c.articleId, c.choice]), [[ids.museum, 'pin'], [ids.talks, 'exclude']]);
  for (const relatedId of [ids.museum, ids.talks]) assert.equal((await api('DELETE', `/${ids.ferry}/related/choices/${relatedId}`)).statusCode, 200);
  reply = await relatedOf('ferry');
  assert.deepEqual(reply.related.map((r) => r.articleId).sort(), [ids.talks, ids.islands].sort());
  assert.deepEqual(reply.choices, []);
  assert.doesNotMatch(await readerPage('ferry'), /Museum reopens/);
});

test('bad choices are refused with a sentence, and change nothing', async () => {
  const cases: [unknown, number, RegExp][] = [
    [{ relatedId: ids.ferry, choice: 'pin' }, 400, /itself/],
    [{ relatedId: ids.draft, choice: 'pin' }, 400, /not published/],
    [{ relatedId: 2_000_000, choice: 'pin' }, 400, /no story with id 2000000/],
    [{ relatedId: ids.talks, choice: 'feature' }, 400, /./],
    [{ relatedId: 0, choice: 'pin' }, 400, /./],
    [{ relatedId: 'talks', choice: 'pin' }, 400, /./],
    [{ choice: 'pin' }, 400, /./],
    [{ relatedId: ids.talks, choice: 'pin', extra: 1 }, 400, /./],
  ];
  for (const [body, status, message] of cases) {
    const res = await api('POST', `/${ids.ferry}/related/choices`, 'editor', body);
    assert.equal(res.statusCode, status, JSON.stringify(body));
    const { errors } = res.json() as { errors: { message: string }[] };
    assert.match(errors[0]!.message, message);
    assert.doesNotMatch(res.body, /at .*\.ts:\d+/);
  }
  assert.deepEqual((await relatedOf('ferry')).choices, []);
  assert.equal((await api('GET', '/999999/related')).statusCode, 404);
  assert.equal((await api('GET', '/9999999999/related')).statusCode, 404);
  assert.equal((await api('DELETE', `/${ids.ferry}/related/choices/${ids.talks}`)).statusCode, 404, 'nothing to take back');
});

test('only editors and administrators see or change the choices (API and newsroom)', async () => {
  for (const role of ['author', 'contributor', 'moderator']) {
    assert.equal((await api('GET', `/${ids.ferry}/related`, role)).statusCode, 403, role);
    assert.equal((await api('POST', `/${ids.ferry}/related/choices`, role, { relatedId: ids.museum, choice: 'pin' })).statusCode, 403, role);
    assert.equal((await api('DELETE', `/${ids.ferry}/related/choices/${ids.museum}`, role)).statusCode, 403, role);
    const { browser } = await staff(t, role as 'author');
    assert.equal((await browser.get(`/newsroom/stories/${ids.ferry}/related`)).statusCode, 403, role);
  }
  assert.equal((await api('GET', `/${ids.ferry}/related`, null)).statusCode, 401);
  assert.deepEqual((await relatedOf('ferry')).choices, []);
});

test('the newsroom screen explains the list, pins by address, refuses bad input with the form, and takes choices back', async () => {
  const { browser } = await staff(t, 'editor');
  const edit = await browser.get(`/newsroom/stories/${ids.ferry}/edit`);
  assert.match(edit.body, new RegExp(`href="/newsroom/stories/${ids.ferry}/related">Related Articles<`));
  let page = await browser.get(`/newsroom/stories/${ids.ferry}/related`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Ferry strike talks resume at the harbour/);
  assert.match(page.body, /Topics: Ferries\./);
  assert.match(page.body, /Words: [^<]*ferry/);
  const museum = (await t.services.articles.findById(ids.museum!))!;
  page = await browser.post(`/newsroom/stories/${ids.ferry}/related`, { story: `http://news.test/${museum.section.slug}/${museum.slug}`, choice: 'pin' });
  assert.equal(page.statusCode, 303);
  page = await browser.get(page.headers.location as string);
  assert.match(page.body, /Pinned: it shows first/);
  assert.match(page.body, /Pinned by an editor/);
  const refusals = [['', 'pin', /Give the number or the address/], ['/national/no-such-story', 'pin', /No published story has that address/], ['not a story', 'exclude', /Give a story number/], [String(ids.ferry), 'exclude', /itself/], [String(ids.draft), 'pin', /not published/], [String(ids.talks), 'promote', /pin or exclude/]] as const;
  for (const [story, choice, message] of refusals) {
    page = await browser.post(`/newsroom/stories/${ids.ferry}/related`, { story, choice });
    assert.equal(page.statusCode, 400, story);
    assert.match(page.body, message);
    assert.match(page.body, /<form class="stack" method="post"/, 'the form again');
  }
  page = await browser.post(`/newsroom/stories/${ids.ferry}/related/clear`, { relatedId: String(ids.museum) });
  assert.equal(page.statusCode, 303);
  assert.equal((await browser.post(`/newsroom/stories/${ids.ferry}/related/clear`, { relatedId: 'x' })).statusCode, 400);
  assert.deepEqual((await relatedOf('ferry')).choices, []);
});
