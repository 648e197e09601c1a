import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Article } from '../articles/model.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyBody, storyInput } from '../../test/helpers/fixtures.ts';

let t: TestApp;
let story: Article;

before(async () => {
  t = await buildTestApp({}, { runJobs: false });
  await seedBasics(t.services);
  await t.services.ads.create({ name: 'house', headline: 'Read our morning briefing', body: 'Every weekday.', linkUrl: '/national', sponsor: 'Test Gazette' });
  const videoId = await t.services.videos.ensureReference('Flood barrier explained', 'How the gates will work');
  story = await t.services.articles.save(
    storyInput({
      headline: 'Council approves <new> flood barrier',
      topicNames: ['Flooding', 'Harlow Bay'],
      body: storyBody(12, [{ type: 'video', attrs: { videoId, title: 'Flood barrier explained', caption: 'How the gates will work' } }]),
      credit: { text: 'Northwire writers Jo Bloggs and Sam Lee contributed to this report.', contributors: ['Jo Bloggs', 'Sam Lee'], agencies: ['Northwire'] },
    }),
  );
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const articleUrl = () => `/national/${story.slug}`;

test('the article page shows every part of the story, in reading order', async () => {
  const res = await get(articleUrl());
  assert.equal(res.statusCode, 200);
  const html = res.body;
  const order = [
    'Skip to content',
    'Test Gazette',
    'aria-label="Sections"',
    'class="kicker"><a href="/national">National</a>',
    '<h1>Council approves &lt;new> flood barrier</h1>',
    'class="dek"',
    'By <a href="/author/ada-reporter">Ada Reporter</a>',
    `<time datetime="${story.publishedAt}"`,
    'Paragraph 1 of the story',
    'Story continues below advertisement',
    'Read our morning briefing',
    '<h2>What happens next</h2>',
    'Flood barrier explained',
    'class="credit-line">Northwire writers Jo Bloggs and Sam Lee contributed to this report.</p>',
    'href="/topic/flooding"',
    'href="#top"',
  ];
  let at = -1;
  for (const part of order) {
    const found = html.indexOf(part, at + 1);
    assert.ok(found > at, `expected "${part}" after position ${at}`);
    at = found;
  }
  assert.match(html, /<header class="site-header" id="top">/);
  assert.match(html, /Back to top<\/a>/);
  assert.ok(!html.includes('<script>'), 'no scripts: the page works without JavaScript');
  // The video has no media yet: its title shows, but nothing pretends it can play.
  assert.ok(!html.includes('<video'));
  assert.ok(!html.includes('Click to play video'));
});

test('ad slots follow the placement rule and never sit beside a heading', async () => {
  const html = (await get(articleUrl())).body;
  const slots = html.match(/Story continues below advertisement/g) ?? [];
  assert.ok(slots.length >= 2, `expected at least two slots, got ${slots.length}`);
  assert.doesNotMatch(html, /<\/aside><h2>/);
  assert.doesNotMatch(html, /<\/h2><aside/);
});

test('the article page has SEO metadata and NewsArticle JSON-LD', async () => {
  const html = (await get(articleUrl())).body;
  assert.match(html, /<title>Council approves &lt;new> flood barrier – National \| Test Gazette<\/title>/);
  assert.ok(html.includes(`<link rel="canonical" href="http://news.test${articleUrl()}"/>`));
  assert.match(html, /<meta property="og:type" content="article"\/>/);
  assert.match(html, /<meta name="description" content="The vote ends a decade of delays."\/>/);
  assert.ok(html.includes('href="/national/feed.xml"'));
  const json = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)?.[1];
  assert.ok(json, 'JSON-LD present');
  assert.ok(!json.includes('<'), 'no raw "<" inside the script element');
  const ld = JSON.parse(json) as Record<string, unknown>;
  assert.equal(ld['@type'], 'NewsArticle');
  assert.equal(ld.headline, 'Council approves <new> flood barrier');
  assert.equal(ld.articleSection, 'National');
  assert.equal(ld.datePublished, story.publishedAt);
  assert.deepEqual(ld.author, [{ '@type': 'Person', name: 'Ada Reporter', url: 'http://news.test/author/ada-reporter' }]);
  assert.deepEqual((ld.contributor as { name: string }[]).map((c) => c.name), ['Jo Bloggs', 'Sam Lee']);
  assert.equal((ld.publisher as { name: string }).name, 'Test Gazette');
});

test('reader pages state their cache policy, validators and security headers', async () => {
  const res = await get(articleUrl());
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(String(res.headers['cache-control']), /^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+, stale-if-error=\d+$/);
  // A story is kept through an outage for ten minutes (it may have been taken down), a front for a day;
  // shared caches a minute (no purger is configured here: nothing would tell them of a change).
  assert.equal(res.headers['cache-control'], 'public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=600');
  assert.equal((await get('/')).headers['cache-control'], 'public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400');
  assert.match(String(res.headers.etag), /^W\/"[\w-]+"$/);
  assert.equal(res.headers.vary, 'Accept-Encoding');
  assert.match(String(res.headers['surrogate-key']), new RegExp(`(^| )article:${story.id}( |$)`));
  assert.deepEqual(String(res.headers['cache-tag']).split(','), String(res.headers['surrogate-key']).split(' '), 'Cache-Tag names the same keys');
  assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
});

test('a repeat request is a cache hit, and If-None-Match answers 304 with no body', async () => {
  const first = await get('/world');
  const second = await get('/world');
  assert.equal(second.headers['x-cache'], 'HIT');
  assert.equal(second.body, first.body);
  const revalidated = await get('/world', { 'if-none-match': String(first.headers.etag) });
  assert.equal(revalidated.statusCode, 304);
  assert.equal(revalidated.body, '');
  const changed = await get('/world', { 'if-none-match': 'W/"something-else"' });
  assert.equal(changed.statusCode, 200);
});

test('pages are served compressed with brotli or gzip, as the client accepts', async () => {
  const plain = await get(articleUrl(), { 'accept-encoding': 'identity' });
  const br = await get(articleUrl(), { 'accept-encoding': 'gzip, br' });
  const gz = await get(articleUrl(), { 'accept-encoding': 'gzip' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
  assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
  assert.ok(br.rawPayload.length < plain.rawPayload.length / 3);
});

test('the front, section, author and topic pages list the story', async () => {
  for (const url of ['/', '/national', '/author/ada-reporter', '/topic/flooding']) {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.ok(res.body.includes(`href="${articleUrl()}"`), `${url} links the story`);
  }
  const section = (await get('/national')).body;
  assert.match(section, /<h1>National<\/h1>/);
  assert.match(section, /aria-current="page"/);
  const author = (await get('/author/ada-reporter')).body;
  assert.match(author, /Covers city hall\./);
});

test('section pages paginate: 20 stories a page, links between pages, 404 past the end', async () => {
  await t.services.articles.saveMany(
    Array.from({ length: 21 }, (_, i) => ({
      input: storyInput({ headline: `World story ${i + 1}`, sectionSlug: 'world', publishedAt: new Date(Date.now() - (i + 1) * 60_000).toISOString() }),
    })),
  );
  const first = await get('/world');
  assert.equal((first.body.match(/<li><h2>/g) ?? []).length, 20);
  assert.match(first.body, /href="\/world\?page=2" rel="next"/);
  const second = await get('/world?page=2');
  assert.equal(second.statusCode, 200);
  assert.match(second.body, /World story 21/);
  assert.match(second.body, /href="\/world" rel="prev"/);
  assert.equal((await get('/world?page=3')).statusCode, 404);
});

test('drafts are not found; unknown pages get the friendly 404; bad input a clear 400', async () => {
  const draft = await t.services.articles.save(storyInput({ headline: 'Secret draft', status: 'draft' }));
  for (const url of [`/national/${draft.slug}`, '/national/no-such-story', '/no-section', '/author/nobody', '/topic/nothing', '/no-section/feed.xml']) {
    const res = await get(url);
    assert.equal(res.statusCode, 404, url);
    assert.match(res.body, /We couldn’t find that page/, url);
    assert.ok(!res.body.includes('Secret draft'));
  }
  for (const url of ['/national?page=0', '/national?page=abc', '/national?page=1.5', '/NATIONAL']) {
    const res = await get(url);
    assert.equal(res.statusCode, 400, url);
    assert.match(res.body, /That address is not valid/);
    assert.doesNotMatch(res.body, /at .*\.ts:\d+/, 'no stack trace');
  }
  const api = await get('/api/nothing');
  assert.equal(api.statusCode, 404);
  const body = api.json() as { errors: { message: string }[] };
  assert.equal(body.errors.length, 1);
  assert.match(body.errors[0]!.message, /could not be found/);
});

test('an ad slot with nothing to show collapses: no label, no empty box', async () => {
  const bare = await buildTestApp();
  try {
    await seedBasics(bare.services);
    const s = await bare.services.articles.save(storyInput({ body: storyBody(12) }));
    const html = (await bare.app.inject(`/national/${s.slug}`)).body;
    assert.ok(!html.includes('Story continues below advertisement'));
    assert.ok(!html.includes('class="ad-slot"'));
  } finally {
    await bare.close();
  }
});

test('feeds: the site RSS and a section RSS list published stories', async () => {
  const site = await get('/feed.xml');
  assert.equal(site.headers['content-type'], 'application/rss+xml; charset=utf-8');
  assert.match(site.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
  assert.ok(site.body.includes(`<link>http://news.test${articleUrl()}</link>`));
  assert.ok(site.body.includes('<title>Council approves &lt;new&gt; flood barrier</title>'));
  const world = await get('/world/feed.xml');
  assert.ok(!world.body.includes(articleUrl()), 'a national story is not in the World feed');
});

test('/ads.txt comes from the site settings; robots.txt and the icon exist', async () => {
  assert.match((await get('/ads.txt')).body, /^# No authorised sellers/);
  await t.services.settings.update({ adsTxt: 'example.com, pub-123, DIRECT, f08c47fec0942fa0' });
  const ads = await get('/ads.txt');
  assert.equal(ads.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(ads.body, 'example.com, pub-123, DIRECT, f08c47fec0942fa0\n');
  assert.match((await get('/robots.txt')).body, /User-agent: \*/);
  assert.equal((await get('/favicon.svg')).headers['content-type'], 'image/svg+xml');
});

test('only GET and HEAD are answered on reader pages', async () => {
  const post = await t.app.inject({ method: 'POST', url: articleUrl(), payload: {} });
  assert.equal(post.statusCode, 404);
  const head = await t.app.inject({ method: 'HEAD', url: articleUrl() });
  assert.equal(head.statusCode, 200);
  assert.equal(head.body, '');
});

test('a failure inside gives readers the friendly 500 page, with no stack trace or SQL', async () => {
  const broken = await buildTestApp();
  try {
    await seedBasics(broken.services);
    await broken.database.close(); // the database goes away under the running app
    const res = await broken.app.inject('/national');
    assert.equal(res.statusCode, 500);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body, /Something went wrong on our side/);
    assert.doesNotMatch(res.body, /select|sqlite|postgres|Error:|\.ts:\d+/i);
    const api = await broken.app.inject({ url: '/national', headers: { accept: 'application/json' } });
    assert.equal(api.statusCode, 500);
    assert.deepEqual(api.json(), { errors: [{ code: 'server_error', message: 'Something went wrong on our side.' }] });
  } finally {
    await broken.close(); // closing an already closed database is harmless
  }
});

test('a topic that only a draft or an embargoed story carries does not exist for readers until the story does', async () => {
  const draft = await t.services.articles.save(storyInput({ headline: 'Merger talks', status: 'draft', topicNames: ['Project Kestrel'] }));
  const embargoed = await t.services.articles.save(storyInput({ headline: 'Budget leak', status: 'scheduled', publishedAt: new Date(Date.now() + 86_400_000).toISOString(), topicNames: ['Operation Lantern'] }));
  for (const url of ['/topic/project-kestrel', '/topic/operation-lantern']) {
    const res = await get(url);
    assert.equal(res.statusCode, 404, url);
    assert.doesNotMatch(res.body, /Kestrel|Lantern/, 'the name of a scoop is not told');
  }
  await t.services.articles.publishNow(draft.id, draft.version);
  const live = await get('/topic/project-kestrel');
  assert.equal(live.statusCode, 200);
  assert.match(live.body, /Project Kestrel/);
  assert.equal((await get('/topic/operation-lantern')).statusCode, 404, embargoed.headline);
});
