// One image's edit screen: preview, alt text with guidance, caption, credit and the files; refusals
// shown in HTML with nothing saved; a save reaches the reader pages showing the image.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { articlePath } from '../../articles/model.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput, libraryImage } from '../../../test/helpers/fixtures.ts';
import { Browser, staff } from '../../../test/helpers/newsroom.ts';
import type { ImageRecord } from '../image-service.ts';

let t: TestApp;
let author: { id: number; browser: Browser };
let image: ImageRecord;

before(async () => {
  t = await buildTestApp({}, { runJobs: false });
  await seedBasics(t.services);
  author = await staff(t, 'author');
  image = await libraryImage(t, 'sea-wall.jpg', { width: 700, height: 500 });
});
after(() => t.close());

const url = () => `/newsroom/media/${image.id}`;

test('the edit screen: preview, the three fields with guidance, the variants with their addresses', async () => {
  const res = await author.browser.get(url());
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<h1>Image “sea-wall\.jpg”<\/h1>/);
  assert.match(res.body, /<strong>Needs alt text\.<\/strong>/);
  assert.match(res.body, /<picture><source type="image\/avif"/, 'the preview as readers get it');
  assert.match(res.body, /<label for="alt">Alt text<\/label><p class="hint" id="alt-hint">Describe what the image shows, for people who cannot see it/);
  assert.match(res.body, /<textarea id="alt" name="alt" aria-describedby="alt-hint"/);
  assert.match(res.body, /<label for="caption">Caption<\/label>/);
  assert.match(res.body, /<input id="credit" name="credit" aria-describedby="credit-hint" type="text" value\/>/);
  assert.match(res.body, /Up to 300 characters/);
  assert.match(res.body, /Uploaded as a JPEG of 700 × 500 px/);
  for (const file of ['w320.avif', 'w640.webp', 'w700.jpg']) assert.ok(res.body.includes(`<a href="/media/images/${image.folder}/${file}">`), file);
  assert.match(res.body, /cannot be deleted here yet/);
});

test('who may NOT: moderators 403, anonymous visitors to sign-in; an unknown image is 404', async () => {
  const moderator = await staff(t, 'moderator');
  assert.equal((await moderator.browser.get(url())).statusCode, 403);
  await moderator.browser.get('/newsroom');
  assert.equal((await moderator.browser.post(url(), { alt: 'Not mine to write' })).statusCode, 403);
  const anonymous = await new Browser(t).get(url());
  assert.equal(anonymous.statusCode, 303);
  assert.match(anonymous.headers.location as string, /^\/newsroom\/sign-in\?next=/);
  for (const missing of ['/newsroom/media/999999', '/newsroom/media/abc', '/newsroom/media/0']) {
    assert.equal((await author.browser.get(missing)).statusCode, 404, missing);
  }
  assert.equal((await author.browser.post('/newsroom/media/999999', { alt: 'x' })).statusCode, 404);
  assert.equal((await t.services.images.get(image.id)).alt, '');
});

test('refused edits: each too-long field named at its field, what was typed kept, nothing saved', async () => {
  await author.browser.get(url());
  const res = await author.browser.post(url(), { alt: 'a'.repeat(301), caption: 'c'.repeat(1001), credit: 'Ada Reporter' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /<h2>There is a problem<\/h2>/);
  assert.match(res.body, /<a href="#alt">Alt text is at most 300 characters; describe what the image shows, briefly\.<\/a>/);
  assert.match(res.body, /<a href="#caption">A caption is at most 1000 characters\.<\/a>/);
  assert.match(res.body, /<p class="field-error" id="alt-error">Alt text is at most 300/);
  assert.match(res.body, /<textarea id="alt" name="alt" aria-describedby="alt-hint alt-error" aria-invalid="true" rows="3" class="media-text">a{301}<\/textarea>/);
  assert.match(res.body, /value="Ada Reporter"/, 'the valid field keeps what was typed');
  const stored = await t.services.images.get(image.id);
  assert.deepEqual([stored.alt, stored.caption, stored.credit], ['', '', '']);

  const forged = await new Browser(t);
  forged.cookies.set('bulletin_session', author.browser.session!);
  assert.equal((await forged.post(url(), { _csrf: 'forged', alt: 'x' })).statusCode, 403, 'a form without a valid CSRF token');
});

test('a save goes through the service: tidied, confirmed, and the reader page showing the image is rendered again', async () => {
  await t.services.images.updateMeta(image.id, { alt: 'Waves break over the old sea wall' });
  const story = await t.services.articles.save(
    storyInput({ headline: 'Sea wall to be raised', leadImage: { imageId: image.id, url: '', alt: '', caption: '', credit: '' } }),
  );
  const page = articlePath(story);
  assert.match((await t.app.inject(page)).body, /alt="Waves break over the old sea wall"/);
  assert.equal((await t.app.inject(page)).headers['x-cache'], 'HIT', 'the story page is cached');

  // The image is now on a live page: its text is an editor's to change (image-text-rights.test.ts).
  const editor = await staff(t, 'editor');
  await editor.browser.get(url());
  const res = await editor.browser.post(url(), { alt: '  Waves break over the sea wall\n at high tide ', caption: 'The wall was built in 1952.', credit: 'Ada Reporter' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `${url()}?done=saved`);
  const shown = await editor.browser.get(res.headers.location as string);
  assert.match(shown.body, /<p class="notice" role="status">Saved\./);
  assert.match(shown.body, /Waves break over the sea wall at high tide<\/textarea>/);
  assert.doesNotMatch(shown.body, /Needs alt text/);

  const reader = await t.app.inject(page);
  assert.notEqual(reader.headers['x-cache'], 'HIT', 'dropped from the cache by the save');
  assert.match(reader.body, /alt="Waves break over the sea wall at high tide"/);
  assert.match(reader.body, /The wall was built in 1952\./);
});
