// `npm run bench -- video [--seconds 60] [--load-seconds 5] [--connections 32]`
// A 60 s 1080p test clip (lavfi pattern and tone) through the whole transcode, as the job runs it,
// twice. With no readers: time until the clip plays (the fast-start rung is in place), wall time
// for the whole ladder as a ratio of the clip's length, the encoders' CPU time, bytes per
// rendition. Then again while readers load the cached story page: the page's throughput and p99
// during the transcode against the same page without it, in the same run (encodes run in the idle
// scheduling class with bounded threads, so readers keep the CPU and the encode waits).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServices } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { systemClock } from '../src/platform/clock.ts';
import { findFfmpeg } from '../src/media/video/ffmpeg.ts';
import { VideoRepository } from '../src/media/video/video-repository.ts';
import { SOURCE_FILE } from '../src/media/video/video-storage.ts';
import { VideoTranscoder } from '../src/media/video/video-transcoder.ts';
import { benchSite, buildServer, flag, load, startServer, table, type LoadResult } from './_harness.ts';

const ENCODING = { 'accept-encoding': 'br, gzip' };

/** CPU seconds of this process's finished children (ffmpeg runs, waited for): utime + stime from /proc. */
function childCpuSeconds(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After the command name: field 16 (cutime) and 17 (cstime) are the 14th and 15th here, in clock ticks.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

export async function main(args: string[]): Promise<void> {
  const clipSeconds = flag(args, 'seconds', 60);
  const loadSeconds = flag(args, 'load-seconds', 5);
  const connections = flag(args, 'connections', 32);
  const tools = await findFfmpeg(os.availableParallelism());
  if (!tools) throw new Error('this benchmark needs ffmpeg and ffprobe (apt-get install ffmpeg)');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-video-'));
  const clip = path.join(work, 'clip.mp4');
  console.log(`making a ${clipSeconds} s 1080p test clip…`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${clipSeconds}`, '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${clipSeconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);

  // The story page, served by the bundle `npm start` runs, from its page cache.
  const site = await benchSite(1000);
  buildServer();
  const server = await startServer('../dist/main.js', site.env, site.seedPath);
  const pageUrl = server.url + site.seedPath;
  const options = { connections, seconds: loadSeconds, headers: ENCODING };
  await load('warm-up', pageUrl, { ...options, seconds: 2 });

  const dataDir = path.join(work, 'data');
  const env = { DATA_DIR: dataDir, DEMO_CONTENT: 'off', LOG_LEVEL: 'warn' };
  const { services, database } = await buildServices(loadConfig(env));
  const storage = services.videos.files;
  const repo = new VideoRepository(database.db, database.engine);
  const transcoder = new VideoTranscoder({ repo, storage, changes: services.changes, clock: systemClock, tools: async () => tools });
  /** One clip through the whole job, as it runs on a server: when it became playable, wall and CPU time. */
  async function transcode(label: string) {
    const incoming = await services.videos.createIncoming();
    fs.copyFileSync(clip, path.join(incoming, SOURCE_FILE));
    const video = await services.videos.upload({ incoming, filename: 'clip.mp4', meta: { title: `Bench clip ${label}` }, createdBy: null });
    const cpuBefore = childCpuSeconds();
    const started = performance.now();
    let playableMs: number | null = null;
    const watch = setInterval(() => {
      void repo.byId(video.id).then((row) => {
        if (playableMs === null && row?.media) playableMs = performance.now() - started;
      });
    }, 100);
    return {
      video,
      done: transcoder.run(video.id).then(async (outcome) => {
        const wallMs = performance.now() - started;
        clearInterval(watch);
        const row = await repo.byId(video.id);
        if (outcome !== 'ready' || !row) throw new Error(`the transcode ended ${outcome}: ${row?.error}`);
        return { row, wallMs, playableMs: playableMs ?? wallMs, cpu: childCpuSeconds() - cpuBefore };
      }),
    };
  }

  try {
    // 1. The clip alone: how soon it plays and how long the ladder takes when readers leave the CPU free.
    console.log('transcoding with no readers…');
    const quiet = await (await transcode('quiet')).done;

    // 2. The same clip while readers load the cached story: their throughput against without it.
    // Encodes run in the idle scheduling class, so here the encode waits for them.
    const without: LoadResult[] = [await load('story page, no transcode', pageUrl, options)];
    const busy = await transcode('under load');
    await new Promise((r) => setTimeout(r, 2000));
    const during: LoadResult[] = [await load('story page, during transcode', pageUrl, options)];
    during.push(await load('story page, during transcode', pageUrl, options));
    const loaded = await busy.done;
    without.push(await load('story page, no transcode', pageUrl, options));

    const mean = (runs: LoadResult[]) => ({ rps: runs.reduce((sum, r) => sum + r.rps, 0) / runs.length, p99: Math.max(...runs.map((r) => r.p99)) });
    const base = mean(without);
    const withEncode = mean(during);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`\ntranscode of a ${clipSeconds} s 1080p30 clip, ${tools.threads} encoder thread(s), ${tools.idle ? 'idle scheduling class' : tools.lowPriority.length ? 'niced' : 'normal priority'}, on ${os.availableParallelism()} cores (load average now ${os.loadavg()[0]!.toFixed(1)})`);
    console.log(table([
      { measure: 'time until playable', 'no readers': seconds(quiet.playableMs), 'readers loading the story 10 s of it': seconds(loaded.playableMs), goal: '≤ 15 s' },
      { measure: 'whole ladder, wall', 'no readers': `${seconds(quiet.wallMs)} = ${(quiet.wallMs / 1000 / clipSeconds).toFixed(2)}×`, 'readers loading the story 10 s of it': `${seconds(loaded.wallMs)} = ${(loaded.wallMs / 1000 / clipSeconds).toFixed(2)}×`, goal: '≤ 1× the clip' },
      { measure: 'encoder CPU time', 'no readers': `${quiet.cpu.toFixed(1)} s = ${(quiet.cpu / clipSeconds).toFixed(2)}×`, 'readers loading the story 10 s of it': `${loaded.cpu.toFixed(1)} s`, goal: '' },
    ]));
    console.log();
    const done = quiet.row;
    console.log(table([
      ...done.renditions.map((r) => ({ file: `${r.name} (${r.width}×${r.height})`, bytes: r.bytes.toLocaleString('en'), 'kbit/s': Math.round((r.bytes * 8) / clipSeconds / 1000) })),
      ...(done.mp4 ? [{ file: `${done.mp4.file} (${done.mp4.width}×${done.mp4.height})`, bytes: done.mp4.bytes.toLocaleString('en'), 'kbit/s': Math.round((done.mp4.bytes * 8) / clipSeconds / 1000) }] : []),
    ]));
    console.log();
    console.log(table([
      { page: 'cached story, no transcode', 'req/s': Math.round(base.rps), 'p99 ms': base.p99 },
      { page: 'cached story, during transcode', 'req/s': Math.round(withEncode.rps), 'p99 ms': withEncode.p99 },
    ]));
    console.log(`\nthroughput during the transcode: ${((withEncode.rps / base.rps) * 100).toFixed(0)} % of without (goal ≥ 80 %)`);
  } finally {
    await database.close();
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
