// `npm run bench -- alerts-banner [--articles 1000] [--streams 10000] [--timed 1000] [--seconds 10] [--connections 32]`
// The live "Breaking" banner under a crowd, on the server `npm start` runs:
// 1. Cached story page throughput with `--streams` open banner streams (default 10,000) against the
//    same load with none, in the same run (goal: no more than 10 % slower).
// 2. An alert sent through the Admin API: from the call returning to the event at each of `--timed`
//    open streams (default 1,000), p50 and max; the server's RSS with the streams open.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { buildServices } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { benchSite, buildServer, flag, load, rssMb, startServer, table, type LoadResult } from './_harness.ts';

const ENCODING = { 'accept-encoding': 'br, gzip' };

export async function main(args: string[]): Promise<void> {
  const articles = flag(args, 'articles', 1000);
  const streams = flag(args, 'streams', 10_000);
  const timed = flag(args, 'timed', 1000);
  const seconds = flag(args, 'seconds', 10);
  const connections = flag(args, 'connections', 32);
  const site = await benchSite(articles, args.includes('--fresh'));

  const setup = await buildServices(loadConfig(site.env));
  const { token } = await setup.services.tokens.create('cli', { name: `alerts-banner bench ${Date.now()}`, role: 'editor' });
  await setup.database.close();

  buildServer();
  const server = await startServer('../dist/main.js', { ...site.env, LOG_LEVEL: 'error', LIVE_STREAMS_MAX: String(streams + timed + 100) }, site.seedPath);
  const pageUrl = server.url + site.seedPath;
  const options = { connections, seconds, headers: ENCODING };
  try {
    await load('warm-up', pageUrl, { ...options, seconds: 2 });
    const rssBefore = rssMb(server.pid);
    // Alternated, twice each, so that a neighbour's burst on this shared machine hits both sides alike.
    const runs = { without: [] as LoadResult[], during: [] as LoadResult[] };
    let rssWith = 0;
    let admitted = 0;
    for (let round = 0; round < 2; round++) {
      runs.without.push(await load('cached story, no open streams', pageUrl, options));
      const crowd = await openCrowd(server.url, streams);
      admitted = crowd.open;
      rssWith = Math.max(rssWith, rssMb(server.pid));
      runs.during.push(await load(`cached story, ${streams.toLocaleString('en')} open streams`, pageUrl, options));
      await crowd.stop();
    }
    const mean = (list: LoadResult[]) => ({ rps: list.reduce((n, r) => n + r.rps, 0) / list.length, p99: Math.max(...list.map((r) => r.p99)) });
    const without = mean(runs.without);
    const during = mean(runs.during);

    // The timed crowd is smaller, so each stream's receive time is its own and not the queue's.
    const timedCrowd = await openCrowd(server.url, timed);
    const res = await fetch(`${server.url}/api/admin/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Bench alert', text: 'Timing the banner.', url: site.seedPath, sections: 'all', idempotencyKey: `bench-${Date.now()}` }),
    });
    const returned = Date.now();
    if (res.status !== 201) throw new Error(`sending the alert answered ${res.status}: ${await res.text()}`);
    const { id } = ((await res.json()) as { alert: { id: number } }).alert;
    await new Promise((r) => setTimeout(r, 3000));
    const report = await timedCrowd.report();
    const times = (report.received[String(id)] ?? []).map((t) => t - returned).sort((a, b) => a - b);
    const ratio = during.rps / without.rps;

    console.log(
      table([
        { figure: 'cached story req/s, no streams', value: Math.round(without.rps) },
        { figure: `cached story req/s, ${streams.toLocaleString('en')} streams open (${admitted} admitted)`, value: Math.round(during.rps) },
        { figure: 'ratio (goal ≥ 0.90)', value: ratio.toFixed(3) },
        { figure: 'p99 latency, worst run, no streams / with (ms)', value: `${without.p99} / ${during.p99}` },
        { figure: 'server RSS before / with streams (MB)', value: `${rssBefore} / ${rssWith}` },
        { figure: `streams that got the alert (of ${timed})`, value: times.length },
        { figure: 'send returned → event, p50 (ms)', value: times[Math.floor(times.length / 2)] ?? 'none' },
        { figure: 'send returned → event, max (ms)', value: times[times.length - 1] ?? 'none' },
      ]),
    );
  } finally {
    await server.stop();
  }
}

async function openCrowd(url: string, count: number) {
  const child = spawn(process.execPath, [new URL('./_sse-clients.mjs', import.meta.url).pathname, url, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const [, open, failed] = (await next()).split(' ').map(Number);
  if (failed) console.warn(`${failed} streams could not open`);
  return {
    open: open!,
    async report(): Promise<{ received: Record<string, number[]> }> {
      child.stdin.write('report\n');
      return JSON.parse(await next()) as { received: Record<string, number[]> };
    },
    async stop(): Promise<void> {
      child.kill();
      await new Promise((r) => child.once('exit', r));
    },
  };
}
