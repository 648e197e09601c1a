// Structured data and link previews, checked by a tool no one here wrote
// (structured-data-testing-tool, presets Google and SocialMedia: 0 failures) on a story with a
// picture, a story without one, the front, a section and an author page; and against Google's
// required and recommended article properties. A story without a picture gets drawn cards at
// 16:9, 4:3 and 1:1, served immutable and drawn again when the headline changes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { libraryImage, seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import type { Article } from '../articles/model.ts';

const require = createRequire(import.meta.url);
const { structuredDataTest } = require('structured-data-testing-tool') as { structuredDataTest(html: string, options: unknown): Promise<ToolResult> };
const { Google, SocialMedia } = require('structured-data-testing-tool/presets') as Record<string, unknown>;
interface ToolResult { passed: unknown[]; failed: { test: string; description?: string }[]; warnings: { test: string }[]; schemas: string[] }

let t: TestApp;
let pictured: Article;
let plain: Article;
const LONG = 'Council approves the new Harlow Bay flood barrier after a decade of delays, a public inquiry, two elections and a fight over the levy';

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  await t.services.authors.save({ slug: 'ada-reporter', name: 'Ada Reporter', bio: 'Covers city hall.' });
  const image = await libraryImage(t, 'barrier.jpg', { width: 1600, height: 900 });
  await t.services.images.updateMeta(image.id, { alt: 'The barrier’s gates at low tide', caption: 'Testing day' });
  pictured = await t.services.articles.save(storyInput({ headline: 'Barrier gates tested', leadImage: { imageId: image.id, url: '', alt: '', caption: '', credit: '' }, topicNames: ['Flooding', 'Harlow Bay'], credit: { text: 'Priya Nair contributed.', contributors: ['Priya Nair'], agencies: [] } }));
  plain = await t.services.articles.save(storyInput({ headline: LONG }));
  const fixed = await t.services.articles.addCorrection(plain.id, 'An earlier version misnamed the inquiry.', plain.version);
  plain = fixed;
});
after(() => t.close());

const html = async (url: string) => {
  const response = await t.app.inject(url);
  assert.equal(response.statusCode, 200, url);
  return response.body;
};
const blocks = (page: string) => [...page.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
const ofType = (page: string, type: string) => blocks(page).find((b) => b['@type'] === type);
const meta = (page: string, key: string) => new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)"`).exec(page)?.[1];

async function tool(page: string): Promise<ToolResult> {
  try {
    return await structuredDataTest(page, { presets: [Google, SocialMedia] });
  } catch (error) {
    const failure = error as { type?: string; res?: ToolResult };
    if (failure.type === 'VALIDATION_FAILED' && failure.res) return failure.res;
    throw error;
  }
}

test('the testing tool finds no failures on a story (with and without a picture), the front, a section and an author page', async () => {
  const pages = { pictured: `/national/${pictured.slug}`, plain: `/national/${plain.slug}`, front: '/', section: '/national', author: '/author/ada-reporter', topic: '/topic/flooding' };
  for (const [name, url] of Object.entries(pages)) {
    const result = await tool(await html(url));
    assert.deepEqual(result.failed.map((f) => `${f.test}: ${f.description ?? ''}`), [], `${name} (${url})`);
    assert.ok(result.passed.length > 5, `${name}: the tool ran its tests`);
    if (name === 'pictured' || name === 'plain') assert.ok(result.schemas.includes('NewsArticle'), `${name}: ${result.schemas.join()}`);
  }
});

test('NewsArticle has Google’s required and recommended properties', async () => {
  for (const story of [pictured, plain]) {
    const page = await html(`/national/${story.slug}`);
    const article = ofType(page, 'NewsArticle')!;
    assert.ok(article, story.slug);
    const headline = String(article.headline);
    assert.ok(headline.length <= 110, headline);
    assert.ok(headline.length >= 10);
    assert.match(String(article.datePublished), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.match(String(article.dateModified), /^\d{4}-\d{2}-\d{2}T/);
    assert.ok(String(article.dateModified) >= String(article.datePublished));
    const images = article.image as { '@type': string; url: string; width: number; height: number }[];
    assert.ok(images.length >= 1 && images.every((i) => i['@type'] === 'ImageObject' && /^http:\/\/news\.test\//.test(i.url) && i.width >= 1200 && i.height > 0));
    const authors = article.author as { '@type': string; name: string; url?: string }[];
    assert.deepEqual(authors, [{ '@type': 'Person', name: 'Ada Reporter', url: 'http://news.test/author/ada-reporter' }]);
    const publisher = article.publisher as { '@type': string; name: string; logo: { '@type': string; url: string; width: number; height: number } };
    assert.equal(publisher['@type'], 'NewsMediaOrganization');
    assert.equal(publisher.name, 'Test Gazette');
    assert.equal(publisher.logo['@type'], 'ImageObject');
    assert.equal((await t.app.inject(publisher.logo.url.replace('http://news.test', ''))).statusCode, 200, 'the logo exists');
    assert.equal(article.articleSection, 'National');
    assert.equal(article.isAccessibleForFree, true);
    assert.deepEqual(article.mainEntityOfPage, { '@type': 'WebPage', '@id': `http://news.test/national/${story.slug}` });
    const crumbs = ofType(page, 'BreadcrumbList')!.itemListElement as { position: number; name: string; item: string }[];
    assert.deepEqual(crumbs.map((c) => [c.position, c.item]), [[1, 'http://news.test/'], [2, 'http://news.test/national'], [3, `http://news.test/national/${story.slug}`]]);
  }
  const withPicture = ofType(await html(`/national/${pictured.slug}`), 'NewsArticle')!;
  assert.deepEqual(withPicture.keywords, ['Flooding', 'Harlow Bay']);
  assert.deepEqual(withPicture.contributor, [{ '@type': 'Person', name: 'Priya Nair' }]);
  assert.equal((withPicture.image as { caption: string }[])[0]!.caption, 'Testing day');
  const corrected = ofType(await html(`/national/${plain.slug}`), 'NewsArticle')!;
  assert.equal(String(corrected.headline).endsWith('…'), true, 'a headline past 110 characters is cut at a word');
  assert.deepEqual((corrected.correction as { '@type': string; text: string }[]).map((c) => [c['@type'], c.text]), [['CorrectionComment', 'An earlier version misnamed the inquiry.']]);
});

test('the front is a WebSite with a SearchAction; sections and topics are CollectionPages; authors ProfilePages', async () => {
  const site = ofType(await html('/'), 'WebSite')!;
  assert.deepEqual(site.potentialAction, { '@type': 'SearchAction', target: { '@type': 'EntryPoint', urlTemplate: 'http://news.test/search?q={search_term_string}' }, 'query-input': 'required name=search_term_string' });
  const section = await html('/national');
  const collection = ofType(section, 'CollectionPage')!;
  assert.equal(collection.url, 'http://news.test/national');
  assert.equal(((collection.mainEntity as { itemListElement: unknown[] }).itemListElement).length, 2);
  assert.deepEqual((ofType(section, 'BreadcrumbList')!.itemListElement as { item: string }[]).map((c) => c.item), ['http://news.test/', 'http://news.test/national']);
  assert.ok(ofType(await html('/topic/flooding'), 'CollectionPage'));
  const profile = ofType(await html('/author/ada-reporter'), 'ProfilePage')!;
  assert.deepEqual((profile.mainEntity as { '@type': string; name: string; description: string }), { ...(profile.mainEntity as object), '@type': 'Person', name: 'Ada Reporter', description: 'Covers city hall.' });
});

test('Open Graph and Twitter cards are complete on every page', async () => {
  for (const url of ['/', '/national', `/national/${pictured.slug}`, `/national/${plain.slug}`, '/author/ada-reporter', '/topic/flooding', '/search?q=barrier', '/alerts']) {
    const page = await html(url);
    for (const key of ['og:locale', 'og:title', 'og:type', 'og:url', 'og:description', 'og:site_name', 'og:image', 'og:image:width', 'og:image:height', 'og:image:alt', 'twitter:card', 'twitter:title', 'twitter:description', 'twitter:image', 'twitter:image:alt']) {
      assert.ok(meta(page, key), `${url}: ${key}`);
    }
    assert.equal(meta(page, 'og:locale'), 'en_US');
    assert.equal(meta(page, 'twitter:card'), 'summary_large_image');
    assert.match(meta(page, 'og:image')!, /^http:\/\/news\.test\//);
  }
});

test('a story without a picture gets drawn cards at 16:9, 4:3 and 1:1: immutable files, drawn again for a new headline', async () => {
  const url = `/national/${plain.slug}`;
  const article = ofType(await html(url), 'NewsArticle')!;
  const cards = article.image as { url: string; width: number; height: number }[];
  assert.deepEqual(cards.map((c) => `${c.width}x${c.height}`), ['1200x675', '1200x900', '1200x1200']);
  for (const card of cards) {
    const response = await t.app.inject(card.url.replace('http://news.test', ''));
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'image/png');
    assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
    const info = await sharp(response.rawPayload).metadata();
    assert.deepEqual([info.width, info.height], [card.width, card.height]);
  }
  const page = await html(url);
  assert.equal(meta(page, 'og:image'), cards[0]!.url);
  assert.equal(meta(page, 'og:image:alt'), `Test Gazette: ${LONG}`);
  const before = (await t.app.inject(cards[0]!.url.replace('http://news.test', ''))).rawPayload;
  const full = (await t.services.articles.findById(plain.id))!;
  await t.services.articles.save(storyInput({ headline: 'Barrier approved', publishedAt: full.publishedAt }), { id: plain.id, expectedVersion: full.version });
  const redrawn = meta(await html(url), 'og:image')!;
  assert.notEqual(redrawn, cards[0]!.url, 'a new headline, a new card at a new address');
  const after = (await t.app.inject(redrawn.replace('http://news.test', ''))).rawPayload;
  assert.notDeepEqual(after, before);
  for (const bad of ['/social-cards/../../etc.png', '/social-cards/nothing.png', '/social-cards/0123456789abcdef0123.png']) assert.equal((await t.app.inject(bad)).statusCode, 404, bad);

  // The page does not wait for the drawing; a card whose drawing a restart cut short is drawn
  // when its address is asked for, from the note the page left.
  const name = redrawn.split('/').pop()!;
  const file = path.join(t.dataDir, 'social-cards', name);
  fs.rmSync(file);
  const again = await t.app.inject(redrawn.replace('http://news.test', ''));
  assert.equal(again.statusCode, 200);
  assert.deepEqual(again.rawPayload, after);
  assert.ok(fs.existsSync(file));
});
