// Image fields on the server: a submitted id read the same way everywhere, and the current image's
// thumbnail drawn beside the social image, author photo and logo fields, with the island's script
// on exactly the screens that have such a field.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sampleImage } from '../image-test-samples.ts';
import type { ImageRecord } from '../image-service.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { Browser, staff } from '../../../test/helpers/newsroom.ts';
import { imageIdOf } from './image-field.tsx';

let t: TestApp;
let admin: { browser: Browser };
let image: ImageRecord;

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 800, 400), filename: 'masthead.jpg' });
  admin = await staff(t, 'administrator');
  await admin.browser.get('/newsroom');
});
after(() => t.close());

const SCRIPT = /<script type="module" src="\/assets\/image-field-[A-Za-z0-9_-]{12}\.js"><\/script>/;
const preview = (id: number, text: string) => new RegExp(`data-image-field-preview="true" data-image-id="${id}"><img src="/media/images/[^"]+" alt(="")? width="96" height="48"/><span>${text}</span></p>`);

test('a submitted id: empty is none, digits are the number, anything else (or too large for the databases) is no id', () => {
  assert.equal(imageIdOf(undefined), null);
  assert.equal(imageIdOf('  '), null);
  assert.equal(imageIdOf(' 42 '), 42);
  assert.equal(imageIdOf('2147483647'), 2147483647);
  for (const raw of ['0', '-3', '4.5', 'me.jpg', '1e3', '2147483648', '99999999999']) assert.ok(Number.isNaN(imageIdOf(raw)), raw);
});

test('the settings screen draws the logo beside its field and loads the island', async () => {
  const saved = await admin.browser.post('/newsroom/settings', { siteName: 'Test Gazette', tagline: '', adsTxt: '', logoImageId: String(image.id) });
  assert.equal(saved.statusCode, 200);
  assert.match(saved.body, preview(image.id, 'masthead\\.jpg'));
  assert.match(saved.body, /data-image-field="logoImageId" data-image-what="logo" data-alt-required="false"/);
  assert.match(saved.body, /<div class="image-field-actions" data-image-field-actions="true" hidden><button type="button" class="quiet" data-image-field-choose="true">Choose logo…<\/button>/);
  assert.match(saved.body, SCRIPT);
  const script = /src="(\/assets\/image-field-[^"]+)"/.exec(saved.body)![1]!;
  const bundle = await t.app.inject(script);
  assert.equal(bundle.statusCode, 200);
  assert.match(bundle.headers['content-type'] as string, /text\/javascript/);

  const tooLarge = await admin.browser.post('/newsroom/settings', { siteName: 'Test Gazette', tagline: '', adsTxt: '', logoImageId: '99999999999' });
  assert.equal(tooLarge.statusCode, 400);
  assert.match(tooLarge.body, /The logo is the number of an image in the media library\./);
});

test('the story edit screen draws the social image and says when it lacks alt text; the new-story screen has no script', async () => {
  const story = await t.services.articles.save({ headline: 'Harbour crane arrives', sectionSlug: 'national', status: 'draft', body: { type: 'doc', content: [] }, socialImageId: image.id });
  const page = await admin.browser.get(`/newsroom/stories/${story.id}/edit`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, preview(image.id, 'masthead\\.jpg · needs alt text before publishing'));
  assert.match(page.body, /data-image-field="socialImageId" data-image-what="social image" data-alt-required="true"/);
  assert.match(page.body, SCRIPT);
  assert.match(page.body, /<script type="module" src="\/assets\/editor-[A-Za-z0-9_-]{12}\.js"><\/script>/, 'and the editor');
  await t.services.images.updateMeta(image.id, { alt: 'The masthead' });
  assert.match((await admin.browser.get(`/newsroom/stories/${story.id}/edit`)).body, preview(image.id, 'masthead\\.jpg'));

  // Beyond the databases' integer range: explained like any other bad number, not a server error.
  for (const [field, message] of [['socialImageId', /The social image id is a whole number/], ['leadImageId', /The lead image id is a whole number/]] as const) {
    const res = await admin.browser.post('/newsroom/stories/new', { headline: 'Too far', section: 'national', body: '', [field]: '9999999999' });
    assert.equal(res.statusCode, 400, field);
    assert.match(res.body, message);
  }

  const fresh = await admin.browser.get('/newsroom/stories/new');
  assert.match(fresh.body, /<input id="socialImageId" name="socialImageId" type="text" inputmode="numeric"/, 'a plain number field');
  assert.doesNotMatch(fresh.body, /<script/);
});
