// The admin API for stories, as a script would use it: tokens with roles, JSON in and out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyBody } from '../../test/helpers/fixtures.ts';

let t: TestApp;
const token: Record<string, string> = {};

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  for (const role of ['administrator', 'editor', 'author', 'contributor', 'moderator']) {
    token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
  }
});
after(() => t.close());

const api = (role: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/admin/v1${url}`, payload: payload as object, headers: role ? { authorization: `Bearer ${token[role]}` } : {} });

const newStory = { headline: 'Ferry service resumes', section: 'national', body: storyBody(6), authors: ['ada-reporter'], topics: ['Transport'] };

test('create, change, publish: each answer carries the story with its id, version and public url', async () => {
  const created = await api('editor', 'POST', '/articles', newStory);
  assert.equal(created.statusCode, 201);
  const { article } = created.json() as { article: { id: number; url: string; status: string; version: number; slug: string } };
  assert.equal(article.status, 'draft');
  assert.equal(article.url, `http://news.test/national/${article.slug}`);
  assert.equal(created.headers['cache-control'], 'private, no-store');

  const patched = await api('editor', 'PATCH', `/articles/${article.id}`, { dek: 'Crossings restart on Monday.', version: article.version });
  assert.equal(patched.statusCode, 200);
  const after = patched.json().article as { dek: string; headline: string; version: number };
  assert.equal(after.dek, 'Crossings restart on Monday.');
  assert.equal(after.headline, 'Ferry service resumes', 'fields not named stay as they were');

  const published = await api('editor', 'POST', `/articles/${article.id}/publish`, { version: after.version });
  assert.equal(published.json().article.status, 'published');
  assert.equal((await t.app.inject(`/national/${article.slug}`)).statusCode, 200);

  const corrected = await api('editor', 'POST', `/articles/${article.id}/corrections`, { text: 'An earlier version gave the wrong day.' });
  assert.equal(corrected.json().article.corrections.length, 1);
  const gone = await api('editor', 'POST', `/articles/${article.id}/unpublish`, {});
  assert.equal(gone.json().article.status, 'unpublished');
  assert.equal((await t.app.inject(`/national/${article.slug}`)).statusCode, 410);
});

test('schedule: embargoed until its time', async () => {
  const { article } = (await api('editor', 'POST', '/articles', { ...newStory, headline: 'Budget embargoed' })).json() as { article: { id: number; slug: string } };
  const at = new Date(Date.now() + 3600_000).toISOString();
  const blind = await api('editor', 'POST', `/articles/${article.id}/schedule`, { at });
  assert.deepEqual([blind.statusCode, blind.json().errors[0].field], [400, 'version'], 'a schedule names the version it was read at');
  const scheduled = await api('editor', 'POST', `/articles/${article.id}/schedule`, { at, version: 1 });
  assert.equal(scheduled.statusCode, 200);
  assert.equal(scheduled.json().article.status, 'scheduled');
  assert.equal((await t.app.inject(`/national/${article.slug}`)).statusCode, 404);
  assert.equal((await api('editor', 'POST', `/articles/${article.id}/publish`, {})).statusCode, 400, 'so does a publish');
  const past = await api('editor', 'POST', `/articles/${article.id}/schedule`, { at: '2001-01-01T00:00:00Z', version: 2 });
  assert.equal(past.statusCode, 400);
});

test('bad input gets 400 with a message per problem, and writes nothing', async () => {
  const cases: [unknown, RegExp][] = [
    [{ ...newStory, headline: '' }, /headline/],
    [{ ...newStory, section: 'sport' }, /Unknown section/],
    [{ ...newStory, body: { type: 'doc', content: [{ type: 'iframe' }] } }, /unknown block type/],
    [{ ...newStory, body: 'not json' }, /ProseMirror document/],
    [{ ...newStory, surprise: true }, /Unknown field "surprise"/],
    [{ ...newStory, body: { type: 'doc', content: Array.from({ length: 2001 }, () => ({ type: 'paragraph' })) } }, /limit is 2000/],
  ];
  const before = await t.services.articles.countPublished({});
  for (const [payload, message] of cases) {
    const res = await api('editor', 'POST', '/articles', payload);
    assert.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80));
    const { errors } = res.json() as { errors: { message: string }[] };
    assert.ok(errors.some((e) => message.test(e.message)), JSON.stringify(errors));
  }
  const malformed = await t.app.inject({ method: 'POST', url: '/api/admin/v1/articles', payload: '{"headline":', headers: { authorization: `Bearer ${token.editor}`, 'content-type': 'application/json' } });
  assert.equal(malformed.statusCode, 400);
  assert.ok(Array.isArray(malformed.json().errors));
  // A request body past the server's limit (1 MB) is refused before it is parsed, in the same shape.
  const huge = await api('editor', 'POST', '/articles', { ...newStory, dek: 'x'.repeat(1_100_000) });
  assert.equal(huge.statusCode, 413);
  assert.equal((huge.json() as { errors: { code: string }[] }).errors[0]!.code, 'too_large');
  assert.match((huge.json() as { errors: { message: string }[] }).errors[0]!.message, /too large/i);
  assert.equal(await t.services.articles.countPublished({}), before);
});

test('a slug another story in the section uses is refused with 409; the same slug in another section is fine', async () => {
  const first = await api('editor', 'POST', '/articles', { ...newStory, headline: 'Quay wall repaired', slug: 'quay-wall' });
  assert.equal(first.statusCode, 201, first.body);
  const again = await api('editor', 'POST', '/articles', { ...newStory, headline: 'Quay wall, again', slug: 'quay-wall' });
  assert.equal(again.statusCode, 409);
  assert.deepEqual((again.json() as { errors: { field: string; code: string }[] }).errors.map((e) => [e.code, e.field]), [['conflict', 'slug']]);
  const elsewhere = await api('editor', 'POST', '/articles', { ...newStory, section: 'world', headline: 'Quay wall abroad', slug: 'quay-wall' });
  assert.equal(elsewhere.statusCode, 201, elsewhere.body);
});

test('a change based on an old version is refused with 409 and the story is untouched', async () => {
  const { article } = (await api('editor', 'POST', '/articles', { ...newStory, headline: 'Versioned story' })).json() as { article: { id: number; version: number } };
  await api('editor', 'PATCH', `/articles/${article.id}`, { dek: 'First edit', version: article.version });
  const stale = await api('editor', 'PATCH', `/articles/${article.id}`, { dek: 'Stale edit', version: article.version });
  assert.equal(stale.statusCode, 409);
  assert.equal((await api('editor', 'GET', `/articles/${article.id}`)).json().article.dek, 'First edit');
});

test('who may not: anonymous, moderators, authors publishing, and others’ stories', async () => {
  const anonymous = await api(null, 'POST', '/articles', newStory);
  assert.deepEqual([anonymous.statusCode, anonymous.json().errors[0].code], [401, 'unauthorized']);
  const moderator = await api('moderator', 'POST', '/articles', newStory);
  assert.deepEqual([moderator.statusCode, moderator.json().errors[0].code], [403, 'forbidden']);
  const own = (await api('author', 'POST', '/articles', { ...newStory, headline: 'Token story' })).json().article as { id: number };
  // A token is not a person, so it owns nothing: an author token cannot reopen what it created.
  assert.equal((await api('author', 'GET', `/articles/${own.id}`)).statusCode, 404);
  assert.equal((await api('author', 'POST', `/articles/${own.id}/publish`, {})).statusCode, 403);
  assert.equal((await api('contributor', 'POST', '/sections', { name: 'Sport' })).statusCode, 403);
  const section = await api('editor', 'POST', '/sections', { name: 'Sport' });
  assert.equal(section.statusCode, 201);
  assert.equal(section.json().section.slug, 'sport');
  assert.equal((await api('editor', 'POST', '/sections', { name: 'Sport' })).statusCode, 409);
});

test('the OpenAPI description lists the admin API, generated from the route schemas', async () => {
  const json = await t.app.inject('/api/docs/json');
  assert.equal(json.statusCode, 200);
  const spec = json.json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
  assert.equal(spec.openapi, '3.1.0');
  assert.ok(spec.paths['/api/admin/v1/articles']?.post?.requestBody);
  assert.ok(spec.paths['/api/admin/v1/articles/{id}/schedule']?.post);
  // The public Content API (/api/v1) is described beside it (src/content-api/content-api.test.ts).
  assert.ok(!Object.keys(spec.paths).some((p) => !p.startsWith('/api/admin/v1/') && !p.startsWith('/api/v1/')), 'reader and newsroom pages are not part of it');
  const page = await t.app.inject('/api/docs');
  assert.match(page.body, /<code>POST<\/code><\/td><td><code>\/api\/admin\/v1\/articles<\/code>/);
});

test('publishing, corrections and unpublishing are written to the audit log, with who did them', async () => {
  const { article } = (await api('editor', 'POST', '/articles', { ...newStory, headline: 'Audited story' })).json() as { article: { id: number } };
  await api('editor', 'POST', `/articles/${article.id}/publish`, { version: 1 });
  await api('editor', 'POST', `/articles/${article.id}/corrections`, { text: 'A name was misspelled.' });
  // A change to the live story through the API is audited too.
  assert.equal((await api('editor', 'PATCH', `/articles/${article.id}`, { dek: 'Now with the council’s answer.' })).statusCode, 200);
  await api('editor', 'POST', `/articles/${article.id}/unpublish`, {});
  // …while a change to a story readers cannot see is not a change to what readers see.
  await api('editor', 'PATCH', `/articles/${article.id}`, { dek: 'Kept back.' });
  const entries = (await t.services.audit.recent(20)).filter((e) => e.target === `article:${article.id}`);
  assert.deepEqual(entries.map((e) => e.action).reverse(), ['story.publish', 'story.correct', 'story.update', 'story.unpublish']);
  assert.match(entries.find((e) => e.action === 'story.update')!.actor, /^token:\d+ editor bot$/);
  assert.match(entries[0]!.actor, /^token:\d+ editor bot$/);
  assert.deepEqual(entries.at(-1)!.detail.from, 'draft');
  assert.deepEqual(entries.at(-1)!.detail.to, 'published');
});
