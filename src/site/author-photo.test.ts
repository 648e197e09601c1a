// Author photos: set on the author screens (editors), shown small and responsive on the author's
// page with the bio, described by the library's alt text or else the author's name, and the page
// dropped from the cache when the photo's details change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput, libraryImage } from '../../test/helpers/fixtures.ts';
import { Browser, staff } from '../../test/helpers/newsroom.ts';

let t: TestApp;
let editor: { browser: Browser };

before(async () => {
  t = await buildTestApp({}, { runJobs: false });
  await seedBasics(t.services);
  await t.services.articles.save(storyInput({ headline: 'City hall budget passes' }));
  editor = await staff(t, 'editor');
  await editor.browser.get('/newsroom/authors');
});
after(() => t.close());

const portrait = (filename: string) => libraryImage(t, filename, { width: 800, height: 800 });

test('an editor sets a photo; the author page shows it small, sized, with the name as alt when the library has none', async () => {
  const image = await portrait('ada.jpg');
  const ada = (await t.services.articles.authorBySlug('ada-reporter'))!;
  const saved = await editor.browser.post(`/newsroom/authors/${ada.id}`, { name: 'Ada Reporter', bio: 'Covers city hall.', photoImageId: String(image.id) });
  assert.equal(saved.statusCode, 303);
  assert.equal((await t.services.articles.authorBySlug('ada-reporter'))!.photoImageId, image.id);

  const page = (await t.app.inject('/author/ada-reporter')).body;
  assert.match(page, /<figure class="author-photo"><picture>/);
  assert.match(page, /<source type="image\/avif" srcset="[^"]+ 320w[^"]*" sizes="6rem"/);
  assert.match(page, /width="800" height="800" alt="Ada Reporter"/);
  assert.match(page, /loading="lazy"/);
  assert.doesNotMatch(page, /fetchpriority/);
  assert.match(page, /<h1>Ada Reporter<\/h1><p>Covers city hall\.<\/p>/, 'the bio beside it');
  assert.match(page, /City hall budget passes/, 'and the stories below');
});

test('the page follows the photo’s alt text and credit in the library', async () => {
  const image = await portrait('ben.jpg');
  await t.services.authors.save({ name: 'Ben Writer', slug: 'ben-writer', photoImageId: image.id });
  const url = '/author/ben-writer';
  await t.app.inject(url);
  assert.equal((await t.app.inject(url)).headers['x-cache'], 'HIT');
  await t.services.images.updateMeta(image.id, { alt: 'Ben Writer, smiling, in the newsroom', credit: 'Staff photo' });
  const again = await t.app.inject(url);
  assert.equal(again.headers['x-cache'], 'MISS');
  assert.match(again.body, /alt="Ben Writer, smiling, in the newsroom"/);
  assert.match(again.body, /<span class="credit">Staff photo<\/span>/);
});

test('a save that does not name the photo keeps it; an empty field on the screen removes it', async () => {
  const image = await portrait('cara.jpg');
  await t.services.authors.save({ name: 'Cara Lens', photoImageId: image.id });
  await t.services.authors.save({ name: 'Cara Lens', bio: 'Photographer.' });
  assert.equal((await t.services.articles.authorBySlug('cara-lens'))!.photoImageId, image.id);
  const cara = (await t.services.articles.authorBySlug('cara-lens'))!;
  const cleared = await editor.browser.post(`/newsroom/authors/${cara.id}`, { name: 'Cara Lens', bio: 'Photographer.', photoImageId: '' });
  assert.equal(cleared.statusCode, 303);
  assert.equal((await t.services.articles.authorBySlug('cara-lens'))!.photoImageId, null);
  assert.doesNotMatch((await t.app.inject('/author/cara-lens')).body, /class="author-photo"/);
});

test('an unknown or malformed photo id is explained and nothing is saved', async () => {
  const unknown = await editor.browser.post('/newsroom/authors/new', { name: 'Dee Unknown', bio: '', photoImageId: '999999' });
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.body, /There is no image 999999 in the media library/);
  assert.match(unknown.body, /<a href="#photoImageId">/);
  const malformed = await editor.browser.post('/newsroom/authors/new', { name: 'Dee Unknown', bio: '', photoImageId: 'me.jpg' });
  assert.equal(malformed.statusCode, 400);
  assert.match(malformed.body, /The photo must be an image from the media library/);
  assert.equal(await t.services.articles.authorBySlug('dee-unknown'), undefined);
});

test('writers without the sections permission may not change profiles', async () => {
  const image = await portrait('eve.jpg');
  const id = (await t.services.articles.authorBySlug('ada-reporter'))!.id;
  for (const role of ['author', 'contributor', 'moderator'] as const) {
    const who = await staff(t, role);
    await who.browser.get('/newsroom');
    const res = await who.browser.post(`/newsroom/authors/${id}`, { name: 'Ada Reporter', bio: 'Hijacked.', photoImageId: String(image.id) });
    assert.equal(res.statusCode, 403, role);
  }
  const ada = (await t.services.articles.authorBySlug('ada-reporter'))!;
  assert.equal(ada.bio, 'Covers city hall.');
  assert.notEqual(ada.photoImageId, image.id);
});
