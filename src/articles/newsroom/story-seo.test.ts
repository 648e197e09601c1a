// The story form's "Search and social" fields: shown with their limits, explained when wrong,
// and carried through a published story's pending changes, its preview and "Update".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sampleImage } from '../../media/image-test-samples.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { Browser, createThroughForm, staff, storyForm } from '../../../test/helpers/newsroom.ts';

let t: TestApp;
let editor: { id: number; browser: Browser };

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  editor = await staff(t, 'editor');
});
after(() => t.close());

const versionOf = async (id: number) => String((await t.services.articles.findById(id))!.version);

test('the fieldset follows the credit line and states each limit', async () => {
  const page = (await editor.browser.get('/newsroom/stories/new')).body;
  assert.match(page, /<fieldset id="search-and-social" class="group"><legend>Search and social<\/legend>/);
  assert.ok(page.indexOf('name="credit"') < page.indexOf('id="search-and-social"'), 'after the credit line');
  assert.match(page, /Up to 110 characters; leave empty to use the headline\./);
  assert.match(page, /Up to 300 characters; leave empty to use the dek\./);
  assert.match(page, /<input id="socialImageId" name="socialImageId" type="text" inputMode="numeric"|<input id="socialImageId" name="socialImageId" type="text" inputmode="numeric"/);
});

test('bad values are explained next to their fields and nothing is saved', async () => {
  const before = (await t.services.articles.listForNewsroom({})).length;
  const cases: [Record<string, string>, RegExp, string][] = [
    [{ seoTitle: 'x'.repeat(111) }, /The search title is 111 characters; the limit is 110\./, 'seoTitle'],
    [{ seoDescription: 'y'.repeat(301) }, /The search description is 301 characters; the limit is 300\./, 'seoDescription'],
    [{ socialImageId: 'abc' }, /The social image id is a whole number/, 'socialImageId'],
    [{ socialImageId: '999999' }, /The social image does not exist/, 'socialImageId'],
  ];
  for (const [fields, message, field] of cases) {
    const res = await editor.browser.post('/newsroom/stories/new', storyForm(fields));
    assert.equal(res.statusCode, 400, JSON.stringify(fields).slice(0, 60));
    assert.match(res.body, message);
    assert.match(res.body, new RegExp(`<a href="#${field}">`), 'the summary links to the field');
    assert.match(res.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
  }
  assert.equal((await t.services.articles.listForNewsroom({})).length, before);
});

test('a published story: the fields wait as pending changes, show in the preview, and go live with Update', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 1400, 800), filename: 'crane.jpg' });
  await t.services.images.updateMeta(image.id, { alt: 'A crane over the quay' });
  const id = await createThroughForm(editor.browser);
  const published = await editor.browser.post(`/newsroom/stories/${id}/publish`, { expectedVersion: await versionOf(id) });
  assert.equal(published.statusCode, 303, published.body);
  const seo = { seoTitle: 'Giant crane reaches the port', seoDescription: 'It came in on the morning tide.', socialImageId: String(image.id) };

  const pending = await editor.browser.post(`/newsroom/stories/${id}/edit`, storyForm({ ...seo, expectedVersion: await versionOf(id) }));
  assert.equal(pending.statusCode, 303, pending.body);
  assert.equal((await t.services.articles.findById(id))!.seoTitle, '', 'readers still see the published story');
  const edit = (await editor.browser.get(`/newsroom/stories/${id}/edit`)).body;
  assert.match(edit, /id="seoTitle" name="seoTitle" type="text" value="Giant crane reaches the port"/);
  assert.match(edit, new RegExp(`id="socialImageId" name="socialImageId" type="text" value="${image.id}"`));
  const preview = (await editor.browser.get(`/newsroom/stories/${id}/preview`)).body;
  assert.match(preview, /<title>Giant crane reaches the port – National \| Test Gazette<\/title>/);
  assert.match(preview, /<meta property="og:image:alt" content="A crane over the quay"/);

  const update = await editor.browser.post(`/newsroom/stories/${id}/update`, storyForm({ ...seo, expectedVersion: await versionOf(id) }));
  assert.equal(update.statusCode, 303, update.body);
  const live = (await t.services.articles.findById(id))!;
  assert.equal(live.seoTitle, 'Giant crane reaches the port');
  assert.equal(live.seoDescription, 'It came in on the morning tide.');
  assert.equal(live.socialImageId, image.id);
  const page = (await t.app.inject(`/national/${live.slug}`)).body;
  assert.match(page, /<meta name="description" content="It came in on the morning tide."/);
});

test('the social image needs alt text before the story can go out', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 1200, 700), filename: 'no-alt.jpg' });
  const id = await createThroughForm(editor.browser, { socialImageId: String(image.id) });
  const refused = await editor.browser.post(`/newsroom/stories/${id}/publish`, { expectedVersion: await versionOf(id) });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /Social image: Add alt text to the image “no-alt\.jpg”/);
  assert.equal((await t.services.articles.findById(id))!.status, 'draft');
});
