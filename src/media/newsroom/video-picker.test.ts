// GET /newsroom/media/videos.json, what the editor's video picker lists: the clip references in the
// library, newest first, 24 a page, `before` pages on, `q` searches titles and captions; bad
// requests get {errors}, and only people who may use media get it at all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { Browser, staff } from '../../../test/helpers/newsroom.ts';
import { VIDEO_PICKER_PAGE_SIZE, VIDEO_PICKER_URL, type VideoPickerPage } from './picker-video.ts';

let t: TestApp;
let author: Browser;
const ids: number[] = [];

before(async () => {
  t = await buildTestApp();
  author = (await staff(t, 'author')).browser;
  for (let i = 1; i <= 26; i++) ids.push(await t.services.videos.ensureReference(`Clip ${i}`, i === 3 ? 'Seals on the SLIPWAY at dawn' : ''));
});
after(() => t.close());

const json = { accept: 'application/json' };
const page = async (query = '') => {
  const res = await author.get(`${VIDEO_PICKER_URL}${query}`, json);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'private, no-store');
  return res.json() as VideoPickerPage;
};

test('newest first, 24 a page, then the rest; each clip with its title, caption and whether it has media', async () => {
  assert.equal(VIDEO_PICKER_PAGE_SIZE, 24);
  const first = await page();
  assert.equal(first.videos.length, 24);
  assert.deepEqual(first.videos[0], { id: ids[25], title: 'Clip 26', caption: '', ready: false });
  assert.equal(first.next, first.videos[23]!.id);
  const second = await page(`?before=${first.next}`);
  assert.deepEqual(second.videos.map((v) => v.title), ['Clip 2', 'Clip 1']);
  assert.equal(second.next, null);
});

test('search matches titles and captions, case folded, wildcards taken literally', async () => {
  assert.deepEqual((await page('?q=slipway')).videos.map((v) => v.title), ['Clip 3']);
  assert.deepEqual((await page('?q=clip%2025')).videos.map((v) => v.title), ['Clip 25']);
  assert.deepEqual((await page('?q=%25')).videos, []);
});

test('bad requests are explained in JSON; people without media rights and strangers are refused', async () => {
  for (const query of ['?before=0', '?before=abc', '?before=-3', `?q=${'x'.repeat(201)}`]) {
    const res = await author.get(`${VIDEO_PICKER_URL}${query}`, json);
    assert.equal(res.statusCode, 400, query);
    assert.ok(res.json().errors[0].message, query);
  }
  const moderator = (await staff(t, 'moderator')).browser;
  assert.equal((await moderator.get(VIDEO_PICKER_URL, json)).statusCode, 403);
  assert.equal((await t.app.inject({ url: VIDEO_PICKER_URL, headers: json })).statusCode, 401);
});
