// Shared by the HTTP benchmarks: generated sites kept between runs, servers in child processes
// (so the load generator does not share their event loop), autocannon runs, RSS readings.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.ts';
import { generateStories } from '../src/demo/generate.ts';
import { CaptureImporter } from '../src/importers/capture-import.ts';
import { createProgress } from '../src/importers/progress.ts';
import { loadConfig } from '../src/platform/config.ts';

const ROOT = new URL('../', import.meta.url);
const SEED_CAPTURE = new URL('test/fixtures/captures/seed.txt', ROOT);

export interface BenchData {
  dataDir: string;
  seedPath: string;
  env: Record<string, string>;
}

/**
 * A SQLite site with `articles` generated stories plus the seed story, published. Kept in the temp
 * folder between runs (generating 100,000 stories takes minutes); `--fresh` makes it anew.
 */
export async function benchSite(articles: number, fresh = false): Promise<BenchData> {
  const dataDir = path.join(os.tmpdir(), `bulletin-bench-site-${articles}`);
  const marker = path.join(dataDir, 'ready.json');
  const env = { DATA_DIR: dataDir, DEMO_CONTENT: 'off', LOG_LEVEL: 'warn', SITE_NAME: 'Technical News' };
  if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  if (fs.existsSync(marker)) return { dataDir, env, ...(JSON.parse(fs.readFileSync(marker, 'utf8')) as { seedPath: string }) };
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const app = await buildApp(loadConfig(env), { runJobs: false, watchChanges: false });
  const { services } = app;
  try {
    console.log(`generating a ${articles.toLocaleString('en')}-story site in ${dataDir} (kept for later runs)`);
    const progress = createProgress({ total: articles, label: 'generated', unit: 'stories', out: process.stderr, isTTY: Boolean(process.stderr.isTTY) });
    await generateStories(services, articles, progress);
    const importer = new CaptureImporter({ articles: services.articles, videos: services.videos });
    const seed = await importer.importText(fs.readFileSync(SEED_CAPTURE, 'utf8'), { fileName: 'seed.txt', publish: true });
    // The work those publishes queued (Related Articles, topic suggestions) is done here, so the
    // first server started on the site does not spend the first minutes of a measurement on it.
    console.log('running the jobs the publishes queued…');
    await app.jobs.runDue();
    fs.writeFileSync(marker, JSON.stringify({ seedPath: seed.url }));
    return { dataDir, env, seedPath: seed.url };
  } finally {
    await app.close();
  }
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first answered request. */
  startMs: number;
  stop(): Promise<void>;
}

/** Builds dist/main.js, the bundle `npm start` runs. */
export function buildServer(): void {
  execFileSync(process.execPath, [new URL('../scripts/build.mjs', import.meta.url).pathname], { cwd: ROOT.pathname, stdio: 'inherit' });
}

/**
 * Starts a script (path relative to bench/) as a child process and waits until `probePath` answers
 * 200. JavaScript runs on plain node, TypeScript through tsx.
 */
export async function startServer(script: string, env: Record<string, string>, probePath: string): Promise<ServerProcess> {
  const port = await freePort();
  const file = new URL(script, import.meta.url).pathname;
  const started = performance.now();
  // BENCH_PROFILE=<folder>: the server writes a V8 CPU profile there when it stops (open it in
  // Chrome's DevTools), to see where a measured figure goes.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];
  const child = spawn(process.execPath, [...profile, ...(file.endsWith('.ts') ? ['--import', 'tsx', file] : [file])], {
    cwd: ROOT.pathname,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url + probePath);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not answer within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { url, pid: child.pid!, startMs: performance.now() - started, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface LoadResult {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  bytesPerRequest: number;
}

/** Bounded load on 127.0.0.1: `seconds` long, `connections` at once; stops by itself. */
export async function load(name: string, url: string, options: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(url)) throw new Error('benchmarks only target 127.0.0.1');
  const result = await autocannon({ url, connections: options.connections, duration: options.seconds, headers: options.headers, pipelining: 1 });
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    bytesPerRequest: result.requests.total ? Math.round(result.throughput.total / result.requests.total) : 0,
  };
}

/** CPU seconds a process has used so far, user and system (Linux: /proc/<pid>/stat, clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After the command name, utime and stime (fields 14 and 15) are the 12th and 13th.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * `load`, with the server's CPU time per answered request: what a page costs the server itself.
 * On two cores the load generator's own parsing can be the limit (a bigger page costs it more),
 * and req/s then measures the client; the server's µs per request does not.
 */
export async function loadWithServerCpu(name: string, url: string, pid: number, options: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult & { serverUsPerRequest: number; serverBusy: number }> {
  const before = cpuSeconds(pid);
  const result = await load(name, url, options);
  const used = cpuSeconds(pid) - before;
  return { ...result, serverUsPerRequest: result.requests ? (used / result.requests) * 1e6 : NaN, serverBusy: used / options.seconds };
}

/** Resident memory of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

export function table(rows: Record<string, string | number>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(width[i]!)).join('  ');
  return [line(columns), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => String(r[c]))))].join('\n');
}

export function flag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}
