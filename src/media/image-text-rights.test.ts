// The text of an image readers see (in a published or scheduled story, as an author photo, as the
// logo) is an editor's to change: contributors and authors are refused in the Admin API and the
// newsroom, alt text is never emptied on such an image, and every change is in the audit log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { articlePath } from '../articles/model.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { libraryImage, seedBasics, storyBody, storyInput } from '../../test/helpers/fixtures.ts';
import { staff } from '../../test/helpers/newsroom.ts';
import type { ImageRecord } from './image-service.ts';

let t: TestApp;
let ben: { id: number; name: string };
const token: Record<string, string> = {};

before(async () => {
  t = await buildTestApp();
  ({ ben } = await seedBasics(t.services));
  for (const role of ['administrator', 'editor', 'author', 'contributor'] as const) {
    token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
  }
});
after(() => t.close());

const lead = (id: number) => ({ imageId: id, url: '', alt: '', caption: '', credit: '' });
const patch = (role: string, id: number, body: Record<string, string>) =>
  t.app.inject({ method: 'PATCH', url: `/api/admin/v1/media/images/${id}`, headers: { authorization: `Bearer ${token[role]}` }, payload: body });

async function describedImage(name: string): Promise<ImageRecord> {
  const made = await libraryImage(t, name, { width: 640, height: 480 });
  return t.services.images.updateMeta(made.id, { alt: `What ${name} shows`, caption: 'As filed.', credit: 'Staff photo' });
}

test('the lead image of a published story: contributor and author tokens get 403, the live page keeps its text', async () => {
  const image = await describedImage('quay.jpg');
  const story = await t.services.articles.save(storyInput({ headline: 'Quay reopens', leadImage: lead(image.id) }));
  for (const role of ['contributor', 'author']) {
    const res = await patch(role, image.id, { alt: '', caption: 'DEFACED', credit: 'Not our photographer' });
    assert.equal(res.statusCode, 403, role);
    const [error] = res.json().errors;
    assert.equal(error.code, 'forbidden');
    assert.match(error.message, /shown to readers \(the lead image of “Quay reopens” \(published\)\); changing its alt text, caption or credit needs an editor/);
  }
  assert.deepEqual(await metaOf(image.id), ['What quay.jpg shows', 'As filed.', 'Staff photo']);
  const page = (await t.app.inject(articlePath(story))).body;
  assert.match(page, /alt="What quay\.jpg shows"/);
  assert.doesNotMatch(page, /DEFACED/);
});

test('an editor may change it, but never empty its alt text; each change is audited with the token', async () => {
  const image = await describedImage('gate.jpg');
  await t.services.articles.save(storyInput({ headline: 'Gate closes', leadImage: lead(image.id) }));
  const emptied = await patch('editor', image.id, { alt: '  ' });
  assert.equal(emptied.statusCode, 400);
  assert.deepEqual(emptied.json().errors.map((e: { field: string }) => e.field), ['alt']);
  assert.match(emptied.json().errors[0].message, /Alt text cannot be emptied while the image is shown to readers \(the lead image of “Gate closes” \(published\)\)/);

  const res = await patch('editor', image.id, { caption: 'The east gate, closed.' });
  assert.equal(res.statusCode, 200);
  const entry = (await t.services.audit.recent(5)).find((e) => e.target === `image:${image.id}`)!;
  assert.equal(entry.action, 'image.update');
  assert.match(entry.actor, /^token:\d+ editor bot$/);
  assert.deepEqual(entry.detail.changed, { caption: { from: 'As filed.', to: 'The east gate, closed.' } });
  assert.deepEqual(entry.detail.shownIn, ['the lead image of “Gate closes” (published)']);
});

test('every kind of use counts: social image, body image of a scheduled story, author photo, the logo', async () => {
  const social = await describedImage('social.jpg');
  await t.services.articles.save(storyInput({ headline: 'Harbour lights', socialImageId: social.id }));
  const body = await describedImage('body.jpg');
  const draft = await t.services.articles.save(storyInput({ headline: 'Tide tables', status: 'draft', body: storyBody(3, [{ type: 'image', attrs: { imageId: body.id } }]) }));
  await t.services.articles.schedule(draft.id, new Date(Date.now() + 3600_000).toISOString(), draft.version);
  const photo = await describedImage('portrait.jpg');
  await t.services.authors.update(ben.id, { name: ben.name, bio: '', photoImageId: photo.id });
  const logo = await describedImage('logo.png');
  await t.services.settings.update({ logoImageId: logo.id });

  const expected: [ImageRecord, RegExp][] = [
    [social, /the social image of “Harbour lights” \(published\)/],
    [body, /an image in “Tide tables” \(scheduled\)/],
    [photo, /the photo of author Ben Writer/],
    [logo, /the site logo/],
  ];
  for (const [image, where] of expected) {
    const res = await patch('contributor', image.id, { credit: 'Someone else' });
    assert.equal(res.statusCode, 403, image.filename);
    assert.match(res.json().errors[0].message, where);
    assert.equal((await t.services.images.get(image.id)).credit, 'Staff photo');
  }
});

test('an image no reader sees (unused, or only in a draft) stays the uploader’s to describe', async () => {
  const image = await describedImage('draft-only.jpg');
  await t.services.articles.save(storyInput({ headline: 'Not yet', status: 'draft', leadImage: lead(image.id) }));
  const res = await patch('contributor', image.id, { alt: '', caption: 'Rewritten' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(await metaOf(image.id), ['', 'Rewritten', 'Staff photo']);
  const entry = (await t.services.audit.recent(5)).find((e) => e.target === `image:${image.id}`)!;
  assert.deepEqual(entry.detail.shownIn, []);
});

test('the story stops showing the image: the rule no longer applies (the use is kept with each save)', async () => {
  const image = await describedImage('swap.jpg');
  const other = await describedImage('other.jpg');
  const story = await t.services.articles.save(storyInput({ headline: 'Swap', leadImage: lead(image.id) }));
  assert.equal((await patch('author', image.id, { caption: 'x' })).statusCode, 403);
  await t.services.articles.save(storyInput({ headline: 'Swap', leadImage: lead(other.id) }), { id: story.id, expectedVersion: story.version });
  assert.equal((await patch('author', image.id, { caption: 'x' })).statusCode, 200);
  assert.equal((await patch('author', other.id, { caption: 'x' })).statusCode, 403);
});

test('the newsroom form: an author is refused with the reason on the page, nothing saved', async () => {
  const image = await describedImage('form.jpg');
  await t.services.articles.save(storyInput({ headline: 'Form story', leadImage: lead(image.id) }));
  const author = await staff(t, 'author');
  const url = `/newsroom/media/${image.id}`;
  await author.browser.get(url);
  const res = await author.browser.post(url, { alt: '', caption: 'DEFACED', credit: '' });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /<h2>There is a problem<\/h2>/);
  assert.match(res.body, /needs an editor/);
  assert.deepEqual(await metaOf(image.id), ['What form.jpg shows', 'As filed.', 'Staff photo']);

  const editor = await staff(t, 'editor');
  await editor.browser.get(url);
  const saved = await editor.browser.post(url, { alt: 'What form.jpg shows, better', caption: 'As filed.', credit: 'Staff photo' });
  assert.equal(saved.statusCode, 303);
  const entry = (await t.services.audit.recent(5)).find((e) => e.target === `image:${image.id}`)!;
  assert.match(entry.actor, new RegExp(`^user:${editor.id} `));
});

async function metaOf(id: number): Promise<string[]> {
  const image = await t.services.images.get(id);
  return [image.alt, image.caption, image.credit];
}
