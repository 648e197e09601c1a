// Nothing private leaves the Content API. A site holds every kind of secret the newsroom keeps —
// staff emails, a draft, a story scheduled for later, a story taken down, a working copy of a
// published story, its earlier revisions, a commenter's email — and this test walks every
// endpoint the OpenAPI description lists (with every id and slug that exists, readers' or not)
// and every address the answers link to, and finds none of them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { staff } from '../../test/helpers/newsroom.ts';

let now = new Date('2026-11-20T12:00:00Z');
let t: TestApp;
const SECRETS = ['Draft scoop headline', 'Embargoed merger headline', 'Withdrawn story headline', 'Working copy headline', 'Earlier revision headline', 'commenter.private@example.org', 'Secret Draft Topic', 'Embargo Topic'];
const ids: number[] = [];
const slugs = new Set<string>();
let staffEmails: string[] = [];

before(async () => {
  t = await buildTestApp({}, { clock: { now: () => now } });
  await seedBasics(t.services);
  staffEmails = [(await staff(t, 'administrator')).email, (await staff(t, 'author')).email];
  const live = await t.services.articles.save(storyInput({ headline: 'Earlier revision headline', publishedAt: '2026-11-20T08:00:00.000Z', topicNames: ['Flooding'] }));
  const renamed = await t.services.articles.save(storyInput({ headline: 'The public headline', publishedAt: live.publishedAt, topicNames: ['Flooding'] }), { id: live.id, expectedVersion: live.version });
  await t.services.articles.saveWorkingCopy(live.id, storyInput({ headline: 'Working copy headline', topicNames: ['Flooding'] }), renamed.version);
  const draft = await t.services.articles.save(storyInput({ headline: 'Draft scoop headline', status: 'draft', topicNames: ['Secret Draft Topic'] }));
  const scheduled = await t.services.articles.save(storyInput({ headline: 'Embargoed merger headline', status: 'scheduled', publishedAt: '2026-11-21T09:00:00.000Z', topicNames: ['Embargo Topic'] }));
  const withdrawn = await t.services.articles.save(storyInput({ headline: 'Withdrawn story headline', publishedAt: '2026-11-20T07:00:00.000Z' }));
  await t.services.articles.unpublish(withdrawn.id, withdrawn.version);
  const token = await t.services.comments.comments.formToken(live.id);
  now = new Date('2026-11-20T12:00:30Z'); // a comment form filled in faster than a person could is refused
  const posted = await t.services.comments.comments.post({ articleId: live.id, parentId: null, text: 'A reader’s considered view on the barrier.', authorName: 'Pat', email: 'commenter.private@example.org', url: '', token, honeypot: '' }, '192.0.2.10');
  assert.equal(posted.kind, 'stored');
  for (const story of [live, draft, scheduled, withdrawn]) {
    ids.push(story.id);
    slugs.add(story.slug);
  }
  for (const slug of ['national', 'world', 'ada-reporter', 'ben-writer', 'flooding', 'secret-draft-topic', 'embargo-topic', 'earlier-revision-headline']) slugs.add(slug);
});
after(() => t.close());

test('no endpoint, with any id or slug, nor any address an answer links to, shows anything private', async () => {
  const spec = JSON.parse((await t.app.inject('/api/docs/json')).body) as { paths: Record<string, unknown> };
  const templates = Object.keys(spec.paths).filter((path) => path.startsWith('/api/v1/'));
  assert.ok(templates.length >= 9);
  const queue = new Set<string>();
  for (const template of templates) {
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    let urls = [template];
    for (const name of names) urls = urls.flatMap((url) => (name === 'id' ? ids.map(String) : [...slugs]).map((value) => url.replace(`{${name}}`, value)));
    urls.forEach((url) => queue.add(url));
  }
  for (const filter of ['section=national', 'topic=flooding', 'topic=secret-draft-topic', 'topic=embargo-topic', 'author=ada-reporter', 'q=headline', 'q=merger', 'q=scoop', 'q=withdrawn', 'q=working', 'q=earlier', 'limit=1']) {
    queue.add(`/api/v1/stories?${filter}`);
  }
  const visited = new Set<string>();
  let answered = 0;
  for (const url of queue) {
    if (visited.has(url)) continue;
    visited.add(url);
    const response = await t.app.inject(url);
    assert.ok([200, 400, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
    for (const secret of [...SECRETS, ...staffEmails]) assert.ok(!response.body.includes(secret), `${url} shows “${secret}”`);
    assert.doesNotMatch(response.body, /"(status|version|email|ownerUserId|sourceKey|workingCopy|revisions?|seoTitle)"\s*:/, url);
    if (response.statusCode !== 200) continue;
    answered++;
    // Follow every API address the answer gives (next pages, stories, authors, topics).
    for (const match of response.body.matchAll(/"http:\/\/news\.test(\/api\/v1\/[^"]+)"/g)) queue.add(match[1]!);
  }
  assert.ok(answered >= 15, `walked ${answered} answers`);
  for (const id of ids.slice(1)) assert.equal((await t.app.inject(`/api/v1/stories/${id}`)).statusCode, 404, 'draft, scheduled and withdrawn stories do not exist here');
  const story = JSON.parse((await t.app.inject(`/api/v1/stories/${ids[0]}`)).body) as { headline: string };
  assert.equal(story.headline, 'The public headline', 'the published text, not the working copy nor a revision');
  for (const slug of ['secret-draft-topic', 'embargo-topic']) assert.equal((await t.app.inject(`/api/v1/topics/${slug}`)).statusCode, 404, slug);
});
