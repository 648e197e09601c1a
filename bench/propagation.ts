// `npm run bench -- propagation [--articles 10000] [--runs 20]`
// How long a story saved by another process (the CLI, another node) takes to show on a running
// site's cached front, section page and feed. The figure is a latency, bounded by the change
// poll interval (CHANGE_POLL_MS, 500 ms by default) plus one render.
import { buildServices } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { benchSite, buildServer, flag, startServer, table } from './_harness.ts';

const PAGES = ['/', '/national', '/national/feed.xml'];

export async function main(args: string[]): Promise<void> {
  const articles = flag(args, 'articles', 10_000);
  const runs = flag(args, 'runs', 20);
  const site = await benchSite(articles, args.includes('--fresh'));
  buildServer();
  const server = await startServer('../dist/main.js', site.env, '/');
  // The writer: a separate process's worth of services on the same database, as `bulletin import` has.
  const writer = await buildServices(loadConfig(site.env), { watchChanges: false });
  const timings: number[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      for (const path of PAGES) await fetch(server.url + path).then((r) => r.text()); // cached now
      const headline = `Propagation check ${Date.now()}-${run}`;
      const started = performance.now();
      await writer.services.articles.save({
        headline,
        sectionSlug: 'national',
        body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A short story.' }] }] },
        status: 'published',
      });
      const saved = performance.now();
      // Poll every 10 ms, for at most 10 s, until every page shows the story.
      const pending = new Set(PAGES);
      while (pending.size && performance.now() - saved < 10_000) {
        for (const path of [...pending]) {
          const html = await fetch(server.url + path).then((r) => r.text());
          if (html.includes(headline)) pending.delete(path);
        }
        if (pending.size) await new Promise((r) => setTimeout(r, 10));
      }
      if (pending.size) throw new Error(`run ${run}: not visible after 10 s on ${[...pending].join(', ')}`);
      timings.push(performance.now() - started);
    }
  } finally {
    await writer.database.close();
    await server.stop();
  }
  timings.sort((a, b) => a - b);
  const median = timings[Math.floor(timings.length / 2)]!;
  const max = timings[timings.length - 1]!;
  console.log(`\nA story saved by another process, until the front, /national and its feed all show it (${runs} runs, ${articles.toLocaleString('en')}-story SQLite site, change poll every 500 ms):\n`);
  console.log(table([{ runs, 'min ms': Math.round(timings[0]!), 'median ms': Math.round(median), 'max ms': Math.round(max) }]));
  console.log(`\n${max <= 2000 ? 'PASS' : 'FAIL'}  slowest = ${Math.round(max)} ms (budget ≤ 2,000 ms across processes)`);
}
