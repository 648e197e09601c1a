// GET /api/admin/v1/articles: filters, cursor paging, bad parameters and who may not list, on the
// real app (SQLite, or PostgreSQL with TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';

let t: TestApp;
let current = new Date('2026-05-01T09:00:00.000Z');
const clock = { now: () => new Date(current) };
const tick = () => (current = new Date(current.getTime() + 60_000));
const token: Record<string, string> = {};
const ids: Record<string, number> = {};

before(async () => {
  t = await buildTestApp({}, { clock });
  await seedBasics(t.services);
  for (const role of ['administrator', 'editor', 'author', 'contributor', 'moderator']) {
    token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
  }
  const save = async (key: string, input: Parameters<typeof storyInput>[0]) => {
    tick();
    ids[key] = (await t.services.articles.save(storyInput(input))).id;
  };
  await save('ferry', { headline: 'Ferry service resumes', topicNames: ['Transport'] });
  await save('budget', { headline: 'Budget vote delayed', status: 'draft', publishedAt: null, sectionSlug: 'world', authorSlugs: ['ben-writer'], topicNames: ['Budget'] });
  await save('bridge', { headline: 'Bridge repairs begin', dek: 'Traffic moves to the ferry.', status: 'ready', publishedAt: null, topicNames: ['Transport'] });
  await save('embargo', { headline: 'Embargoed report', status: 'scheduled', publishedAt: '2026-06-01T00:00:00.000Z', sectionSlug: 'world' });
  await save('harbour', { headline: 'Harbour dredging approved', authorSlugs: ['ada-reporter', 'ben-writer'] });
});
after(() => t.close());

const list = (query = '', role: string | null = 'editor') =>
  t.app.inject({ method: 'GET', url: `/api/admin/v1/articles${query}`, headers: role ? { authorization: `Bearer ${token[role]}` } : {} });
const keys = async (query: string) => {
  const res = await list(query);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { articles: { id: number }[] }).articles.map((a) => Object.keys(ids).find((k) => ids[k] === a.id));
};

test('every story in any status, newest change first, with what a script needs to pick one', async () => {
  assert.deepEqual(await keys(''), ['harbour', 'embargo', 'bridge', 'budget', 'ferry']);
  const res = await list('?limit=1');
  assert.equal(res.headers['cache-control'], 'private, no-store');
  const [story] = (res.json() as { articles: Record<string, unknown>[] }).articles;
  assert.deepEqual(Object.keys(story!).sort(), ['dek', 'headline', 'id', 'publishedAt', 'section', 'slug', 'status', 'updatedAt', 'url', 'version']);
  assert.equal(story!.url, 'http://news.test/national/harbour-dredging-approved');
  assert.deepEqual(story!.section, { slug: 'national', name: 'National' });
});

test('filters by status, section, author, topic, text and change time, alone and together', async () => {
  assert.deepEqual(await keys('?status=published'), ['harbour', 'ferry']);
  assert.deepEqual(await keys('?status=scheduled'), ['embargo']);
  assert.deepEqual(await keys('?section=world'), ['embargo', 'budget']);
  assert.deepEqual(await keys('?author=ben-writer'), ['harbour', 'budget']);
  assert.deepEqual(await keys('?topic=transport'), ['bridge', 'ferry']);
  assert.deepEqual(await keys('?q=FERRY'), ['bridge', 'ferry'], 'headline or dek, any case');
  assert.deepEqual(await keys('?q=100%25'), [], 'a % is a character, not a wildcard');
  assert.deepEqual(await keys(`?updatedSince=${encodeURIComponent('2026-05-01T09:04:00Z')}`), ['harbour', 'embargo']);
  assert.deepEqual(await keys(`?updatedSince=${encodeURIComponent('2026-05-01T11:04:00+02:00')}`), ['harbour', 'embargo'], 'any zone');
  assert.deepEqual(await keys('?topic=transport&status=ready&section=national&q=bridge'), ['bridge']);
  assert.deepEqual(await keys('?author=ben-writer&status=ready'), []);
});

test('cursor paging visits every story once, and a changed story moves to the front for the next sync', async () => {
  const seen: number[] = [];
  let cursor: string | null = '';
  let pages = 0;
  while (cursor !== null) {
    const res = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200);
    const body = res.json() as { articles: { id: number }[]; next: string | null };
    seen.push(...body.articles.map((a) => a.id));
    cursor = body.next;
    if (pages++ === 0) {
      // A story on a later page changes while the script pages: no page repeats anything.
      tick();
      await t.services.articles.save(storyInput({ headline: 'Ferry service resumes on Monday', topicNames: ['Transport'] }), { id: ids.ferry, expectedVersion: 1 });
    }
  }
  assert.equal(pages, 2, 'the moved story left the pages still to come');
  assert.equal(new Set(seen).size, seen.length, 'nothing twice');
  assert.deepEqual(seen, [ids.harbour, ids.embargo, ids.bridge, ids.budget]);
  assert.deepEqual(await keys(`?updatedSince=${encodeURIComponent(current.toISOString())}`), ['ferry']);
});

test('bad parameters are refused with 400 and the field at fault', async () => {
  const cases: [string, string][] = [
    ['?status=live', 'status'],
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=many', 'limit'],
    ['?updatedSince=yesterday', 'updatedSince'],
    ['?updatedSince=2026-05-01', 'updatedSince'],
    ['?cursor=not-a-cursor', 'cursor'],
    [`?cursor=${Buffer.from('["2026-01-01T00:00:00Z",-4]').toString('base64url')}`, 'cursor'],
    ['?section=sport', 'section'],
    ['?author=nobody', 'author'],
    ['?topic=unheard-of', 'topic'],
    ['?section=Not%20A%20Slug', 'section'],
    [`?q=${'x'.repeat(201)}`, 'q'],
    ['?q=', 'q'],
    ['?sort=headline', 'sort'],
  ];
  for (const [query, field] of cases) {
    const res = await list(query);
    assert.equal(res.statusCode, 400, query);
    const { errors } = res.json() as { errors: { code: string; field?: string; message: string }[] };
    assert.equal(errors[0]!.code, 'invalid_input', query);
    assert.ok(errors.some((e) => e.field === field), `${query}: ${JSON.stringify(errors)}`);
    assert.doesNotMatch(res.body, /select|sqlite|postgres|\.ts:\d+/i);
  }
  const several = (await list('?section=sport&topic=unheard-of')).json() as { errors: { field: string }[] };
  assert.deepEqual(several.errors.map((e) => e.field).sort(), ['section', 'topic'], 'every problem at once');
});

test('who may not list: no token, a moderator; tokens that edit only their own stories see none', async () => {
  assert.equal((await list('', null)).statusCode, 401);
  assert.equal((await list('', 'moderator')).statusCode, 403);
  for (const role of ['author', 'contributor']) {
    const res = await list('', role);
    assert.equal(res.statusCode, 200);
    assert.deepEqual((res.json() as { articles: unknown[] }).articles, [], `${role}: GET /articles/:id shows them none either`);
  }
  assert.equal(((await list('', 'administrator')).json() as { articles: unknown[] }).articles.length, 5);
});

test('the list is in the API description', async () => {
  const doc = (await t.app.inject('/api/docs/json')).json() as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
  const get = doc.paths['/api/admin/v1/articles']?.get;
  assert.ok(get, 'GET /api/admin/v1/articles is described');
  assert.deepEqual(get.parameters!.map((p) => p.name).sort(), ['author', 'cursor', 'limit', 'q', 'section', 'status', 'topic', 'updatedSince']);
});
