// `npm run bench -- article [--articles 10000] [--seconds 5] [--rounds 3] [--connections 64] [--fresh]
//    [--web-processes N] [--postgres]`
// The seed story's page on a generated site, three ways in one run: from the page cache, from a
// bare node:http server sending the same bytes (the ceiling), and rendered on every request.
// --web-processes N adds Bulletin with WEB_PROCESSES=N against nginx with N workers sending the
// same bytes (alternating rounds); --postgres adds the page rendered on every request on a
// PostgreSQL site of the same size (BENCH_DATABASE_URL, default the local server's `test`).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { postgresSite, startNginx } from './_article-scale.ts';
import { benchSite, buildServer, flag, load, rssMb, startServer, table, type LoadResult } from './_harness.ts';

const ENCODING = { 'accept-encoding': 'br, gzip' };

export async function main(args: string[]): Promise<void> {
  const articles = flag(args, 'articles', 10_000);
  const seconds = flag(args, 'seconds', 5);
  const rounds = flag(args, 'rounds', 3);
  const connections = flag(args, 'connections', 64);
  const site = await benchSite(articles, args.includes('--fresh'));
  const options = { connections, seconds, headers: ENCODING };
  const warm = { connections, seconds: 2, headers: ENCODING };

  // Bulletin with its page cache (the default configuration, run as `npm start` runs it), and a
  // bare node:http server replaying the exact bytes it sends. Both run at once and are measured
  // in alternating rounds, so a noisy moment on the machine does not land on one side only.
  buildServer();
  const cached = await startServer('../dist/main.js', site.env, site.seedPath);
  const pageUrl = cached.url + site.seedPath;
  const recorded = await record(pageUrl);
  const rawFile = path.join(os.tmpdir(), `bulletin-bench-raw-${process.pid}.json`);
  fs.writeFileSync(rawFile, JSON.stringify(recorded));
  const raw = await startServer('./_raw-server.mjs', { BENCH_RAW_FILE: rawFile }, '/');
  const rawUrl = raw.url + site.seedPath;
  await load('warm-up', rawUrl, warm);
  await load('warm-up', pageUrl, warm);
  const rawRuns: LoadResult[] = [];
  const cachedRuns: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    rawRuns.push(await load('node:http, same bytes', rawUrl, options));
    cachedRuns.push(await load('bulletin, page cache', pageUrl, options));
  }
  const rssAfter = rssMb(cached.pid);
  await Promise.all([cached.stop(), raw.stop()]);
  fs.rmSync(rawFile, { force: true });

  // Bulletin rendering every request (page cache off).
  const uncached = await startServer('../dist/main.js', { ...site.env, PAGE_CACHE_MB: '0' }, site.seedPath);
  await load('warm-up', uncached.url + site.seedPath, warm);
  const uncachedRuns: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) uncachedRuns.push(await load('bulletin, rendered each time', uncached.url + site.seedPath, options));
  await uncached.stop();

  if (args.includes('--web-processes')) await clusterAgainstNginx(site, recorded, flag(args, 'web-processes', 2), rounds, options, warm);
  if (args.includes('--postgres')) await postgresAgainstSqlite(site, articles, rounds, options, warm, median(uncachedRuns));

  report({
    articles,
    seconds,
    rounds,
    connections,
    cachedResult: median(cachedRuns),
    rawResult: median(rawRuns),
    uncachedResult: median(uncachedRuns),
    rssAfter,
    startMs: cached.startMs,
    pageBytes: recorded.size,
  });
}

/** Bulletin with WEB_PROCESSES=n against nginx with n workers, the same bytes, alternating rounds. */
async function clusterAgainstNginx(site: { env: Record<string, string>; seedPath: string }, recorded: { headers: Record<string, string>; body: string }, processes: number, rounds: number, options: Parameters<typeof load>[2], warm: Parameters<typeof load>[2]): Promise<void> {
  const bulletin = await startServer('../dist/main.js', { ...site.env, WEB_PROCESSES: String(processes) }, site.seedPath);
  const { freePort } = await import('../test/helpers/built-server.ts');
  const nginx = await startNginx(recorded, processes, await freePort());
  const pageUrl = bulletin.url + site.seedPath;
  const nginxUrl = nginx.url + site.seedPath;
  // Every process renders the page once: warm them all.
  await load('warm-up', pageUrl, warm);
  await load('warm-up', nginxUrl, warm);
  const ours: LoadResult[] = [];
  const theirs: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    theirs.push(await load(`nginx, ${processes} workers, same bytes`, nginxUrl, options));
    ours.push(await load(`bulletin, WEB_PROCESSES=${processes}`, pageUrl, options));
  }
  await Promise.all([bulletin.stop(), nginx.stop()]);
  const [a, b] = [median(ours), median(theirs)];
  console.log(`
The cached story, ${processes} processes each side (${rounds} alternating rounds, median shown):
`);
  console.log(table([b, a].map((x) => ({ server: x.name, 'req/s': Math.round(x.rps), 'p50 ms': x.p50, 'p99 ms': x.p99, 'bytes/req': x.bytesPerRequest, errors: x.errors + x.non2xx }))));
  const ratio = a.rps / b.rps;
  console.log(`
${ratio >= 0.8 ? 'PASS' : 'FAIL'}  WEB_PROCESSES=${processes} / nginx = ${ratio.toFixed(2)}× (goal ≥ 0.8×)`);
}

/** The page rendered on every request on PostgreSQL, against the SQLite figure of the same run. */
async function postgresAgainstSqlite(site: { seedPath: string }, articles: number, rounds: number, options: Parameters<typeof load>[2], warm: Parameters<typeof load>[2], sqlite: LoadResult): Promise<void> {
  const pgSite = await postgresSite(process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test', articles, new URL('../test/fixtures/captures/seed.txt', import.meta.url).pathname);
  try {
    const server = await startServer('../dist/main.js', { ...pgSite.env, PAGE_CACHE_MB: '0' }, pgSite.seedPath);
    await load('warm-up', server.url + pgSite.seedPath, warm);
    const runs: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) runs.push(await load('bulletin on PostgreSQL, rendered each time', server.url + pgSite.seedPath, options));
    await server.stop();
    const pgResult = median(runs);
    console.log(`
The story rendered on every request, ${articles.toLocaleString('en')}-story sites (${site.seedPath} on SQLite, ${pgSite.seedPath} on PostgreSQL):
`);
    console.log(table([sqlite, pgResult].map((x) => ({ server: x.name, 'req/s': Math.round(x.rps), 'p50 ms': x.p50, 'p99 ms': x.p99, errors: x.errors + x.non2xx }))));
    console.log(`
      PostgreSQL / SQLite, rendered each time = ${(pgResult.rps / sqlite.rps).toFixed(2)}×`);
  } finally {
    await pgSite.drop();
  }
}

/** The round with the median throughput. */
function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
}

/** The page exactly as the cache sends it (brotli), to replay from the bare server. */
function record(url: string): Promise<{ headers: Record<string, string>; body: string; size: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: ENCODING }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers[name] = value;
          delete headers['content-length'];
          delete headers.date;
          delete headers.connection;
          delete headers['keep-alive'];
          const body = Buffer.concat(chunks);
          resolve({ headers, body: body.toString('base64'), size: body.length });
        });
      })
      .on('error', reject);
  });
}

function report(r: {
  articles: number;
  seconds: number;
  rounds: number;
  connections: number;
  cachedResult: LoadResult;
  rawResult: LoadResult;
  uncachedResult: LoadResult;
  rssAfter: number;
  startMs: number;
  pageBytes: number;
}): void {
  const rows = [r.rawResult, r.cachedResult, r.uncachedResult].map((x) => ({
    server: x.name,
    'req/s': Math.round(x.rps),
    'p50 ms': x.p50,
    'p99 ms': x.p99,
    'bytes/req': x.bytesPerRequest,
    errors: x.errors + x.non2xx,
  }));
  const cachedRatio = r.cachedResult.rps / r.rawResult.rps;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log(`\nSeed story page on a ${r.articles.toLocaleString('en')}-story SQLite site; ${r.connections} connections, ${r.rounds} alternating rounds of ${r.seconds} s (median round shown); page ${r.pageBytes} bytes (brotli)\n`);
  console.log(table(rows));
  console.log('');
  console.log(`${verdict(cachedRatio >= 0.8)}  cached / raw node:http = ${(cachedRatio * 100).toFixed(1)}% (budget ≥ 80%)`);
  console.log(`${verdict(r.uncachedResult.rps >= 2500)}  rendered each time = ${Math.round(r.uncachedResult.rps)} req/s (goal ≥ 2,500; ${(r.uncachedResult.rps / 47).toFixed(0)}× WordPress 6.1's ~47 req/s, ${(r.uncachedResult.rps / 102).toFixed(0)}× Ghost 5's ~102 req/s as given in the issue, not measured here)`);
  console.log(`${verdict(r.cachedResult.p99 <= 10)}  cached p99 = ${r.cachedResult.p99} ms at ${r.connections} connections (budget ≤ 10 ms)`);
  console.log(`${verdict(r.rssAfter <= 150)}  server RSS after the cached run = ${r.rssAfter} MB (budget ≤ 150 MB)`);
  console.log(`${verdict(r.startMs <= 1000)}  cold start to first page served = ${Math.round(r.startMs)} ms (budget ≤ 1,000 ms)`);
  const failures = [r.cachedResult, r.rawResult, r.uncachedResult].filter((x) => x.errors + x.non2xx > 0);
  if (failures.length) console.log(`WARNING: errors or non-2xx answers in: ${failures.map((x) => x.name).join(', ')}`);
}
