// A library image as a story's lead image: alt text before publishing, responsive markup on the
// page, and the page dropped from the cache when the image's details change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError } from '../platform/errors.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput, libraryImage } from '../../test/helpers/fixtures.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp({}, { runJobs: false });
  await seedBasics(t.services);
});
after(() => t.close());

const lead = (imageId: number) => ({ imageId, url: '', alt: '', caption: '', credit: '' });

test('a story cannot be published or scheduled with a library image that has no alt text', async () => {
  const image = await libraryImage(t, 'barrier.jpg', { width: 1400, height: 900 });
  const isAltError = (e: unknown) => e instanceof AppError && e.details.some((d) => d.field === 'leadImage' && /alt text/.test(d.message));
  await assert.rejects(t.services.articles.save(storyInput({ leadImage: lead(image.id) })), isAltError);
  const future = new Date(Date.now() + 3600_000).toISOString();
  await assert.rejects(t.services.articles.save(storyInput({ leadImage: lead(image.id), status: 'scheduled', publishedAt: future })), isAltError);
  // A draft may use it while the alt text is being written.
  const draft = await t.services.articles.save(storyInput({ leadImage: lead(image.id), status: 'draft' }));
  assert.equal(draft.leadImage?.imageId, image.id);
});

test('an unknown image is refused', async () => {
  await assert.rejects(
    t.services.articles.save(storyInput({ leadImage: lead(999_999), status: 'draft' })),
    (e: unknown) => e instanceof AppError && e.details.some((d) => d.field === 'leadImage' && /does not exist/.test(d.message)),
  );
});

test('the page shows the image responsively, and follows changes to its alt text', async () => {
  const image = await libraryImage(t, 'gates.jpg', { width: 1400, height: 900 });
  await t.services.images.updateMeta(image.id, { alt: 'The tidal gates at low water', caption: 'The barrier site.', credit: 'Ada Reporter' });
  const story = await t.services.articles.save(storyInput({ headline: 'Gates arrive', leadImage: lead(image.id) }));
  assert.match(story.leadImage!.url, new RegExp(`^/media/images/${image.folder}/`), 'a snapshot URL for feeds and previews');
  const url = `/national/${story.slug}`;
  const html = (await t.app.inject(url)).body;
  assert.match(html, /<picture>/);
  assert.match(html, /<source type="image\/avif" srcset="[^"]+ 320w, /);
  assert.match(html, /width="1400" height="900"/);
  assert.match(html, /alt="The tidal gates at low water"/);
  assert.match(html, /fetchpriority="high"/);
  assert.equal((await t.app.inject(url)).headers['x-cache'], 'HIT');
  await t.services.images.updateMeta(image.id, { alt: 'The tidal gates, closed' });
  const again = await t.app.inject(url);
  assert.equal(again.headers['x-cache'], 'MISS');
  assert.match(again.body, /alt="The tidal gates, closed"/);
});
