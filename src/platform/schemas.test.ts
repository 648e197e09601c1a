// One id schema at every edge: an address whose id cannot name a row answers 404, the same as a
// row that does not exist, on SQLite and PostgreSQL alike (PostgreSQL's integer column would
// otherwise fail on ids past 2³¹−1).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { staff, type Browser } from '../../test/helpers/newsroom.ts';

let t: TestApp;
let editor: Browser;
let token: string;

before(async () => {
  t = await buildTestApp();
  editor = (await staff(t, 'editor')).browser;
  token = (await t.services.tokens.create('cli', { name: 'editor bot', role: 'editor' })).token;
});
after(() => t.close());

const IMPOSSIBLE = ['9999999999', '2147483648', '0', '-1', 'abc', '1.5'];

test('newsroom addresses with an id that cannot exist answer the newsroom 404 page', async () => {
  for (const id of IMPOSSIBLE) {
    for (const path of [`/newsroom/stories/${id}/edit`, `/newsroom/media/${id}`, `/newsroom/authors/${id}`, `/newsroom/stories/1/revisions/${id}`]) {
      const res = await editor.get(path);
      assert.equal(res.statusCode, 404, `${path}: ${res.body.slice(0, 200)}`);
      assert.match(res.headers['content-type'] as string, /text\/html/);
    }
  }
  // The largest id a row can have is still looked up: just not there.
  assert.equal((await editor.get('/newsroom/stories/2147483647/edit')).statusCode, 404);
});

test('Admin API addresses with an id that cannot exist answer 404 with the not_found code', async () => {
  for (const id of IMPOSSIBLE) {
    const res = await t.app.inject({ url: `/api/admin/v1/articles/${id}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 404, `${id}: ${res.body}`);
    assert.deepEqual(res.json().errors.map((e: { code: string }) => e.code), ['not_found']);
  }
});

test('an anonymous caller is sent to sign in (or 401) before any id is looked at', async () => {
  const page = await t.app.inject('/newsroom/stories/abc/edit');
  assert.equal(page.statusCode, 303);
  const api = await t.app.inject('/api/admin/v1/articles/abc');
  assert.equal(api.statusCode, 401);
});
