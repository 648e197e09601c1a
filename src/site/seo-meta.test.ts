// What search engines and link previews read from a story page: the search title and
// description when set, else the headline and dek; the social image, else the lead image; the
// JSON-LD keeps the headline. And the page follows changes to the social image's alt text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput, libraryImage } from '../../test/helpers/fixtures.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp({}, { runJobs: false });
  await seedBasics(t.services);
});
after(() => t.close());

const meta = (html: string, key: string) => {
  const match = new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)"`).exec(html);
  return match?.[1];
};
const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const jsonLd = (html: string) => JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!) as Record<string, unknown>;

async function describedImage(alt: string, width = 1600, height = 900) {
  const image = await libraryImage(t, 'picture.jpg', { width, height });
  return t.services.images.updateMeta(image.id, { alt });
}
const lead = (imageId: number) => ({ imageId, url: '', alt: '', caption: '', credit: '' });

test('without SEO fields the page reads as before: headline, dek, lead image', async () => {
  const leadImage = await describedImage('Workers on the barrier');
  const story = await t.services.articles.save(storyInput({ headline: 'Barrier work begins', leadImage: lead(leadImage.id) }));
  const html = (await t.app.inject(`/national/${story.slug}`)).body;
  assert.equal(title(html), 'Barrier work begins – National | Test Gazette');
  assert.equal(meta(html, 'og:title'), 'Barrier work begins – National | Test Gazette');
  assert.equal(meta(html, 'description'), 'The vote ends a decade of delays.');
  assert.equal(meta(html, 'og:description'), 'The vote ends a decade of delays.');
  assert.match(meta(html, 'og:image') ?? '', new RegExp(`^http://news\\.test/media/images/${leadImage.folder}/w1280\\.jpg$`));
  assert.equal(meta(html, 'og:image:width'), '1280');
  assert.equal(meta(html, 'og:image:height'), '720');
  assert.equal(meta(html, 'og:image:alt'), 'Workers on the barrier');
});

test('the search title, description and social image win; the JSON-LD keeps the headline', async () => {
  const leadImage = await describedImage('Rain over the bay');
  const social = await describedImage('The new barrier, from the air', 1400, 700);
  const story = await t.services.articles.save(
    storyInput({
      headline: 'Council approves new flood barrier after a decade of delays',
      seoTitle: 'Flood barrier approved',
      seoDescription: 'Councillors voted 9–2 for the Harlow Bay barrier.',
      leadImage: lead(leadImage.id),
      socialImageId: social.id,
    }),
  );
  const html = (await t.app.inject(`/national/${story.slug}`)).body;
  assert.equal(title(html), 'Flood barrier approved – National | Test Gazette');
  assert.equal(meta(html, 'og:title'), 'Flood barrier approved – National | Test Gazette');
  assert.equal(meta(html, 'description'), 'Councillors voted 9–2 for the Harlow Bay barrier.');
  assert.equal(meta(html, 'og:description'), 'Councillors voted 9–2 for the Harlow Bay barrier.');
  assert.match(meta(html, 'og:image') ?? '', new RegExp(`/media/images/${social.folder}/w1280\\.jpg$`));
  assert.equal(meta(html, 'og:image:width'), '1280');
  assert.equal(meta(html, 'og:image:height'), '640');
  assert.equal(meta(html, 'og:image:alt'), 'The new barrier, from the air');
  assert.equal(meta(html, 'twitter:image:alt'), 'The new barrier, from the air');
  const data = jsonLd(html);
  assert.equal(data.headline, 'Council approves new flood barrier after a decade of delays');
  assert.match(html, /<h1>Council approves new flood barrier after a decade of delays<\/h1>/, 'the page itself shows the headline');
});

test('a change to the social image’s alt text drops the cached page', async () => {
  const social = await describedImage('Harbour at dusk');
  const story = await t.services.articles.save(storyInput({ headline: 'Harbour lights return', socialImageId: social.id }));
  const url = `/national/${story.slug}`;
  await t.app.inject(url);
  assert.equal((await t.app.inject(url)).headers['x-cache'], 'HIT');
  await t.services.images.updateMeta(social.id, { alt: 'Harbour lights at dusk' });
  const again = await t.app.inject(url);
  assert.equal(again.headers['x-cache'], 'MISS');
  assert.equal(meta(again.body, 'og:image:alt'), 'Harbour lights at dusk');
});
