// The admin API for author profiles: list, create, change (the address stays), with the same
// checks as the newsroom's screens, bad input explained in {errors}, and only editors and
// administrators allowed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { libraryImage, seedBasics, storyInput } from '../../test/helpers/fixtures.ts';

let t: TestApp;
const token: Record<string, string> = {};
before(async () => {
  t = await buildTestApp({}, { watchChanges: false });
  await seedBasics(t.services);
  for (const role of ['editor', 'author', 'moderator'] as const) {
    token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
  }
});
after(() => t.close());

const api = (role: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/admin/v1${url}`, payload: payload as object, headers: role ? { authorization: `Bearer ${token[role]}` } : {} });
type AuthorJson = { id: number; slug: string; name: string; bio: string; photoImageId: number | null; url: string };

test('list, create with a photo, change the bio: the address stays, the author page follows', async () => {
  const listed = (await api('editor', 'GET', '/authors')).json() as { authors: AuthorJson[] };
  assert.deepEqual(listed.authors.map((a) => a.slug), ['ada-reporter', 'ben-writer']);
  assert.equal(listed.authors[0]!.url, `${t.config.siteUrl}/author/ada-reporter`);

  const photo = await libraryImage(t, 'cara.jpg', { width: 600, height: 600 });
  const created = await api('editor', 'POST', '/authors', { name: 'Cara Columnist', bio: 'Writes about the sea.', photoImageId: photo.id });
  assert.equal(created.statusCode, 201, created.body);
  const cara = (created.json() as { author: AuthorJson }).author;
  assert.deepEqual({ ...cara, id: 0 }, { id: 0, slug: 'cara-columnist', name: 'Cara Columnist', bio: 'Writes about the sea.', photoImageId: photo.id, url: `${t.config.siteUrl}/author/cara-columnist` });

  await t.services.articles.save(storyInput({ headline: 'Tides and times', authorSlugs: ['cara-columnist'] }));
  assert.match((await t.app.inject('/author/cara-columnist')).body, /Writes about the sea\./);
  const changed = await api('editor', 'PATCH', `/authors/${cara.id}`, { name: 'Cara Coastwriter', bio: 'Writes about the coast.' });
  assert.equal(changed.statusCode, 200, changed.body);
  const after = (changed.json() as { author: AuthorJson }).author;
  assert.equal(after.slug, 'cara-columnist', 'the public address stays');
  assert.equal(after.photoImageId, photo.id, 'a field left out keeps its value');
  const page = (await t.app.inject('/author/cara-columnist')).body;
  assert.match(page, /Writes about the coast\./);
  assert.match(page, /Cara Coastwriter/);
  const removed = await api('editor', 'PATCH', `/authors/${cara.id}`, { photoImageId: null });
  assert.equal((removed.json() as { author: AuthorJson }).author.photoImageId, null);
});

test('bad input is explained and writes nothing', async () => {
  const before = (await t.services.authors.withStoryCounts()).length;
  const cases: [string, 'POST' | 'PATCH', string, unknown, number, RegExp][] = [
    ['empty name', 'POST', '/authors', { name: '' }, 400, /name/],
    ['unknown field', 'POST', '/authors', { name: 'Dan', twitter: '@dan' }, 400, /twitter/],
    ['bad slug', 'POST', '/authors', { name: 'Dan', slug: 'Dan Dan!' }, 400, /slug/],
    ['taken address', 'POST', '/authors', { name: 'Ada Reporter' }, 409, /already/],
    ['unknown photo', 'POST', '/authors', { name: 'Dan', photoImageId: 999_999 }, 400, /999999/],
    ['too long a bio', 'POST', '/authors', { name: 'Dan', bio: 'x'.repeat(2001) }, 400, /bio/],
    ['slug on a change', 'PATCH', '/authors/1', { slug: 'new-address' }, 400, /slug/],
    ['unknown author', 'PATCH', '/authors/999999', { bio: 'Hello' }, 404, /no author profile/],
    // An address whose id cannot name a row names nothing (platform/schemas.ts): 404, like a missing one.
    ['id that is not a number', 'PATCH', '/authors/abc', { bio: 'Hello' }, 404, /not found/i],
  ];
  for (const [label, method, url, payload, status, message] of cases) {
    const res = await api('editor', method, url, payload);
    assert.equal(res.statusCode, status, `${label}: ${res.body}`);
    const { errors } = res.json() as { errors: { field?: string; message: string }[] };
    assert.ok(errors.some((e) => message.test(`${e.field ?? ''} ${e.message}`)), `${label}: ${JSON.stringify(errors)}`);
  }
  assert.equal((await t.services.authors.withStoryCounts()).length, before);
  assert.equal((await t.services.authors.byId(1))!.slug, 'ada-reporter');
});

test('who may not: anonymous callers, authors and moderators', async () => {
  assert.equal((await api(null, 'GET', '/authors')).statusCode, 401);
  for (const role of ['author', 'moderator']) {
    assert.equal((await api(role, 'GET', '/authors')).statusCode, 403, role);
    assert.equal((await api(role, 'POST', '/authors', { name: 'Eve' })).statusCode, 403, role);
    assert.equal((await api(role, 'PATCH', '/authors/1', { bio: 'Hacked' })).statusCode, 403, role);
  }
  assert.equal((await t.services.authors.byId(1))!.bio, 'Covers city hall.');
  const described = (await t.app.inject('/api/docs/json')).json() as { paths: Record<string, unknown> };
  assert.ok(described.paths['/api/admin/v1/authors'] && described.paths['/api/admin/v1/authors/{id}'], 'in the OpenAPI document');
});
