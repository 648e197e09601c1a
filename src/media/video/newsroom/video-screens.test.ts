// The Videos tab: who may open it, the upload the island sends (progress is the browser's; the
// answer and the refusals are the server's), a clip's screen with its state, captions (a bad file
// refused naming its line), retry and delete; and the clip's files, staff-only until published.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../../test/helpers/build-test-app.ts';
import { Browser, staff } from '../../../../test/helpers/newsroom.ts';
import { multipartBody, type MultipartPart } from '../../image-test-samples.ts';
import { makeClip } from '../video-test-clips.ts';

let t: TestApp;
let author: { id: number; browser: Browser };

before(async () => {
  t = await buildTestApp({}, { watchChanges: false });
  author = await staff(t, 'author');
});
after(() => t.close());

/** What the island sends: the token in x-csrf-token, the text fields, then the file. */
async function islandUpload(who: Browser, parts: MultipartPart[]) {
  if (!who.csrf) await who.get('/newsroom/media/videos');
  const body = multipartBody(parts);
  const cookie = [...who.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return t.app.inject({ method: 'POST', url: '/newsroom/media/videos', payload: body.payload, headers: { ...body.headers, cookie, 'x-csrf-token': who.csrf, accept: 'application/json' } });
}

test('the Videos tab: authors and contributors upload; moderators may not; anonymous visitors sign in', async () => {
  const page = await author.browser.get('/newsroom/media/videos');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<a href="\/newsroom\/media\/videos" aria-current="page">Videos<\/a>/);
  assert.match(page.body, /<form class="stack" method="post" action="\/newsroom\/media\/videos" enctype="multipart\/form-data" novalidate data-video-upload="\/newsroom\/media\/videos\/uploads" hidden>/);
  assert.match(page.body, /<script type="module" src="\/assets\/video-upload-[A-Za-z0-9_-]{12}\.js"><\/script>/);
  assert.match((await author.browser.get('/newsroom/media')).body, /<a href="\/newsroom\/media\/videos">Videos<\/a>/, 'the Images tab links to Videos');
  const moderator = await staff(t, 'moderator');
  assert.equal((await moderator.browser.get('/newsroom/media/videos')).statusCode, 403);
  assert.equal((await islandUpload(moderator.browser, [{ name: 'file', filename: 'a.mp4', type: 'video/mp4', bytes: Buffer.from('x') }])).statusCode, 403);
  assert.equal((await new Browser(t).get('/newsroom/media/videos')).statusCode, 303);
  const contributor = await staff(t, 'contributor');
  const res = await islandUpload(contributor.browser, [{ name: 'title', value: 'From a contributor' }, { name: 'file', filename: 'c.mp4', type: 'video/mp4', bytes: makeClip({ width: 160, height: 90, seconds: 1, audio: false }) }]);
  assert.equal(res.statusCode, 201, res.body);
});

test('upload, follow the conversion, add captions (refusing a bad line), then delete', async () => {
  const refused = await islandUpload(author.browser, [{ name: 'file', filename: 'page.mp4', type: 'video/mp4', bytes: Buffer.from('<html><body>no</body></html>') }]);
  assert.equal(refused.statusCode, 415, refused.body);
  assert.match(refused.body, /not a video file/);

  const res = await islandUpload(author.browser, [{ name: 'title', value: 'Harbour at dusk' }, { name: 'file', filename: 'dusk.mov', type: 'video/quicktime', bytes: makeClip({ width: 320, height: 180, seconds: 1 }) }]);
  assert.equal(res.statusCode, 201, res.body);
  const { video } = res.json() as { video: { id: number; url: string; state: string } };
  assert.equal(video.state, 'Converting… 0 %');
  const status = await author.browser.get(`${video.url}/status`);
  assert.deepEqual(status.json(), { status: 'processing', progress: 0, state: 'Converting… 0 %', error: null });

  // Staff see the files before a story is published; readers do not.
  await t.jobs.runDue();
  const clip = await author.browser.get(video.url);
  assert.match(clip.body, /<span class="video-state"[^>]*>Ready<\/span>/);
  assert.match(clip.body, /<strong>No captions.<\/strong>/);
  const mp4 = /<video class="video-preview"[^>]* src="([^"]+)"/.exec(clip.body)![1]!;
  assert.equal((await author.browser.get(mp4)).statusCode, 200);
  assert.equal((await t.app.inject({ url: mp4 })).statusCode, 404);

  const bad = await author.browser.post(`${video.url}/captions`, { lang: 'en', label: 'English', text: 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n\n00:00:02.000 -> 00:00:03.000\nAgain\n' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Line 6: expected a timing line/);
  const good = await author.browser.post(`${video.url}/captions`, { lang: 'en', label: 'English', text: '1\n00:00:00,000 --> 00:00:00,900\nHello there.\n' });
  assert.equal(good.statusCode, 303);
  const captioned = await author.browser.get(good.headers.location as string);
  assert.match(captioned.body, /Captions added/);
  assert.match(captioned.body, /English \(en\)/);

  // The editor picks the poster's moment; the job makes it again and keeps the rest.
  const before = (await t.services.videos.get(video.id)).renditions;
  assert.equal((await author.browser.post(`${video.url}/poster`, { posterAt: '9' })).statusCode, 400);
  assert.equal((await author.browser.post(`${video.url}/poster`, { posterAt: '0.5' })).statusCode, 303);
  await t.jobs.runDue();
  const repostered = await t.services.videos.get(video.id);
  assert.deepEqual([repostered.status, repostered.posterAt, repostered.renditions], ['ready', 0.5, before]);
  // A new address (poster files are cached for good), served to staff.
  assert.match(repostered.poster[0]!.file, /^poster-t500-w320\.(webp|jpg)$/);
  assert.equal((await author.browser.get(`/media/videos/${repostered.folder}/${repostered.poster[0]!.file}`)).statusCode, 200);

  const gone = await author.browser.post(`${video.url}/delete`);
  assert.equal(gone.statusCode, 303);
  assert.equal((await author.browser.get(video.url)).statusCode, 404);
  assert.equal((await author.browser.get(mp4)).statusCode, 404);
});
