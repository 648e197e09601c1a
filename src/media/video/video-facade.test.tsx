// The story page's video block: before a click, a poster, the duration and a real button in
// reserved space, and no player code; once captions exist, their transcript as text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyBody, storyInput } from '../../../test/helpers/fixtures.ts';
import { clockDuration, isoDuration } from './video-facade.tsx';
import { makeClip } from './video-test-clips.ts';

let t: TestApp;
let url: string;

before(async () => {
  t = await buildTestApp({}, { watchChanges: false });
  await seedBasics(t.services);
  const incoming = await t.services.videos.createIncoming();
  const fs = await import('node:fs/promises');
  await fs.writeFile(`${incoming}/source`, makeClip({ width: 320, height: 180, seconds: 1 }));
  const clip = await t.services.videos.upload({ incoming, filename: 'gates.mp4', meta: { title: 'Flood gates close' }, createdBy: null });
  await t.jobs.runDue();
  await t.services.videos.putCaption(clip.id, { lang: 'en', label: 'English', bytes: Buffer.from('WEBVTT\n\n00:00.000 --> 00:00.900\nThe gates swing shut at high tide.\n') });
  const story = await t.services.articles.save(storyInput({ headline: 'Gates tested', body: storyBody(3, [{ type: 'video', attrs: { videoId: clip.id, title: 'Flood gates close', caption: 'The first test.' } }]) }));
  url = `/national/${story.slug}`;
});
after(() => t.close());

test('the facade: poster with width and height, lazy; the duration; a real button; the MP4 without JavaScript; no player script', async () => {
  const html = (await t.app.inject({ url })).body;
  const form = /<form class="video-frame video-facade"[^>]*>/.exec(html)?.[0] ?? '';
  assert.match(form, /method="get" action="\/media\/videos\/[0-9a-f-]+\/clip-180\.mp4"/);
  assert.match(html, /<img class="video-poster" src="[^"]+poster-w320\.jpg"[^>]* width="320" height="180" loading="lazy"/);
  assert.match(html, /<button type="submit" class="video-play">.*?Click to play video: (&#39;|')Flood gates close(&#39;|')<\/span><\/button>/);
  assert.match(html, /Duration: 1 second/);
  // The facade's island is the only video script on the page; hls.js is named only as data, loaded on a click.
  const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(scripts.some((src) => /video-facade-/.test(src!)));
  assert.ok(!scripts.some((src) => /video-player-/.test(src!)));
  assert.match(form, /data-video-player="\/assets\/video-player-[A-Za-z0-9_-]{12}\.js"/);
  assert.match(html, /<summary>Transcript of “Flood gates close”<\/summary><p>The gates swing shut at high tide\.<\/p>/);
  assert.match(form, /captions-en\.vtt/);
  const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!) as { video: Record<string, unknown>[] };
  assert.equal(ld.video.length, 1);
  assert.deepEqual(Object.keys(ld.video[0]!).sort(), ['@type', 'contentUrl', 'description', 'duration', 'name', 'thumbnailUrl', 'uploadDate']);
  assert.equal(ld.video[0]!['@type'], 'VideoObject');
  assert.equal(ld.video[0]!.duration, 'PT1S');
  assert.match(String(ld.video[0]!.contentUrl), /^http:\/\/news\.test\/media\/videos\/[0-9a-f-]+\/clip-180\.mp4$/);
});

test('the video sitemap lists the story with its clip; the feed carries the lead clip as an enclosure', async () => {
  const sitemap = (await t.app.inject({ url: '/sitemap-videos.xml' })).body;
  assert.match(sitemap, /xmlns:video="http:\/\/www\.google\.com\/schemas\/sitemap-video\/1\.1"/);
  assert.match(sitemap, new RegExp(`<url><loc>http://news\\.test${url}</loc><video:video><video:thumbnail_loc>[^<]+poster-w320\\.jpg</video:thumbnail_loc><video:title>Flood gates close</video:title>`));
  assert.match(sitemap, /<video:content_loc>http:\/\/news\.test\/media\/videos\/[0-9a-f-]+\/clip-180\.mp4<\/video:content_loc><video:duration>1<\/video:duration>/);
  assert.match((await t.app.inject({ url: '/sitemap.xml' })).body, /sitemap-videos\.xml/);
  const feed = (await t.app.inject({ url: '/feed.xml' })).body;
  assert.match(feed, /<enclosure url="http:\/\/news\.test\/media\/videos\/[0-9a-f-]+\/clip-180\.mp4" length="\d+" type="video\/mp4"\/>/);
});

test('durations for people and for machines', () => {
  assert.equal(clockDuration(65), '1:05');
  assert.equal(clockDuration(3723), '1:02:03');
  assert.equal(isoDuration(65), 'PT1M5S');
});
