// Pictures inside a story's body: the document shape, the publishing rules (library image, alt
// text), the reader page (responsive, lazy, this story's caption) and cache invalidation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkBody, type BlockNode } from '../articles/body.ts';
import { diffStories } from '../articles/revision-diff.ts';
import { AppError } from '../platform/errors.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput, libraryImage } from '../../test/helpers/fixtures.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp({}, { runJobs: false });
  await seedBasics(t.services);
});
after(() => t.close());

const para = (text: string): BlockNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const picture = (imageId: number, caption?: string): BlockNode => ({ type: 'image', attrs: caption === undefined ? { imageId } : { imageId, caption } });
const doc = (...content: BlockNode[]) => ({ type: 'doc', content });

test('an image block needs a library id and a text caption of sane length', () => {
  assert.deepEqual(checkBody(doc(picture(3, 'At the gates'))).errors, []);
  assert.deepEqual(checkBody(doc(picture(3))).errors, []);
  const bad = [
    { type: 'image', attrs: {} },
    { type: 'image', attrs: { imageId: 0 } },
    { type: 'image', attrs: { imageId: '7' } },
    { type: 'image', attrs: { imageId: 7, caption: 12 } },
    { type: 'image', attrs: { imageId: 7, caption: 'x'.repeat(1001) } },
    { type: 'image' },
  ];
  for (const block of bad) {
    const { errors } = checkBody({ type: 'doc', content: [block] });
    assert.equal(errors.length, 1, JSON.stringify(block));
    assert.match(errors[0]!.message, /^Body block 1: (image needs the id of a media-library image|image caption must be text|an image caption is at most 1000 characters)$/);
  }
});

test('a body image must exist in the library, and have alt text before the story goes public', async () => {
  const isBodyError = (pattern: RegExp) => (e: unknown) => e instanceof AppError && e.details.some((d) => d.field === 'body' && pattern.test(d.message));
  await assert.rejects(
    t.services.articles.save(storyInput({ status: 'draft', body: doc(para('One.'), picture(987_654)) })),
    isBodyError(/image 987654, which is not in the media library/),
  );
  const image = await libraryImage(t, 'quay.jpg', { width: 1200, height: 800 });
  await assert.rejects(t.services.articles.save(storyInput({ body: doc(para('One.'), picture(image.id)) })), isBodyError(/Add alt text to the image “quay.jpg”/));
  const future = new Date(Date.now() + 3600_000).toISOString();
  await assert.rejects(
    t.services.articles.save(storyInput({ status: 'scheduled', publishedAt: future, body: doc(para('One.'), picture(image.id)) })),
    isBodyError(/alt text/),
  );
  // Drafts may hold it while the alt text is written; nothing was stored by the refused saves.
  const draft = await t.services.articles.save(storyInput({ status: 'draft', headline: 'Quay draft', body: doc(para('One.'), picture(image.id)) }));
  assert.equal(draft.body.content[1]?.type, 'image');
});

test('the page shows body images responsively and lazily, with the story caption or else the library one', async () => {
  const first = await libraryImage(t, 'crane.jpg', { width: 1600, height: 1000 });
  const second = await libraryImage(t, 'chart.png', { format: 'png', width: 800, height: 800 });
  await t.services.images.updateMeta(first.id, { alt: 'A crane over the harbour', caption: 'Library caption for the crane.', credit: 'Ada Reporter' });
  await t.services.images.updateMeta(second.id, { alt: 'Chart of tide heights', caption: 'Tide heights, 2026.', credit: 'Harbour Authority' });
  const story = await t.services.articles.save(
    storyInput({ headline: 'Crane arrives', body: doc(para('First.'), picture(first.id, 'The crane, seen from the quay.'), para('Second.'), picture(second.id)) }),
  );
  const url = `/national/${story.slug}`;
  const html = (await t.app.inject(url)).body;
  const figures = html.match(/<figure class="body-image">[\s\S]*?<\/figure>/g) ?? [];
  assert.equal(figures.length, 2);
  assert.match(figures[0]!, /alt="A crane over the harbour"/);
  assert.match(figures[0]!, /loading="lazy"/);
  assert.match(figures[0]!, /width="1600" height="1000"/);
  assert.match(figures[0]!, /<source type="image\/avif" srcset="/);
  assert.match(figures[0]!, /The crane, seen from the quay\./);
  assert.doesNotMatch(figures[0]!, /Library caption for the crane/);
  assert.match(figures[0]!, /Ada Reporter/);
  assert.match(figures[1]!, /Tide heights, 2026\./);
  assert.match(figures[1]!, /Harbour Authority/);
  // The order of the story is kept: first paragraph, picture, second paragraph, picture.
  assert.ok(html.indexOf('First.') < html.indexOf('The crane, seen') && html.indexOf('The crane, seen') < html.indexOf('Second.'));

  assert.equal((await t.app.inject(url)).headers['x-cache'], 'HIT');
  await t.services.images.updateMeta(second.id, { alt: 'Chart of tide heights by month' });
  const again = await t.app.inject(url);
  assert.equal(again.headers['x-cache'], 'MISS', 'a body image change drops the page');
  assert.match(again.body, /alt="Chart of tide heights by month"/);
});

test('an image later deleted from the library leaves the rest of the page intact', async () => {
  const image = await libraryImage(t, 'gone.jpg', { width: 900, height: 600 });
  await t.services.images.updateMeta(image.id, { alt: 'Soon gone' });
  const story = await t.services.articles.save(storyInput({ headline: 'Gone picture', body: doc(para('Before.'), picture(image.id), para('After.')) }));
  await t.services.images.delete(image.id);
  const response = await t.app.inject(`/national/${story.slug}`);
  assert.equal(response.statusCode, 200);
  assert.doesNotMatch(response.body, /class="body-image"/);
  assert.match(response.body, /Before\.[\s\S]*After\./);
});

test('the revision diff names an inserted image', () => {
  const diff = diffStories(
    { headline: 'H', body: doc(para('One.')) } as never,
    { headline: 'H', body: doc(para('One.'), picture(5, 'Harbour at dawn')) } as never,
  );
  assert.match(JSON.stringify(diff), /\[Image 5: Harbour at dawn\]/);
});
