// A story's search title, description and social image: their limits, the social image's checks
// (it exists; alt text before publishing or scheduling), and that they survive every kind of save.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError } from '../platform/errors.ts';
import { sampleImage } from '../media/image-test-samples.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
});
after(() => t.close());

const refusedFor = (field: string, message: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === 'invalid_input' && e.details.some((d) => d.field === field && message.test(d.message));

async function libraryImage(alt = '') {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 1400, 800), filename: 'share.jpg' });
  if (alt) await t.services.images.updateMeta(image.id, { alt });
  return image;
}

test('limits: a search title up to 110 characters, a description up to 300; nothing is written past them', async () => {
  const before = await t.services.articles.countPublished({});
  await assert.rejects(t.services.articles.save(storyInput({ seoTitle: 'x'.repeat(111) })), refusedFor('seoTitle', /111 characters; the limit is 110/));
  await assert.rejects(t.services.articles.save(storyInput({ seoDescription: 'y'.repeat(301) })), refusedFor('seoDescription', /301 characters; the limit is 300/));
  assert.equal(await t.services.articles.countPublished({}), before);
  const ok = await t.services.articles.save(storyInput({ seoTitle: `  ${'x'.repeat(110)}  `, seoDescription: 'Line one\n  line two' }));
  assert.equal(ok.seoTitle, 'x'.repeat(110), 'spaces around are trimmed');
  assert.equal(ok.seoDescription, 'Line one line two', 'one line');
});

test('the social image must exist in the media library', async () => {
  await assert.rejects(
    t.services.articles.save(storyInput({ status: 'draft', socialImageId: 999_999 })),
    refusedFor('socialImage', /does not exist/),
  );
  await assert.rejects(t.services.articles.save(storyInput({ status: 'draft', socialImageId: -3 })), refusedFor('socialImage', /media library/));
});

test('publishing or scheduling needs alt text on the social image; a draft may wait for it', async () => {
  const image = await libraryImage();
  await assert.rejects(t.services.articles.save(storyInput({ socialImageId: image.id })), refusedFor('socialImage', /Social image: Add alt text/));
  const future = new Date(Date.now() + 3600_000).toISOString();
  await assert.rejects(
    t.services.articles.save(storyInput({ socialImageId: image.id, status: 'scheduled', publishedAt: future })),
    refusedFor('socialImage', /alt text/),
  );
  const draft = await t.services.articles.save(storyInput({ status: 'draft', socialImageId: image.id }));
  assert.equal(draft.socialImageId, image.id);
  await assert.rejects(t.services.articles.publishNow(draft.id, draft.version), refusedFor('socialImage', /alt text/));
  await t.services.images.updateMeta(image.id, { alt: 'Divers inspect the quay wall' });
  const published = await t.services.articles.publishNow(draft.id, draft.version);
  assert.equal(published.status, 'published');
  assert.equal(published.socialImageId, image.id, 'a workflow move keeps the fields');
});

test('saves that leave the fields out keep them; null clears the social image', async () => {
  const image = await libraryImage('A crane over the harbour');
  const story = await t.services.articles.save(storyInput({ seoTitle: 'Crane arrives', seoDescription: 'The port’s biggest crane yet.', socialImageId: image.id }));
  const edited = await t.services.articles.save(storyInput({ headline: 'Crane arrives at dawn' }), { id: story.id, expectedVersion: story.version });
  assert.equal(edited.seoTitle, 'Crane arrives');
  assert.equal(edited.seoDescription, 'The port’s biggest crane yet.');
  assert.equal(edited.socialImageId, image.id);
  const cleared = await t.services.articles.save(storyInput({ seoTitle: '', socialImageId: null }), { id: story.id, expectedVersion: edited.version });
  assert.equal(cleared.seoTitle, '');
  assert.equal(cleared.socialImageId, null);
  const revision = await t.services.articles.revision(story.id, edited.version);
  assert.equal(revision?.seoTitle, 'Crane arrives', 'revisions keep them');
});

test('a published story’s working copy holds the fields until Update', async () => {
  const image = await libraryImage('Ferry at the pier');
  const story = await t.services.articles.save(storyInput({ headline: 'Ferry returns' }));
  const held = await t.services.articles.saveWorkingCopy(
    story.id,
    storyInput({ headline: 'Ferry returns', seoTitle: 'Ferry back in service', seoDescription: 'Crossings resume.', socialImageId: image.id }),
    story.version,
  );
  const pending = await t.services.articles.workingCopy(story.id);
  assert.equal(pending?.seoTitle, 'Ferry back in service');
  assert.equal((await t.services.articles.findById(story.id))!.seoTitle, '', 'readers keep the published version');
  const updated = await t.services.articles.applyWorkingCopy(story.id, held.version);
  assert.equal(updated.seoTitle, 'Ferry back in service');
  assert.equal(updated.seoDescription, 'Crossings resume.');
  assert.equal(updated.socialImageId, image.id);
});

test('a working copy whose social image lacks alt text is refused (the story is public)', async () => {
  const image = await libraryImage();
  const story = await t.services.articles.save(storyInput({ headline: 'Tram line opens' }));
  await assert.rejects(
    t.services.articles.saveWorkingCopy(story.id, storyInput({ headline: 'Tram line opens', socialImageId: image.id }), story.version),
    refusedFor('socialImage', /alt text/),
  );
  assert.equal(await t.services.articles.workingCopy(story.id), undefined);
});
