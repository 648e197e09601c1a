// The Content API: what each endpoint answers (checked against its own schema), filters, cursor
// paging that an insert cannot shift, bad parameters, conditional GET, cache policy and CORS,
// caching and invalidation, the rate limit on both the routed path and the fast path, and the
// OpenAPI description.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import type { Article } from '../articles/model.ts';
import { AuthorsPage, SectionsList, StoriesPage, StoryJson, TopicsPage } from './content-schemas.ts';

let now = new Date('2026-11-20T12:00:00Z');
let t: TestApp;
let first: Article;
let embargoed: Article;

before(async () => {
  t = await buildTestApp({}, { clock: { now: () => now } });
  await seedBasics(t.services);
  first = await t.services.articles.save(storyInput({ headline: 'Council approves flood barrier', publishedAt: '2026-11-20T08:00:00.000Z', topicNames: ['Flooding', 'Harlow Bay'], authorSlugs: ['ada-reporter', 'ben-writer'] }));
  for (let i = 1; i <= 4; i++) {
    await t.services.articles.save(storyInput({ headline: `Tide report ${i}`, publishedAt: `2026-11-20T0${i}:00:00.000Z`, sectionSlug: i % 2 ? 'world' : 'national', topicNames: [], authorSlugs: ['ben-writer'] }));
  }
  embargoed = await t.services.articles.save(storyInput({ headline: 'Embargoed budget', status: 'scheduled', publishedAt: '2026-11-20T13:00:00.000Z' }));
  await t.services.articles.save(storyInput({ headline: 'A draft', status: 'draft' }));
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
async function json<T = Record<string, unknown>>(url: string, schema?: TSchema): Promise<T> {
  const response = await get(url);
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
  const body = JSON.parse(response.body) as T;
  if (schema) assert.ok(Value.Check(schema, body), `${url} fits its schema: ${JSON.stringify([...Value.Errors(schema, body)].slice(0, 3))}`);
  return body;
}
const headlines = (page: { stories: { headline: string }[] }) => page.stories.map((s) => s.headline);

test('stories: published ones newest first, by section, topic and author; never a draft or a story before its time', async () => {
  const all = await json<{ stories: { headline: string }[]; next: string | null }>('/api/v1/stories', StoriesPage);
  assert.deepEqual(headlines(all), ['Council approves flood barrier', 'Tide report 4', 'Tide report 3', 'Tide report 2', 'Tide report 1']);
  assert.equal(all.next, null);
  assert.deepEqual(headlines(await json('/api/v1/stories?section=world', StoriesPage)), ['Tide report 3', 'Tide report 1']);
  assert.deepEqual(headlines(await json('/api/v1/stories?topic=harlow-bay', StoriesPage)), ['Council approves flood barrier']);
  assert.deepEqual(headlines(await json('/api/v1/stories?author=ada-reporter', StoriesPage)), ['Council approves flood barrier']);
  assert.deepEqual(headlines(await json('/api/v1/stories?author=ben-writer&section=national', StoriesPage)), ['Council approves flood barrier', 'Tide report 4', 'Tide report 2']);
  assert.equal((await get(`/api/v1/stories/${embargoed.id}`)).statusCode, 404);
  now = new Date('2026-11-20T13:00:01Z');
  await t.services.articles.publishScheduled({ articleId: embargoed.id, at: embargoed.publishedAt! });
  assert.equal(headlines(await json('/api/v1/stories', StoriesPage))[0], 'Embargoed budget', 'listed once its time has come');
  assert.equal((await get(`/api/v1/stories/${embargoed.id}`)).statusCode, 200);
});

test('cursor paging: next links walk every story once, and a story published meanwhile does not shift the pages', async () => {
  now = new Date('2026-11-20T14:00:00Z');
  const seen: string[] = [];
  let url: string | null = '/api/v1/stories?limit=2';
  let pages = 0;
  while (url) {
    const page: { stories: { headline: string }[]; next: string | null } = await json(url.replace(t.config.siteUrl, ''), StoriesPage);
    seen.push(...headlines(page));
    if (pages++ === 0) await t.services.articles.save(storyInput({ headline: 'Published while paging', publishedAt: '2026-11-20T13:30:00.000Z' }));
    url = page.next;
    if (url) assert.match(url, /^http:\/\/news\.test\/api\/v1\/stories\?limit=2&cursor=[A-Za-z0-9_-]+$/);
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, ['Embargoed budget', 'Council approves flood barrier', 'Tide report 4', 'Tide report 3', 'Tide report 2', 'Tide report 1']);
  assert.equal((await json<{ stories: unknown[] }>('/api/v1/stories?limit=100')).stories.length, 7);
  assert.equal((await json<{ stories: unknown[] }>('/api/v1/stories')).stories.length, 7, 'default 20');
});

test('one story, by id and by its address: body as ProseMirror JSON and as HTML, bylines, topics, credit, corrections', async () => {
  const fixed = await t.services.articles.addCorrection(first.id, 'An earlier version misspelled the council’s name.', first.version);
  const byId = await json<Record<string, unknown>>(`/api/v1/stories/${first.id}`, StoryJson);
  const byAddress = await json(`/api/v1/sections/national/stories/${first.slug}`, StoryJson);
  assert.deepEqual(byAddress, byId);
  assert.deepEqual(byId.body, fixed.body);
  assert.match(String(byId.html), /^<p>Paragraph 1 of the story/);
  assert.match(String(byId.html), /Correction \(2026-11-20\):<\/strong> An earlier version misspelled/);
  assert.deepEqual(byId.authors, [
    { slug: 'ada-reporter', name: 'Ada Reporter', url: 'http://news.test/author/ada-reporter', api: 'http://news.test/api/v1/authors/ada-reporter' },
    { slug: 'ben-writer', name: 'Ben Writer', url: 'http://news.test/author/ben-writer', api: 'http://news.test/api/v1/authors/ben-writer' },
  ]);
  assert.deepEqual((byId.topics as { slug: string }[]).map((x) => x.slug), ['flooding', 'harlow-bay']);
  assert.deepEqual(byId.credit, { text: 'With files from Northwire.', contributors: [], agencies: ['Northwire'] });
  assert.equal(byId.url, `http://news.test/national/${first.slug}`);
  for (const url of ['/api/v1/stories/999999', '/api/v1/sections/world/stories/' + first.slug, '/api/v1/sections/national/stories/no-such-story']) {
    const response = await get(url);
    assert.equal(response.statusCode, 404, url);
    assert.equal(JSON.parse(response.body).errors[0].code, 'not_found');
  }
});

test('sections, topics and authors, with their own paging', async () => {
  const sections = await json<{ sections: { slug: string; stories: string }[] }>('/api/v1/sections', SectionsList);
  assert.deepEqual(sections.sections.map((s) => s.slug), ['national', 'world']);
  assert.equal(sections.sections[1]!.stories, 'http://news.test/api/v1/stories?section=world');
  assert.equal((await json<{ name: string }>('/api/v1/sections/world')).name, 'World');
  const topics = await json<{ topics: { slug: string }[]; next: string | null }>('/api/v1/topics?limit=1', TopicsPage);
  assert.deepEqual(topics.topics.map((x) => x.slug), ['flooding']);
  const rest = await json<{ topics: { slug: string }[]; next: string | null }>(topics.next!.replace(t.config.siteUrl, ''), TopicsPage);
  assert.deepEqual(rest.topics.map((x) => x.slug), ['harlow-bay']);
  assert.equal(rest.next, null);
  assert.equal((await json<{ name: string }>('/api/v1/topics/harlow-bay')).name, 'Harlow Bay');
  const authors = await json<{ authors: { slug: string; bio: string }[] }>('/api/v1/authors', AuthorsPage);
  assert.deepEqual(authors.authors.map((a) => [a.slug, a.bio]), [['ada-reporter', 'Covers city hall.'], ['ben-writer', '']]);
  for (const url of ['/api/v1/sections/sport', '/api/v1/topics/nothing', '/api/v1/authors/nobody']) assert.equal((await get(url)).statusCode, 404, url);
});

test('search: best match first, narrowed by section; paged by cursor', async () => {
  const found = await json<{ stories: { headline: string }[]; next: string | null }>('/api/v1/stories?q=tide%20report', StoriesPage);
  assert.equal(found.stories.length, 4);
  assert.ok(found.stories.every((s) => s.headline.startsWith('Tide report')));
  assert.deepEqual(headlines(await json('/api/v1/stories?q=tide&section=world', StoriesPage)).sort(), ['Tide report 1', 'Tide report 3']);
  const pageOne = await json<{ stories: { headline: string }[]; next: string | null }>('/api/v1/stories?q=tide&limit=3', StoriesPage);
  assert.equal(pageOne.stories.length, 3);
  const pageTwo = await json<{ stories: { headline: string }[]; next: string | null }>(pageOne.next!.replace(t.config.siteUrl, ''), StoriesPage);
  assert.equal(pageTwo.stories.length, 1);
  assert.equal(new Set([...headlines(pageOne), ...headlines(pageTwo)]).size, 4);
  assert.equal(pageTwo.next, null);
});

test('bad parameters are 400 with {errors} saying what is wrong; nothing is cached for them', async () => {
  const cases: [string, string][] = [
    ['/api/v1/stories?limit=0', 'limit'],
    ['/api/v1/stories?limit=101', 'limit'],
    ['/api/v1/stories?limit=ten', 'limit'],
    ['/api/v1/stories?cursor=bm9wZQ', 'cursor'],
    ['/api/v1/stories?section=sport', 'section'],
    ['/api/v1/stories?topic=nothing', 'topic'],
    ['/api/v1/stories?author=nobody', 'author'],
    ['/api/v1/stories?section=Bad_Slug', 'section'],
    ['/api/v1/stories?q=tide&topic=flooding', 'q'],
    ['/api/v1/stories?q=%20%20', 'q'],
    ['/api/v1/stories?q=tide&cursor=WyJ4Il0', 'cursor'],
    ['/api/v1/stories?status=draft', 'status'],
    ['/api/v1/topics?cursor=WzFd', 'cursor'],
    ['/api/v1/authors?limit=500', 'limit'],
    [`/api/v1/stories?q=${'x'.repeat(201)}`, 'q'],
  ];
  for (const [url, field] of cases) {
    const response = await get(url);
    assert.equal(response.statusCode, 400, url);
    const body = JSON.parse(response.body) as { errors: { code: string; field?: string; message: string }[] };
    assert.equal(body.errors[0]!.code, 'invalid_input', url);
    assert.ok(body.errors.some((e) => e.field === field && e.message.length > 10), `${url}: ${response.body}`);
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.headers['cache-control'], 'no-store');
  }
  for (const url of ['/api/v1/stories/0', '/api/v1/stories/abc', '/api/v1/stories/99999999999']) assert.equal((await get(url)).statusCode, 404, url);
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/stories', payload: {} })).statusCode, 404, 'read-only');
});

test('conditional GET, cache policy and CORS; a preflight is answered', async () => {
  const url = `/api/v1/stories/${first.id}`;
  const response = await get(url);
  assert.match(String(response.headers['cache-control']), /^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+, stale-if-error=\d+$/);
  assert.equal(response.headers['access-control-allow-origin'], '*');
  assert.match(String(response.headers['access-control-expose-headers']), /ETag/);
  const etag = String(response.headers.etag);
  const again = await get(url, { 'if-none-match': etag });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
  assert.equal(again.headers['access-control-allow-origin'], '*');
  const preflight = await t.app.inject({ method: 'OPTIONS', url, headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' } });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], '*');
  assert.match(String(preflight.headers['access-control-allow-methods']), /GET/);
  assert.match(String(preflight.headers['access-control-allow-headers']), /If-None-Match/);
});

test('answers are cached and dropped by exactly the changes that touch them', async () => {
  const urls = { list: '/api/v1/stories', world: '/api/v1/stories?section=world', story: `/api/v1/stories/${first.id}`, sections: '/api/v1/sections', authors: '/api/v1/authors', topics: '/api/v1/topics' };
  const warm = async () => {
    for (const u of Object.values(urls)) await get(u);
  };
  const state = async () => Object.fromEntries(await Promise.all(Object.entries(urls).map(async ([k, u]) => [k, (await get(u)).headers['x-cache']])));
  // Work the earlier tests' saves queued (Related Articles, topic suggestions) is done first.
  for (let round = 0; round < 20 && (await t.jobs.runDue()).length > 0; round++);
  await warm();
  assert.deepEqual(new Set(Object.values(await state())), new Set(['HIT']));
  const full = (await t.services.articles.findById(first.id))!;
  await t.services.articles.save({ ...storyInput({ headline: 'Council approves flood barrier, again', publishedAt: full.publishedAt, topicNames: ['Flooding', 'Harlow Bay'], authorSlugs: ['ada-reporter', 'ben-writer'] }) }, { id: first.id, expectedVersion: full.version });
  assert.deepEqual(await state(), { list: 'MISS', world: 'HIT', story: 'MISS', sections: 'HIT', authors: 'HIT', topics: 'HIT' });
  assert.match((await get(urls.story)).body, /Council approves flood barrier, again/);
  await warm();
  await t.services.authors.save({ name: 'Cy New' });
  assert.deepEqual(await state(), { list: 'HIT', world: 'HIT', story: 'HIT', sections: 'HIT', authors: 'MISS', topics: 'HIT' });
  await warm();
  await t.services.articles.save(storyInput({ headline: 'A world first', sectionSlug: 'world', topicNames: ['Sea Walls'], publishedAt: '2026-11-20T13:40:00.000Z' }));
  assert.deepEqual(await state(), { list: 'MISS', world: 'MISS', story: 'HIT', sections: 'HIT', authors: 'HIT', topics: 'MISS' });
});

test('the OpenAPI description lists every Content API operation, public, beside the admin API', async () => {
  const spec = JSON.parse((await get('/api/docs/json')).body) as { openapi: string; paths: Record<string, Record<string, { tags: string[]; security?: unknown[] }>> };
  assert.equal(spec.openapi, '3.1.0');
  const content = Object.entries(spec.paths).filter(([path]) => path.startsWith('/api/v1/'));
  assert.deepEqual(content.map(([path]) => path).sort(), [
    '/api/v1/authors', '/api/v1/authors/{slug}', '/api/v1/sections', '/api/v1/sections/{section}/stories/{slug}', '/api/v1/sections/{slug}',
    '/api/v1/stories', '/api/v1/stories/{id}', '/api/v1/topics', '/api/v1/topics/{slug}',
  ]);
  for (const [, methods] of content) {
    assert.deepEqual(Object.keys(methods), ['get']);
    assert.deepEqual(methods.get!.security, [], 'no token');
    assert.deepEqual(methods.get!.tags, ['content']);
  }
  assert.ok(Object.keys(spec.paths).some((path) => path.startsWith('/api/admin/v1/')), 'the admin API is still there');
  assert.match((await get('/api/docs')).body, /\/api\/v1\/stories/);
});

test('the rate limit per client address: routed requests and cached answers served before routing both count', async () => {
  const limited = await buildTestApp({ CONTENT_API_RATE_PER_MINUTE: '3' });
  try {
    await seedBasics(limited.services);
    const from = { url: '/api/v1/sections', remoteAddress: '198.51.100.7' };
    for (let i = 0; i < 3; i++) assert.equal((await limited.app.inject(from)).statusCode, 200);
    const refused = await limited.app.inject(from);
    assert.equal(refused.statusCode, 429);
    assert.match(String(refused.headers['retry-after']), /^\d+$/);
    assert.equal(refused.headers['access-control-allow-origin'], '*');
    assert.equal(JSON.parse(refused.body).errors[0].code, 'rate_limited');
    assert.equal((await limited.app.inject({ url: '/api/v1/sections', remoteAddress: '203.0.113.9' })).statusCode, 200, 'another address has its own count');
    assert.equal((await limited.app.inject({ url: '/', remoteAddress: '198.51.100.7' })).statusCode, 200, 'reader pages are not limited');

    // Over a socket: the answer is cached after the first request, so the rest are served before routing.
    await limited.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = limited.app.server.address() as AddressInfo;
    const statuses: number[] = [];
    const caches: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/authors`);
      statuses.push(response.status);
      caches.push(response.headers.get('x-cache'));
      await response.arrayBuffer();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.deepEqual(caches.slice(0, 3), ['MISS', 'HIT', 'HIT']);
  } finally {
    await limited.close();
  }
});
