// `npm run bench -- wordpress-import [--sizes 10000,100000] [--comments 5]`
// Imports generated WordPress exports with `bulletin import wordpress`, in its own process, into a
// fresh SQLite site while that site runs: items per second, the import's peak RSS (read from
// /proc: VmHWM), and the time from starting the command until the first story answers 200 on the
// running site. The baseline in the same run is the same file streamed through the WXR reader
// alone; the ratio says what importing costs over reading. Defaults: 10,000 posts with 5 comments
// each (50,000), and 100,000 posts without comments; each post has an attachment beside it. The
// first size gets the comments: `--sizes 10000` runs the first alone (about 3 minutes on a shared
// machine), `--sizes 100000 --comments 0` the large one (about 17).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer, startServer, table } from './_harness.ts';
import { generateExport, type GeneratedExport } from './_wxr-generate.ts';

const ROOT = new URL('../', import.meta.url).pathname;

interface ChildRun {
  ms: number;
  /** User plus system CPU time, read from /proc at the last sample before the process ended. */
  cpuMs: number;
  peakRssMb: number;
  code: number;
  tail: string;
  firstVisibleMs?: number;
}

/**
 * Runs `node <args>` and reads its peak RSS while it runs; `watch` is polled meanwhile. With
 * `descend`, the figures are those of the process it starts (`bin/bulletin.js` runs the CLI in a
 * child of its own, with the V8 options an import runs with: the command as a newsroom runs it).
 */
async function runChild(args: string[], env: Record<string, string>, options: { watch?: () => Promise<boolean>; descend?: boolean } = {}): Promise<ChildRun> {
  const { watch } = options;
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let peakKb = 0;
  let cpuTicks = 0;
  let lastReport = 0;
  let firstVisibleMs: number | undefined;
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  let done = false;
  void exited.then(() => (done = true));
  let measured: number | undefined = options.descend ? undefined : child.pid;
  while (!done) {
    measured ??= Number(readProc(child.pid!, `task/${child.pid}/children`)?.trim().split(' ')[0]) || undefined;
    const status = measured === undefined ? undefined : readProc(measured, 'status')?.match(/VmHWM:\s+(\d+) kB/);
    if (status) peakKb = Math.max(peakKb, Number(status[1]));
    // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime and stime, in ticks.
    const stat = measured === undefined ? undefined : readProc(measured, 'stat')?.replace(/^.*\) /, '').split(' ');
    if (stat) cpuTicks = Number(stat[11]) + Number(stat[12]);
    if (watch && firstVisibleMs === undefined && (await watch())) {
      firstVisibleMs = performance.now() - started;
      console.log(`first story visible after ${(firstVisibleMs / 1000).toFixed(1)} s`);
    }
    // A long run says how it is going (a 100,000-post import takes a while on a shared machine).
    const elapsed = performance.now() - started;
    if (elapsed - lastReport >= 60_000) {
      lastReport = elapsed;
      console.log(`${(elapsed / 1000).toFixed(0)} s: peak RSS ${(peakKb / 1024).toFixed(0)} MB, CPU ${(cpuTicks / 100).toFixed(0)} s${tail.match(/imported (\d+)\/(\d+)/g)?.at(-1) ? `, ${tail.match(/imported (\d+)\/(\d+)/g)!.at(-1)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const code = await exited;
  return { ms: performance.now() - started, cpuMs: cpuTicks * 10, peakRssMb: peakKb / 1024, code, tail, ...(firstVisibleMs !== undefined ? { firstVisibleMs } : {}) };
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // the process has just ended
  }
}

async function exportOf(posts: number, commentsPerPost: number): Promise<GeneratedExport> {
  const file = path.join(os.tmpdir(), `bulletin-bench-wxr-${posts}-${commentsPerPost}-a1.xml`);
  const meta = `${file}.json`;
  if (fs.existsSync(meta)) return JSON.parse(fs.readFileSync(meta, 'utf8')) as GeneratedExport;
  console.log(`generating ${file} (${posts.toLocaleString('en')} posts, kept for later runs)`);
  const generated = await generateExport(file, posts, commentsPerPost);
  fs.writeFileSync(meta, JSON.stringify(generated));
  return generated;
}

export async function main(args: string[]): Promise<void> {
  const at = args.indexOf('--sizes');
  const sizes = (at >= 0 ? args[at + 1]! : '10000,100000').split(',').map(Number);
  const ci = args.indexOf('--comments');
  const commentsPerPost = ci >= 0 ? Number(args[ci + 1]) : 5;
  buildServer();
  const rows: Record<string, string | number>[] = [];
  for (const posts of sizes) {
    // Comments on the first size only, as the figures ask (10,000 posts with 50,000 comments).
    const generated = await exportOf(posts, posts === sizes[0] ? commentsPerPost : 0);
    // The baseline reads with the V8 options the import runs with (bin/bulletin.js).
    const read = await runChild(['--max-semi-space-size=2', '--import', 'tsx', path.join(ROOT, 'bench/_wxr-read-only.ts'), generated.file], {});
    if (read.code !== 0) throw new Error(`reading failed: ${read.tail}`);

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-wp-site-'));
    const env = { DATA_DIR: dataDir, DEMO_CONTENT: 'off', LOG_LEVEL: 'warn', SITE_NAME: 'Imported News', CHANGE_POLL_MS: '200' };
    const server = await startServer('../dist/main.js', env, '/robots.txt');
    try {
      const visible = async () => (await fetch(server.url + generated.firstStoryPath).catch(() => undefined))?.status === 200;
      const run = await runChild([path.join(ROOT, 'bin/bulletin.js'), 'import', 'wordpress', generated.file], env, { watch: visible, descend: true });
      if (run.code !== 0) throw new Error(`import failed (${run.code}): ${run.tail}`);
      const summary = /created (\d+)/.exec(run.tail);
      if (Number(summary?.[1]) !== generated.posts) throw new Error(`expected ${generated.posts} stories: ${run.tail}`);
      const rate = generated.posts / (run.ms / 1000);
      const readRate = generated.posts / (read.ms / 1000);
      rows.push({
        export: `${generated.posts.toLocaleString('en')} posts, ${generated.comments.toLocaleString('en')} comments, ${(generated.bytes / 1024 / 1024).toFixed(0)} MB`,
        'import items/s': rate.toFixed(0),
        'read-only items/s': readRate.toFixed(0),
        'import/read': (rate / readRate).toFixed(3),
        'import items/CPU-s': (generated.posts / (run.cpuMs / 1000)).toFixed(0),
        'read-only items/CPU-s': (generated.posts / (read.cpuMs / 1000)).toFixed(0),
        'import peak RSS MB': run.peakRssMb.toFixed(0),
        'read-only peak RSS MB': read.peakRssMb.toFixed(0),
        'first story visible s': run.firstVisibleMs === undefined ? 'not seen' : (run.firstVisibleMs / 1000).toFixed(2),
        'total s': (run.ms / 1000).toFixed(1),
      });
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log('\n`bulletin import wordpress` into a fresh SQLite site while it runs (no pictures: media go through sharp and are measured by image-upload):\n');
  console.log(table(rows));
  console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (items/CPU-s is what the import costs whatever the load)`);
  console.log('Goal: peak RSS flat and ≤ 200 MB for either size.');
}
