// Clips through the Admin API with real ffmpeg: upload → ffprobe's checks → the transcode job →
// the HLS ladder, poster and MP4 on disk and served; and every refusal leaving nothing behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyBody, storyInput } from '../../../test/helpers/fixtures.ts';
import { multipartBody, type MultipartPart } from '../image-test-samples.ts';
import { makeAudio, makeClip, probe } from './video-test-clips.ts';

let t: TestApp;
const token: Record<string, string> = {};

before(async () => {
  t = await buildTestApp({ MEDIA_MAX_VIDEO_MB: '1', MEDIA_MAX_VIDEO_MINUTES: '1' }, { watchChanges: false });
  await seedBasics(t.services);
  for (const role of ['editor', 'author', 'contributor', 'moderator']) token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
});
after(() => t.close());

const auth = (role: string | null): Record<string, string> => (role ? { authorization: `Bearer ${token[role]}` } : {});
const upload = (role: string | null, parts: MultipartPart[]) => {
  const body = multipartBody(parts);
  return t.app.inject({ method: 'POST', url: '/api/admin/v1/media/videos', payload: body.payload, headers: { ...body.headers, ...auth(role) } });
};
const file = (bytes: Buffer, filename = 'clip.mp4'): MultipartPart => ({ name: 'file', filename, type: 'video/mp4', bytes });
const root = () => path.join(t.dataDir, 'media', 'videos');
const folders = () => (fs.existsSync(root()) ? fs.readdirSync(root()).sort() : []);
const rows = async () => (await t.services.videos.browse({ limit: 100 })).videos.length;

type Clip = { id: number; status: string; progress: number; error: string | null; durationSeconds: number; width: number; height: number; posterUrl: string; hlsUrl: string; mp4Url: string; renditions: { height: number; bandwidth: number }[]; captions: { lang: string; url: string }[] };
const read = async (id: number, role = 'author') => (await t.app.inject({ url: `/api/admin/v1/media/videos/${id}`, headers: auth(role) })).json() as Clip;

test('upload, transcode to the ladder at or below the source, serve with types, ranges and staff-only access', async () => {
  const res = await upload('author', [{ name: 'title', value: 'Seals on the pier' }, { name: 'caption', value: 'At dawn.' }, { name: 'credit', value: 'Northwire' }, file(makeClip({ width: 640, height: 360, seconds: 2 }))]);
  assert.equal(res.statusCode, 201, res.body);
  const { id, status } = res.json() as { id: number; status: string };
  assert.equal(status, 'processing');
  assert.equal((await read(id)).hlsUrl, null);
  await t.jobs.runDue();
  const clip = await read(id);
  assert.equal(clip.status, 'ready', clip.error ?? '');
  assert.equal(clip.progress, 100);
  assert.deepEqual([clip.width, clip.height], [640, 360]);
  assert.ok(Math.abs(clip.durationSeconds - 2) < 0.2);
  // 640 × 360: the 234p and 360p rungs only (nothing upscaled).
  assert.deepEqual(clip.renditions.map((r) => r.height), [234, 360]);
  const folder = new URL(clip.hlsUrl).pathname.split('/')[3]!;
  const dir = path.join(root(), folder);
  const rung = probe(path.join(dir, 'r360', 'seg-000.ts'));
  const videoStream = rung.streams.find((s) => s.codec_type === 'video')!;
  assert.equal(videoStream.codec_name, 'h264');
  assert.equal(videoStream.profile, 'High');
  assert.ok(rung.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac'));
  const mp4 = probe(path.join(dir, 'clip-360.mp4'));
  assert.equal(mp4.streams.find((s) => s.codec_type === 'video')!.height, 360);
  assert.ok(mp4.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac'));
  // Fast start: the index (moov) before the media (mdat), so it plays while it downloads.
  const mp4Bytes = fs.readFileSync(path.join(dir, 'clip-360.mp4'));
  assert.ok(mp4Bytes.indexOf('moov') < mp4Bytes.indexOf('mdat'), 'the MP4 starts with its index');
  assert.ok(!fs.readdirSync(dir).some((name) => name.startsWith('.')), 'no working files left');

  // Not in a published story yet: staff only.
  const master = new URL(clip.hlsUrl).pathname;
  assert.equal((await t.app.inject({ url: master })).statusCode, 404);
  const mp4Path = new URL(clip.mp4Url).pathname;
  assert.equal((await t.app.inject({ url: mp4Path })).statusCode, 404);
  assert.equal((await t.app.inject({ url: `/media/videos/${folder}/source` })).statusCode, 404);

  // In a published story: readers too.
  await t.services.articles.save(storyInput({ headline: 'Seals return', body: storyBody(2, [{ type: 'video', attrs: { videoId: id, title: 'Seals on the pier', caption: '' } }]) }));
  const playlist = await t.app.inject({ url: master });
  assert.equal(playlist.statusCode, 200);
  assert.equal(playlist.headers['content-type'], 'application/vnd.apple.mpegurl');
  assert.match(playlist.body, /#EXT-X-STREAM-INF:BANDWIDTH=858000,RESOLUTION=640x360,CODECS="avc1\.64002a,mp4a\.40\.2"/);
  const rungList = await t.app.inject({ url: `/media/videos/${folder}/r360/index.m3u8` });
  assert.match(rungList.body, /#EXT-X-PLAYLIST-TYPE:VOD/);
  assert.equal(rungList.headers['cache-control'], 'public, max-age=31536000, immutable');
  const whole = await t.app.inject({ url: mp4Path });
  assert.equal(whole.headers['content-type'], 'video/mp4');
  const part = await t.app.inject({ url: mp4Path, headers: { range: 'bytes=0-99' } });
  assert.equal(part.statusCode, 206);
  assert.equal(part.rawPayload.length, 100);
  assert.equal(part.headers['content-range'], `bytes 0-99/${whole.rawPayload.length}`);
  assert.equal((await t.app.inject({ url: mp4Path, headers: { range: `bytes=${whole.rawPayload.length}-` } })).statusCode, 416);
  const poster = await t.app.inject({ url: new URL(clip.posterUrl).pathname });
  assert.equal(poster.headers['content-type'], 'image/jpeg');

  // Deleted: its files stop.
  assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/admin/v1/media/videos/${id}`, headers: auth('editor') })).statusCode, 204);
  assert.equal((await t.app.inject({ url: master })).statusCode, 404);
  assert.ok(!fs.existsSync(dir));
});

test('every bad upload is refused with a message, and leaves no row and no file behind', async () => {
  const before = { rows: await rows(), folders: folders() };
  const ok = makeClip({ width: 160, height: 90, seconds: 1, audio: false });
  const png = Buffer.alloc(0);
  const cases: { name: string; parts: MultipartPart[]; status: number; message: RegExp }[] = [
    { name: 'empty', parts: [file(png)], status: 400, message: /empty/ },
    { name: 'html named .mp4', parts: [file(Buffer.from('<!doctype html><title>x</title><p>not a video'))], status: 415, message: /not a video file/ },
    { name: 'image named .mp4', parts: [file(Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex'))], status: 415, message: /still image/ },
    { name: 'cut short', parts: [file(ok.subarray(0, Math.floor(ok.length / 2)))], status: 400, message: /damaged|cut short|no length/ },
    { name: 'sound only', parts: [file(soundOnly(), 'tone.mp4')], status: 415, message: /no video picture/ },
    { name: 'too long', parts: [file(makeClip({ width: 64, height: 36, seconds: 61, fps: 2, audio: false }))], status: 415, message: /the limit is 1 minutes|limit is 60 seconds/ },
    { name: 'too large', parts: [file(Buffer.alloc(1024 * 1024 + 10, 1))], status: 413, message: /limit/ },
    { name: 'no file', parts: [{ name: 'title', value: 'Nothing' }], status: 400, message: /Choose a video/ },
    { name: 'unknown field', parts: [{ name: 'colour', value: 'red' }, file(ok)], status: 400, message: /Unknown field/ },
    { name: 'title too long', parts: [{ name: 'title', value: 'x'.repeat(301) }, file(ok)], status: 400, message: /at most 300/ },
  ];
  for (const c of cases) {
    const res = await upload('author', c.parts);
    assert.equal(res.statusCode, c.status, `${c.name}: ${res.body}`);
    const body = res.json() as { errors: { message: string }[] };
    assert.match(body.errors.map((e) => e.message).join(' '), c.message, c.name);
  }
  assert.equal(await rows(), before.rows);
  assert.deepEqual(folders(), before.folders);
});

test('who may upload: staff who may upload media; never anonymous or moderators', async () => {
  const clip = makeClip({ width: 160, height: 90, seconds: 1, audio: false });
  assert.equal((await upload(null, [file(clip)])).statusCode, 401);
  assert.equal((await upload('moderator', [file(clip)])).statusCode, 403);
  const res = await upload('contributor', [{ name: 'title', value: 'Contributor clip' }, file(clip)]);
  assert.equal(res.statusCode, 201, res.body);
  assert.equal((await t.app.inject({ url: `/api/admin/v1/media/videos/${(res.json() as { id: number }).id}` })).statusCode, 401);
});

test('captions: SRT becomes WebVTT, a bad timestamp is refused naming its line', async () => {
  const res = await upload('author', [{ name: 'title', value: 'Captioned' }, file(makeClip({ width: 160, height: 90, seconds: 1, audio: false }))]);
  const { id } = res.json() as { id: number };
  const put = (text: string, lang = 'en') => t.app.inject({ method: 'PUT', url: `/api/admin/v1/media/videos/${id}/captions`, headers: auth('author'), payload: { lang, label: 'English', text } });
  const bad = await put('1\n00:00:00,000 --> 00:00:01,000\nHello\n\n2\n00:00:01,000 --> 00:00:0x,500\nThere\n');
  assert.equal(bad.statusCode, 400);
  assert.match((bad.json() as { errors: { message: string }[] }).errors[0]!.message, /^Line 6:/);
  const good = await put('1\n00:00:00,000 --> 00:00:01,000\nHello <font color="red">there</font>\n');
  assert.equal(good.statusCode, 200, good.body);
  assert.deepEqual((good.json() as Clip).captions.map((c) => c.lang), ['en']);
  assert.equal((await t.services.videos.captions(id))[0]!.vtt, 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello there\n');
});

function soundOnly(): Buffer {
  return makeAudio(1);
}
