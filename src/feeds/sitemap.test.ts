// Sitemaps: what they list (visible stories only: drafts and embargoed stories never), the Google
// News window, paging, bad page numbers, cache invalidation, and robots.txt pointing at them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { renderUrlSet } from './sitemap.ts';

// A clock the test moves, so an embargo can end without waiting.
let now = new Date('2026-11-20T12:00:00Z');
let t: TestApp;
before(async () => {
  t = await buildTestApp({}, { clock: { now: () => now }, runJobs: false });
  await seedBasics(t.services);
});
after(() => t.close());

const get = (url: string) => t.app.inject(url);
const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
const site = () => t.config.siteUrl;

test('the index names the news, sections, video and story sitemaps; robots.txt names the index', async () => {
  const index = await get('/sitemap.xml');
  assert.equal(index.statusCode, 200);
  assert.match(String(index.headers['content-type']), /^application\/xml/);
  assert.match(index.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
  assert.deepEqual(locs(index.body), [`${site()}/sitemap-news.xml`, `${site()}/sitemap-sections.xml`, `${site()}/sitemap-videos.xml`, `${site()}/sitemap-stories-1.xml`]);
  assert.match((await get('/robots.txt')).body, new RegExp(`\\nSitemap: ${site()}/sitemap.xml\\n`));
  assert.deepEqual(locs((await get('/sitemap-sections.xml')).body), [`${site()}/`, `${site()}/national`, `${site()}/world`]);
});

test('stories: visible ones with their modified time; drafts never; scheduled ones only from their time', async () => {
  const live = await t.services.articles.save(storyInput({ headline: 'Tide gauges <upgraded> & "calibrated"', publishedAt: '2026-11-20T08:00:00.000Z' }));
  await t.services.articles.save(storyInput({ headline: 'Still a draft', status: 'draft' }));
  const embargoed = await t.services.articles.save(storyInput({ headline: 'Under embargo', status: 'scheduled', publishedAt: '2026-11-20T13:00:00.000Z' }));
  const page = (await get('/sitemap-stories-1.xml')).body;
  assert.ok(locs(page).includes(`${site()}/national/${live.slug}`));
  assert.match(page, new RegExp(`<loc>${site()}/national/${live.slug}</loc><lastmod>${live.updatedAt}</lastmod>`));
  assert.doesNotMatch(page, /still-a-draft|under-embargo/);
  assert.doesNotMatch((await get('/sitemap-news.xml')).body, /under-embargo/);

  now = new Date('2026-11-20T13:00:01Z');
  // The scheduler publishes at the time; here the clock moves and the job's move is made directly.
  assert.equal(await t.services.articles.publishScheduled({ articleId: embargoed.id, at: embargoed.publishedAt! }), true);
  const after = (await get('/sitemap-stories-1.xml')).body;
  assert.ok(locs(after).includes(`${site()}/national/${embargoed.slug}`), 'listed once its time has come');
});

test('the news sitemap: the last two days only, with the publication, language, date and escaped title', async () => {
  const old = await t.services.articles.save(storyInput({ headline: 'Three days old', publishedAt: '2026-11-17T10:00:00.000Z' }));
  const news = (await get('/sitemap-news.xml')).body;
  assert.match(news, /xmlns:news="http:\/\/www.google.com\/schemas\/sitemap-news\/0.9"/);
  assert.match(news, /<news:publication><news:name>[^<]+<\/news:name><news:language>en<\/news:language><\/news:publication>/);
  assert.match(news, /<news:title>Tide gauges &lt;upgraded&gt; &amp; &quot;calibrated&quot;<\/news:title>/);
  assert.match(news, /<news:publication_date>2026-11-20T08:00:00.000Z<\/news:publication_date>/);
  assert.doesNotMatch(news, new RegExp(old.slug), 'older than two days');
  assert.ok(locs((await get('/sitemap-stories-1.xml')).body).includes(`${site()}/national/${old.slug}`), 'but in the full sitemap');
});

test('a change to a live story drops the sitemaps; a draft edit does not', async () => {
  await get('/sitemap-stories-1.xml');
  assert.equal((await get('/sitemap-stories-1.xml')).headers['x-cache'], 'HIT');
  const draft = await t.services.articles.save(storyInput({ headline: 'Quiet draft', status: 'draft' }));
  await t.services.articles.save({ ...storyInput({ headline: 'Quiet draft, edited', status: 'draft' }) }, { id: draft.id, expectedVersion: draft.version });
  assert.equal((await get('/sitemap-stories-1.xml')).headers['x-cache'], 'HIT');
  const live = (await t.services.articles.listPublished({}, { limit: 1 }))[0]!;
  const full = (await t.services.articles.findById(live.id))!;
  const edited = await t.services.articles.save(storyInput({ headline: full.headline, dek: 'A new dek.', publishedAt: full.publishedAt }), { id: full.id, expectedVersion: full.version });
  const again = await get('/sitemap-stories-1.xml');
  assert.equal(again.headers['x-cache'], 'MISS');
  assert.match(again.body, new RegExp(`<lastmod>${edited.updatedAt}</lastmod>`));
});

test('story sitemap pages past the end, zero, or not numbers are 404', async () => {
  for (const url of ['/sitemap-stories-2.xml', '/sitemap-stories-0.xml', '/sitemap-stories-x.xml', '/sitemap-stories-1234567.xml']) {
    assert.equal((await get(url)).statusCode, 404, url);
  }
});

test('rendering escapes addresses', () => {
  assert.match(renderUrlSet([{ url: 'https://news.example/a?b=1&c=2' }]), /<loc>https:\/\/news.example\/a\?b=1&amp;c=2<\/loc>/);
});
