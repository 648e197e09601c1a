// The transcoder on inputs from phones and cameras, checked with ffprobe: rotation, no sound, odd
// sizes, HEVC, MOV and MKV, a fade from black; and its states: a clip deleted mid-transcode, a
// re-run after a crash, a failure with its reason and a retry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { makeClip, probe, type ClipOptions } from './video-test-clips.ts';
import { SOURCE_FILE } from './video-storage.ts';
import { peakBitrate } from './video-transcoder.ts';
import type { Video } from './video-repository.ts';

let t: TestApp;

before(async () => {
  t = await buildTestApp({}, { watchChanges: false });
});
after(() => t.close());

async function uploaded(options: ClipOptions, title = 'Clip'): Promise<Video> {
  const incoming = await t.services.videos.createIncoming();
  fs.writeFileSync(path.join(incoming, SOURCE_FILE), makeClip(options));
  return t.services.videos.upload({ incoming, filename: `clip.${options.container ?? 'mp4'}`, meta: { title }, createdBy: null });
}

const dirOf = (video: Video) => path.join(t.dataDir, 'media', 'videos', video.folder!);
/** Where a clip's transcode works, beside the clips' folders. */
const workOf = (video: Video) => path.join(t.dataDir, 'media', 'videos', `.transcode-${video.folder!}`);
const streamsOf = (file: string) => probe(file).streams;

test('a phone clip held upright (rotation 90) comes out portrait; a clip without sound has no audio track', async () => {
  const clip = await uploaded({ width: 400, height: 240, seconds: 1, rotate: 90, audio: false });
  assert.deepEqual([clip.width, clip.height], [240, 400]);
  await t.jobs.runDue();
  const done = await t.services.videos.get(clip.id);
  assert.equal(done.status, 'ready', done.error ?? '');
  // Short side 240: the 234p rung only, 234 wide and portrait.
  assert.deepEqual(done.renditions.map((r) => [r.width, r.height]), [[234, 390]]);
  const streams = streamsOf(path.join(dirOf(done), 'r234', 'seg-000.ts'));
  assert.deepEqual(streams.map((s) => s.codec_type), ['video']);
  assert.deepEqual([streams[0]!.width, streams[0]!.height], [234, 390]);
  assert.ok(done.poster.every((p) => p.height > p.width), 'the poster is upright too');
});

test('HEVC in MOV, H.264 in MKV, an odd size: all become H.264 High with AAC, even dimensions', async () => {
  for (const options of [{ codec: 'libx265', container: 'mov', width: 320, height: 180 }, { container: 'mkv', width: 333, height: 187 }] as ClipOptions[]) {
    const clip = await uploaded({ seconds: 1, ...options });
    await t.jobs.runDue();
    const done = await t.services.videos.get(clip.id);
    assert.equal(done.status, 'ready', done.error ?? '');
    const mp4 = streamsOf(path.join(dirOf(done), done.mp4!.file));
    const video = mp4.find((s) => s.codec_type === 'video')!;
    assert.equal(video.codec_name, 'h264');
    assert.equal(video.profile, 'High');
    assert.equal(video.width! % 2 + video.height! % 2, 0);
    assert.ok(mp4.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac'));
  }
});

test('the poster skips a fade from black; segments last 6 s on a 2 s GOP; a VOD playlist', async () => {
  const clip = await uploaded({ width: 320, height: 180, seconds: 13, fps: 10, blackStart: 2, audio: false });
  await t.jobs.runDue();
  const done = await t.services.videos.get(clip.id);
  // 180 is below the smallest rung: one rung at the source's own size.
  assert.deepEqual(done.renditions.map((r) => r.name), ['r180']);
  const playlist = fs.readFileSync(path.join(dirOf(done), 'r180', 'index.m3u8'), 'utf8');
  assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
  assert.match(playlist, /#EXT-X-ENDLIST/);
  assert.deepEqual([...playlist.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Math.round(Number(m[1]))), [6, 6, 1]);
  const poster = done.poster.find((p) => p.format === 'jpeg')!;
  const { channels } = await sharp(path.join(dirOf(done), poster.file)).stats();
  assert.ok(channels[0]!.mean > 40, `the poster is not the black opening (mean ${channels[0]!.mean})`);
});

test('a variable frame rate becomes a constant one (whole 2 s GOPs for the segments)', async () => {
  const clip = await uploaded({ width: 320, height: 240, seconds: 3, fps: 24, variableRate: true, audio: false });
  await t.jobs.runDue();
  const done = await t.services.videos.get(clip.id);
  assert.equal(done.status, 'ready', done.error ?? '');
  const out = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=avg_frame_rate,r_frame_rate', '-of', 'json', path.join(dirOf(done), done.mp4!.file)], { encoding: 'utf8' })) as { streams: { avg_frame_rate: string; r_frame_rate: string }[] };
  assert.equal(out.streams[0]!.avg_frame_rate, out.streams[0]!.r_frame_rate, 'constant rate');
});

test('a clip deleted while it transcodes: the encode stops, no files stay, the job ends quietly', async () => {
  const clip = await uploaded({ width: 640, height: 360, seconds: 8, fps: 24 });
  const running = t.jobs.runDue();
  // Deleted as soon as the encode is under way (its working folder exists).
  const work = workOf(clip);
  for (let i = 0; i < 200 && !fs.existsSync(work); i++) await new Promise((r) => setTimeout(r, 25));
  await t.services.videos.delete(clip.id);
  const ran = await running;
  assert.ok(ran.every((job) => job.status === 'done'), JSON.stringify(ran));
  assert.ok(!fs.existsSync(dirOf(clip)));
  assert.ok(!fs.existsSync(workOf(clip)), 'its working folder is gone too');
  assert.equal(await t.services.videos.find(clip.id), undefined);
});

test('a damaged source fails with its reason; a retry from a good file re-runs cleanly, keeping what was made', async () => {
  const clip = await uploaded({ width: 320, height: 240, seconds: 3 });
  const source = path.join(dirOf(clip), SOURCE_FILE);
  const good = fs.readFileSync(source);
  const bad = Buffer.from(good);
  for (let i = Math.floor(bad.length / 3); i < Math.floor((2 * bad.length) / 3); i++) bad[i] = (i * 7) & 255;
  fs.writeFileSync(source, bad);
  await t.jobs.runDue();
  const failed = await t.services.videos.get(clip.id);
  assert.equal(failed.status, 'failed');
  assert.match(failed.error!, /^The conversion stopped/);
  // A crash's leftovers in the working folder do not disturb the re-run.
  fs.mkdirSync(path.join(workOf(clip), 'r234'), { recursive: true });
  fs.writeFileSync(path.join(workOf(clip), 'r234', 'seg-000.ts'), 'half');
  fs.writeFileSync(source, good);
  assert.equal((await t.services.videos.retry(clip.id)).status, 'processing');
  await t.jobs.runDue();
  const done = await t.services.videos.get(clip.id);
  assert.equal(done.status, 'ready', done.error ?? '');
  assert.equal(done.error, null);
  assert.deepEqual(done.renditions.map((r) => r.name), ['r234']);
  assert.ok(!fs.existsSync(workOf(clip)));
  await assert.rejects(t.services.videos.retry(clip.id), /Only a clip whose conversion failed/);
});

test('a rung’s BANDWIDTH is at least the peak bit rate of its segments as written (container included)', async () => {
  const playlist = '#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.000000,\nseg-000.ts\n#EXTINF:6.000000,\nseg-001.ts\n#EXTINF:1.500000,\nseg-002.ts\n#EXT-X-ENDLIST\n';
  // 600 kB over 6 s, 900 kB over 6 s, 150 kB over 1.5 s: the second is the peak, 1.2 Mbit/s.
  assert.equal(peakBitrate(playlist, new Map([['seg-000.ts', 600_000], ['seg-001.ts', 900_000], ['seg-002.ts', 150_000]])), 1_200_000);
  const clip = await uploaded({ width: 640, height: 360, seconds: 7, fps: 24 });
  await t.jobs.runDue();
  const done = await t.services.videos.get(clip.id);
  for (const rendition of done.renditions) {
    const dir = path.join(dirOf(done), rendition.name);
    const sizes = new Map(fs.readdirSync(dir).map((name) => [name, fs.statSync(path.join(dir, name)).size]));
    assert.ok(rendition.bandwidth >= peakBitrate(fs.readFileSync(path.join(dir, 'index.m3u8'), 'utf8'), sizes), rendition.name);
  }
});
