// `npm run bench -- cluster [--seconds 60] [--connections 16]`
// Two web nodes and a worker (the built bundle, NODE_ROLE=web, web, worker) over the local
// PostgreSQL, in a database schema of their own, dropped afterwards. Both web nodes are loaded at
// once (the front page, dropped by every publish) while a story is published through the Admin API
// on node A once a second. Reported: throughput and p99 per node, publish → visible on both nodes
// (story page and front, polled every 5 ms on fresh connections), errors, pages still stale 1 s
// after their change; then the same story through Varnish (deploy/varnish) against node A directly.
import pg from 'pg';
import { buildAppOnSite, dropTestSchema, testEnv } from '../test/helpers/build-test-app.ts';
import { startBuiltServer, type BuiltServer } from '../test/helpers/built-server.ts';
import { seedBasics, storyBody, storyInput } from '../test/helpers/fixtures.ts';
import { startVarnish, type Varnish } from '../test/helpers/varnish.ts';
import { flag, load, table, type LoadResult } from './_harness.ts';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

export async function main(args: string[]): Promise<void> {
  const seconds = flag(args, 'seconds', 60);
  const connections = flag(args, 'connections', 16);
  await new pg.Client({ connectionString: DATABASE_URL }).connect().then((c) => c.end()).catch(() => {
    throw new Error(`no PostgreSQL at ${DATABASE_URL} (set BENCH_DATABASE_URL)`);
  });
  const env = testEnv({ DATABASE_URL, DATABASE_SCHEMA: `bench_cluster_${process.pid}`, LOG_LEVEL: 'warn' });
  const site = await buildAppOnSite(env, { runJobs: false, watchChanges: false });
  let varnish: Varnish | undefined;
  const nodes: BuiltServer[] = [];
  try {
    await seedBasics(site.services);
    for (let i = 0; i < 30; i++) await site.services.articles.save(storyInput({ headline: `Background story ${i + 1}` }));
    const story = await site.services.articles.save(storyInput({ headline: 'The story read through Varnish' }));
    const token = (await site.services.tokens.create('cli', { name: 'bench desk', role: 'editor' })).token;
    const { freePort } = await import('../test/helpers/built-server.ts');
    const ports = [await freePort(), await freePort()];
    varnish = await startVarnish(ports.map((port) => `http://127.0.0.1:${port}`));
    const nodeEnv = { ...env, PURGE_URL: `${varnish.url}/` };
    nodes.push(
      ...(await Promise.all([
        startBuiltServer({ ...nodeEnv, NODE_ROLE: 'web', PORT: String(ports[0]) }),
        startBuiltServer({ ...nodeEnv, NODE_ROLE: 'web', PORT: String(ports[1]) }),
        startBuiltServer({ ...nodeEnv, NODE_ROLE: 'worker' }, { readyPath: '/healthz' }),
      ])),
    );
    const [a, b] = nodes as [BuiltServer, BuiltServer];
    await varnish.untilServing();

    // Load on both web nodes while publishing once a second on node A.
    const loads = Promise.all([load('node A, front page', `${a.url}/`, { connections, seconds }), load('node B, front page', `${b.url}/`, { connections, seconds })]);
    const publishes = publishEverySecond(a.url, [a.url, b.url], token, seconds - 2);
    const [[loadA, loadB], visible] = await Promise.all([loads, publishes]);

    // The same story through Varnish and from node A directly, one after the other, no publishing.
    const storyPath = `/national/${story.slug}`;
    await load('warm-up', `${varnish.url}${storyPath}`, { connections, seconds: 2 });
    const direct = await load('story, node A directly', `${a.url}${storyPath}`, { connections, seconds: 10 });
    const throughVarnish = await load('story, through Varnish', `${varnish.url}${storyPath}`, { connections, seconds: 10 });

    report({ seconds, connections, loadA, loadB, visible, direct, throughVarnish });
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await varnish?.stop();
    await site.close();
    await dropTestSchema(env);
  }
}

interface Visibility {
  /** ms from the Admin API's answer until both nodes showed the story on its page and the front. */
  times: number[];
  /** The same, per page (node A's story, node A's front, node B's story, node B's front). */
  perPage: Map<string, number[]>;
  /** Pages checked 1 s after a publish that did not show it yet. */
  staleAfter1s: number;
  checks: number;
  failedPublishes: number;
}

async function publishEverySecond(writer: string, readers: string[], token: string, seconds: number): Promise<Visibility> {
  const result: Visibility = { times: [], perPage: new Map(), staleAfter1s: 0, checks: 0, failedPublishes: 0 };
  const kinds = readers.flatMap((_, i) => [`node ${'AB'[i]} story`, `node ${'AB'[i]} front`]);
  const lateChecks: Promise<void>[] = [];
  const api = (path: string, body: unknown) => fetch(`${writer}/api/admin/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  for (let n = 1; n <= seconds; n++) {
    const tick = performance.now();
    const headline = `Cluster bench story ${n} ${Date.now()}`;
    const created = await api('/articles', { headline, section: 'national', body: storyBody(3), authors: ['ada-reporter'] });
    const { article } = (await created.json()) as { article: { id: number; slug: string; version: number } };
    const published = await api(`/articles/${article.id}/publish`, { version: article.version });
    if (published.status !== 200) {
      result.failedPublishes++;
      continue;
    }
    const answered = performance.now();
    const pages = readers.flatMap((node) => [`${node}/national/${article.slug}`, `${node}/`]);
    const pending = new Set(pages);
    const seenAt = (url: string) => {
      pending.delete(url);
      const kind = kinds[pages.indexOf(url)]!;
      result.perPage.set(kind, [...(result.perPage.get(kind) ?? []), performance.now() - answered]);
    };
    while (pending.size > 0 && performance.now() - answered < 10_000) {
      await Promise.all([...pending].map(async (url) => ((await fresh(url)).includes(headline) ? seenAt(url) : undefined)));
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    result.times.push(pending.size === 0 ? performance.now() - answered : Infinity);
    // A second after the publish, every page must show it.
    lateChecks.push(
      new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - answered)))).then(async () => {
        for (const url of pages) {
          result.checks++;
          if (!(await fresh(url)).includes(headline)) result.staleAfter1s++;
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - tick))));
  }
  await Promise.all(lateChecks);
  return result;
}

/** A page on a connection of its own (the load's connections stay as they are). */
async function fresh(url: string): Promise<string> {
  const res = await fetch(url, { headers: { 'cache-control': 'no-cache' } });
  return res.text();
}

function report(r: { seconds: number; connections: number; loadA: LoadResult; loadB: LoadResult; visible: Visibility; direct: LoadResult; throughVarnish: LoadResult }): void {
  const rows = [r.loadA, r.loadB, r.direct, r.throughVarnish].map((x) => ({ load: x.name, 'req/s': Math.round(x.rps), 'p50 ms': x.p50, 'p99 ms': x.p99, errors: x.errors + x.non2xx }));
  const times = [...r.visible.times].sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)] ?? NaN;
  const max = times[times.length - 1] ?? NaN;
  const errors = r.loadA.errors + r.loadA.non2xx + r.loadB.errors + r.loadB.non2xx + r.visible.failedPublishes;
  console.log(`\nTwo web nodes and a worker on PostgreSQL, ${r.connections} connections on each web node for ${r.seconds} s, a story published on node A every second:\n`);
  console.log(table(rows));
  console.log('');
  console.log(table([{ publishes: times.length, 'min ms': Math.round(times[0] ?? NaN), 'median ms': Math.round(median), 'max ms': Math.round(max), 'stale after 1 s': `${r.visible.staleAfter1s}/${r.visible.checks}` }]));
  const mid = (list: number[]) => Math.round([...list].sort((x, y) => x - y)[Math.floor(list.length / 2)] ?? NaN);
  console.log('');
  console.log(table([...r.visible.perPage].map(([page, list]) => ({ page, 'median ms': mid(list), 'max ms': Math.round(Math.max(...list)) }))));
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log('');
  console.log(`${verdict(median <= 50)}  publish → visible on both nodes (story page and front), median = ${Math.round(median)} ms (goal ≤ 50 ms)`);
  console.log(`${verdict(max <= 1000)}  publish → visible, max = ${Math.round(max)} ms (goal ≤ 1,000 ms)`);
  console.log(`${verdict(errors === 0)}  errors under load and failed publishes = ${errors} (goal 0)`);
  console.log(`${verdict(r.visible.staleAfter1s === 0)}  pages stale 1 s after their change = ${r.visible.staleAfter1s} of ${r.visible.checks} checks (goal 0)`);
  console.log(`      story through Varnish / node A directly = ${(r.throughVarnish.rps / r.direct.rps).toFixed(2)}× (${Math.round(r.throughVarnish.rps)} against ${Math.round(r.direct.rps)} req/s)`);
}
