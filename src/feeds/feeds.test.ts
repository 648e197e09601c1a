// Every feed (the site, a section, an author, a topic; RSS, Atom and JSON Feed) read by a real
// feed parser and checked for the validator's usual errors and warnings; what they list, their
// dates after a correction, full text or excerpt by setting, conditional GET, caching and
// invalidation, autodiscovery links, and 404s.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { atomProblems, jsonFeedProblems, rssProblems } from '../../test/helpers/feed-checks.ts';
import { libraryImage, seedBasics, storyBody, storyInput } from '../../test/helpers/fixtures.ts';
import { paragraph } from '../articles/body.ts';
import type { Article } from '../articles/model.ts';

let now = new Date('2026-11-20T12:00:00Z');
let t: TestApp;
let pictured: Article;
let agency: Article;
const BASES = ['', '/national', '/author/ada-reporter', '/topic/flooding'];
const FILES = ['feed.xml', 'atom.xml', 'feed.json'];

before(async () => {
  t = await buildTestApp({}, { clock: { now: () => now }, runJobs: false });
  await seedBasics(t.services);
  const image = await libraryImage(t, 'barrier.jpg', { width: 1600, height: 900 });
  await t.services.images.updateMeta(image.id, { alt: 'The barrier’s steel gates at low tide', caption: 'The gates', credit: 'Staff photo' });
  pictured = await t.services.articles.save(
    storyInput({
      headline: 'Council approves <new> flood barrier & a "levy"',
      publishedAt: '2026-11-20T08:00:00.000Z',
      authorSlugs: ['ada-reporter', 'ben-writer'],
      topicNames: ['Flooding', 'Harlow Bay'],
      credit: { text: 'Priya Nair contributed to this report.', contributors: ['Priya Nair'], agencies: [] },
      leadImage: { imageId: image.id, url: '', alt: '', caption: '', credit: '' },
      body: storyBody(3, [paragraph('See the earlier story.'), { type: 'image', attrs: { imageId: image.id } }]),
    }),
  );
  agency = await t.services.articles.save(
    storyInput({ headline: 'Wire: tides rise along the coast', dek: '', authorSlugs: [], publishedAt: '2026-11-20T09:00:00.000Z', credit: { text: 'Northwire', contributors: [], agencies: ['Northwire'] } }),
  );
  await t.services.articles.save(storyInput({ headline: 'Still a draft', status: 'draft' }));
  await t.services.articles.save(storyInput({ headline: 'Under embargo', status: 'scheduled', publishedAt: '2026-11-21T09:00:00.000Z' }));
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const site = () => t.config.siteUrl;

test('every feed of every listing passes the format checks with no errors and no warnings', async () => {
  for (const base of BASES) {
    for (const file of FILES) {
      const url = `${base}/${file}`;
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      const self = site() + url;
      if (file === 'feed.xml') {
        assert.equal(response.headers['content-type'], 'application/rss+xml; charset=utf-8');
        assert.deepEqual(rssProblems(response.body, self), [], url);
      } else if (file === 'atom.xml') {
        assert.equal(response.headers['content-type'], 'application/atom+xml; charset=utf-8');
        assert.deepEqual(atomProblems(response.body, self), [], url);
      } else {
        assert.equal(response.headers['content-type'], 'application/feed+json; charset=utf-8');
        assert.deepEqual(jsonFeedProblems(response.body, self), [], url);
      }
      assert.doesNotMatch(response.body, /Still a draft|Under embargo/, url);
    }
  }
});

test('RSS and Atom read by a feed parser: titles, links, authors, contributors, categories, dates, pictures', async () => {
  for (const file of ['feed.xml', 'atom.xml']) {
    const feed = parseFeed((await get(`/${file}`)).body);
    assert.equal(feed.title, 'Test Gazette');
    assert.equal(feed.self, `${site()}/${file}`);
    assert.deepEqual(feed.items.map((i) => i.title), ['Wire: tides rise along the coast', 'Council approves <new> flood barrier & a "levy"'], file);
    const [wire, story] = feed.items as [(typeof feed.items)[0], (typeof feed.items)[0]];
    assert.equal(story.url, `${site()}/national/${pictured.slug}`);
    assert.equal(story.id, `tag:news.test,${pictured.createdAt.slice(0, 10)}:story:${pictured.id}`);
    assert.deepEqual(story.authors.map((a) => a.name), ['Ada Reporter', 'Ben Writer']);
    assert.deepEqual(wire.authors.map((a) => a.name), ['Northwire'], 'an agency story is credited to the agency');
    assert.deepEqual(story.categories.map((c) => c.label ?? c.term), ['National', 'Flooding', 'Harlow Bay']);
    assert.equal(story.published?.toISOString(), '2026-11-20T08:00:00.000Z');
    const media = story.media.find((m) => m.type === 'image' || m.mimeType === 'image/jpeg');
    assert.ok(media, `${file}: the lead picture`);
    assert.match(media.url, /^http:\/\/news\.test\/media\/images\/.+\.jpg$/);
    assert.match(story.content ?? '', /<img src="http:\/\/news\.test\/media\/images\/[^"]+" alt="The barrier’s steel gates at low tide" width="\d+" height="\d+"/, 'full text, pictures with absolute addresses');
    assert.match(story.content ?? '', /Priya Nair contributed to this report\./);
  }
  const rss = (await get('/feed.xml')).body;
  assert.match(rss, /<dc:contributor>Priya Nair<\/dc:contributor>/);
  assert.match(rss, /<enclosure url="http:\/\/news\.test\/media\/images\/[^"]+\.jpg" length="\d+" type="image\/jpeg"\/>/);
  assert.match(rss, /<media:content url="[^"]+" medium="image" type="image\/jpeg" width="1280" height="720"><media:description type="plain">The barrier’s steel gates at low tide<\/media:description><\/media:content>/);
  const atom = (await get('/atom.xml')).body;
  assert.match(atom, /<contributor><name>Priya Nair<\/name><\/contributor>/);
  assert.match(atom, /<author><name>Ada Reporter<\/name><uri>http:\/\/news\.test\/author\/ada-reporter<\/uri><\/author>/);
  const json = JSON.parse((await get('/feed.json')).body) as { items: { title: string; authors: { name: string }[]; image?: string; tags: string[]; _credits?: unknown }[] };
  const story = json.items.find((i) => i.title.startsWith('Council'))!;
  assert.deepEqual(story.authors, [{ name: 'Ada Reporter', url: `${site()}/author/ada-reporter` }, { name: 'Ben Writer', url: `${site()}/author/ben-writer` }]);
  assert.deepEqual(story.tags, ['National', 'Flooding', 'Harlow Bay']);
  assert.match(story.image ?? '', /^http:\/\/news\.test\/media\/images\//);
  assert.deepEqual(story._credits, { contributors: ['Priya Nair'] });
});

test('a correction moves the entry’s updated time in every format, after its publication', async () => {
  const before = (await get('/atom.xml')).headers.etag;
  now = new Date('2026-11-20T15:30:00Z');
  const full = (await t.services.articles.findById(agency.id))!;
  await t.services.articles.addCorrection(agency.id, 'An earlier version gave the wrong tide height.', full.version);
  const atom = parseFeed((await get('/atom.xml')).body);
  const entry = atom.items.find((i) => i.title?.startsWith('Wire'))!;
  assert.equal(entry.updated?.toISOString(), '2026-11-20T15:30:00.000Z');
  assert.equal(entry.published?.toISOString(), '2026-11-20T09:00:00.000Z');
  assert.equal(atom.updated?.toISOString(), '2026-11-20T15:30:00.000Z', 'the feed is as new as its newest change');
  assert.notEqual((await get('/atom.xml')).headers.etag, before);
  assert.match((await get('/feed.xml')).body, /<dcterms:modified>2026-11-20T15:30:00.000Z<\/dcterms:modified>/);
  const json = JSON.parse((await get('/feed.json')).body) as { items: { title: string; date_modified: string; content_html: string }[] };
  const item = json.items.find((i) => i.title.startsWith('Wire'))!;
  assert.equal(item.date_modified, '2026-11-20T15:30:00.000Z');
  assert.match(item.content_html, /Correction \(2026-11-20\):<\/strong> An earlier version gave the wrong tide height\./);
});

test('excerpt by setting: no full text in any format, and the change reaches cached feeds', async () => {
  assert.match((await get('/feed.xml')).body, /<content:encoded>/);
  await t.services.settings.update({ feedContent: 'excerpt' });
  const rss = (await get('/feed.xml')).body;
  assert.doesNotMatch(rss, /<content:encoded>/);
  assert.match(rss, /<description>The vote ends a decade of delays\.<\/description>/);
  assert.doesNotMatch((await get('/atom.xml')).body, /<content /);
  const json = JSON.parse((await get('/feed.json')).body) as { items: { content_text?: string; content_html?: string }[] };
  assert.ok(json.items.every((i) => i.content_html === undefined && typeof i.content_text === 'string' && i.content_text.length > 0));
  assert.deepEqual(rssProblems(rss, `${site()}/feed.xml`), []);
  await assert.rejects(t.services.settings.update({ feedContent: 'everything' as 'full' }), /full text or an excerpt/);
  await t.services.settings.update({ feedContent: 'full' });
  assert.match((await get('/feed.xml')).body, /<content:encoded>/);
});

test('conditional GET: an ETag, 304 for it, cached until a publish drops it', async () => {
  for (const file of FILES) {
    const first = await get(`/national/${file}`);
    const etag = String(first.headers.etag);
    assert.match(etag, /^W\/"/);
    const again = await get(`/national/${file}`, { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.headers['x-cache'], 'HIT');
    assert.match(String(again.headers['cache-control']), /max-age=\d+, s-maxage=\d+, stale-while-revalidate/);
  }
  await t.services.articles.save(storyInput({ headline: 'A new story for the feeds', publishedAt: '2026-11-20T15:00:00.000Z' }));
  for (const base of BASES) {
    for (const file of FILES) {
      const response = await get(`${base}/${file}`);
      assert.equal(response.headers['x-cache'], 'MISS', `${base}/${file} dropped by the publish`);
      assert.match(response.body, /A new story for the feeds/);
    }
  }
  assert.equal((await get('/world/atom.xml')).headers['x-cache'], 'MISS');
  assert.equal((await get('/world/atom.xml')).headers['x-cache'], 'HIT');
  await t.services.articles.save(storyInput({ headline: 'Another national story', publishedAt: '2026-11-20T15:01:00.000Z' }));
  assert.equal((await get('/world/atom.xml')).headers['x-cache'], 'HIT', 'a national story leaves the World feed alone');
});

test('pages offer their own feeds in every format (autodiscovery)', async () => {
  const pages: [string, string][] = [
    ['/', ''],
    ['/national', '/national'],
    [`/national/${pictured.slug}`, '/national'],
    ['/author/ada-reporter', '/author/ada-reporter'],
    ['/topic/flooding', '/topic/flooding'],
  ];
  for (const [page, base] of pages) {
    const html = (await get(page)).body;
    for (const [type, file] of [['application/rss+xml', 'feed.xml'], ['application/atom+xml', 'atom.xml'], ['application/feed+json', 'feed.json']] as const) {
      assert.match(html, new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]+" href="${base}/${file}"/>`), `${page}: ${file}`);
    }
  }
});

test('the latest 50 stories, newest first', async () => {
  const saves = Array.from({ length: 52 }, (_, i) => ({ input: storyInput({ headline: `Bulk story ${i}`, sectionSlug: 'world', topicNames: [], publishedAt: new Date(Date.parse('2026-11-19T00:00:00Z') + i * 60_000).toISOString() }) }));
  await t.services.articles.saveMany(saves);
  const json = JSON.parse((await get('/world/feed.json')).body) as { items: { title: string }[] };
  assert.equal(json.items.length, 50);
  assert.equal(json.items[0]!.title, 'Bulk story 51');
  assert.equal(parseFeed((await get('/world/feed.xml')).body).items.length, 50);
});

test('feeds of what does not exist are 404: an unknown section, author or topic, a topic only drafts carry', async () => {
  await t.services.articles.save(storyInput({ headline: 'A secret scoop', status: 'draft', topicNames: ['Secret Merger'] }));
  for (const url of ['/nowhere/feed.xml', '/author/nobody/atom.xml', '/topic/nothing/feed.json', '/topic/secret-merger/feed.xml', '/topic/secret-merger/atom.xml']) {
    assert.equal((await get(url)).statusCode, 404, url);
  }
  assert.equal((await get('/topic/Bad_Slug/feed.xml')).statusCode, 400);
});
