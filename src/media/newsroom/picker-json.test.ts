// GET /newsroom/media/images.json, the contract the editor's image picker is built on:
// { images: PickerImage[], next: id | null }, 24 a page, newest first, `before` pages on, `q` searches.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { Browser, staff } from '../../../test/helpers/newsroom.ts';
import type { ImageRecord } from '../image-service.ts';
import { sampleImage } from '../image-test-samples.ts';
import { PICKER_PAGE_SIZE, PICKER_URL, type PickerImage, type PickerPage } from './picker-image.ts';

let t: TestApp;
let contributor: Browser;
const made: ImageRecord[] = [];

before(async () => {
  t = await buildTestApp();
  contributor = (await staff(t, 'contributor')).browser;
  const png = await sampleImage('png', 48, 36);
  for (let i = 1; i <= 30; i++) made.push(await t.services.images.upload({ bytes: png, filename: `pick-${i}.png` }));
  await t.services.images.updateMeta(made[29]!.id, { alt: 'Gulls over the harbour', caption: 'Morning.', credit: 'Ada Reporter' });
  await t.services.images.updateMeta(made[3]!.id, { credit: 'Harbour Photos' });
});
after(() => t.close());

const json = { accept: 'application/json' };
const page = async (query = '') => {
  const res = await contributor.get(`${PICKER_URL}${query}`, json);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'private, no-store');
  return res.json() as PickerPage;
};

test('newest first, 24 a page; next is the id to pass as before, null on the last page', async () => {
  assert.equal(PICKER_PAGE_SIZE, 24);
  const first = await page();
  assert.equal(first.images.length, 24);
  assert.deepEqual(first.images.slice(0, 2).map((i) => i.filename), ['pick-30.png', 'pick-29.png']);
  assert.equal(first.next, first.images[23]!.id);
  const second = await page(`?before=${first.next}`);
  assert.deepEqual(second.images.map((i) => i.filename), ['pick-6.png', 'pick-5.png', 'pick-4.png', 'pick-3.png', 'pick-2.png', 'pick-1.png']);
  assert.equal(second.next, null);
  assert.deepEqual(await page(`?before=${made[0]!.id}`), { images: [], next: null });
});

test('each image carries exactly the contract fields, the thumbnail being the smallest WebP', async () => {
  const [newest] = (await page()).images as [PickerImage];
  const record = made[29]!;
  assert.deepEqual(newest, {
    id: record.id,
    filename: 'pick-30.png',
    width: 48,
    height: 36,
    alt: 'Gulls over the harbour',
    caption: 'Morning.',
    credit: 'Ada Reporter',
    thumbnail: `/media/images/${record.folder}/w48.webp`,
    createdAt: record.createdAt,
  });
  assert.equal((await t.app.inject(newest.thumbnail)).statusCode, 200);
});

test('q searches file name, alt text, caption and credit, ignoring case; it pages too', async () => {
  const found = await page('?q=HARBOUR');
  assert.deepEqual(found.images.map((i) => i.filename), ['pick-30.png', 'pick-4.png']);
  assert.equal(found.next, null);
  assert.deepEqual((await page(`?q=harbour&before=${made[29]!.id}`)).images.map((i) => i.filename), ['pick-4.png']);
  assert.deepEqual((await page('?q=no-such-thing')).images, []);
  assert.equal((await page('?q=&before=')).images.length, 24, 'empty parameters are no filter');
});

test('bad parameters: 400 with {errors}', async () => {
  for (const [query, field] of [['?before=abc', 'before'], ['?before=0', 'before'], ['?before=-3', 'before'], [`?q=${'x'.repeat(201)}`, 'q']]) {
    const res = await contributor.get(`${PICKER_URL}${query}`, json);
    assert.equal(res.statusCode, 400, query);
    const { errors } = res.json() as { errors: { field?: string; message: string }[] };
    assert.equal(errors[0]!.field, field, query);
  }
});

test('who may NOT: moderators (403) and anonymous callers (401) get JSON refusals', async () => {
  const moderator = (await staff(t, 'moderator')).browser;
  const refused = await moderator.get(PICKER_URL, json);
  assert.equal(refused.statusCode, 403);
  assert.ok((refused.json() as { errors: unknown[] }).errors.length);
  const anonymous = await new Browser(t).get(PICKER_URL, json);
  assert.equal(anonymous.statusCode, 401);
  assert.match(anonymous.body, /sign in again/);
});
