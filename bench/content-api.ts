// `npm run bench -- content-api [--articles 10000] [--seconds 5] [--rounds 3] [--connections 64] [--fresh]`
// The seed story from the Content API's cache (/api/v1/sections/<section>/stories/<slug>) against
// the same story's page from the page cache, on one server in one run, in alternating rounds so a
// noisy moment on the machine does not land on one side only. The rate limit stays on (set high
// enough never to refuse), since every API request pays for counting.
import { benchSite, buildServer, flag, load, startServer, table, type LoadResult } from './_harness.ts';

const ENCODING = { 'accept-encoding': 'br, gzip' };

export async function main(args: string[]): Promise<void> {
  const articles = flag(args, 'articles', 10_000);
  const seconds = flag(args, 'seconds', 5);
  const rounds = flag(args, 'rounds', 3);
  const connections = flag(args, 'connections', 64);
  const site = await benchSite(articles, args.includes('--fresh'));
  const options = { connections, seconds, headers: ENCODING };
  const warm = { connections, seconds: 2, headers: ENCODING };

  buildServer();
  const server = await startServer('../dist/main.js', { ...site.env, CONTENT_API_RATE_PER_MINUTE: '10000000' }, site.seedPath);
  const pageUrl = server.url + site.seedPath;
  const [, section, slug] = site.seedPath.split('/');
  const apiUrl = `${server.url}/api/v1/sections/${section}/stories/${slug}`;
  const sizes = { page: await size(pageUrl), api: await size(apiUrl) };
  await load('warm-up', pageUrl, warm);
  await load('warm-up', apiUrl, warm);
  const pageRuns: LoadResult[] = [];
  const apiRuns: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    pageRuns.push(await load('story page, page cache', pageUrl, options));
    apiRuns.push(await load('Content API story, its cache', apiUrl, options));
  }
  await server.stop();

  const page = median(pageRuns);
  const api = median(apiRuns);
  const rows = [page, api].map((x) => ({ server: x.name, 'req/s': Math.round(x.rps), 'p50 ms': x.p50, 'p99 ms': x.p99, 'bytes/req': x.bytesPerRequest, errors: x.errors + x.non2xx }));
  const ratio = api.rps / page.rps;
  console.log(`\nThe seed story on a ${articles.toLocaleString('en')}-story SQLite site; ${connections} connections, ${rounds} alternating rounds of ${seconds} s (median round shown); page ${sizes.page} bytes, API answer ${sizes.api} bytes (brotli)\n`);
  console.log(table(rows));
  console.log('');
  console.log(`${ratio >= 0.9 ? 'PASS' : 'FAIL'}  cached API story / cached story page = ${(ratio * 100).toFixed(1)}% (goal ≥ 90%)`);
}

function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
}

/** The answer's size as sent (brotli); it must be a 200 for the comparison to mean anything. */
async function size(url: string): Promise<number> {
  const response = await fetch(url, { headers: ENCODING });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return Number(response.headers.get('content-length') ?? (await response.arrayBuffer()).byteLength);
}
