// `npm run bench -- publish [--articles 10000] [--runs 50]`
// Through the admin API of a running site (the bundle `npm start` runs): how long a save takes, and
// how long after the publish call returns the story is visible on its page, the front and its
// section. The baseline in the same run is a plain GET of the cached front, the cheapest request.
import { buildServices } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { benchSite, buildServer, flag, startServer, table } from './_harness.ts';

export async function main(args: string[]): Promise<void> {
  const articles = flag(args, 'articles', 10_000);
  const runs = flag(args, 'runs', 50);
  const site = await benchSite(articles, args.includes('--fresh'));
  buildServer();
  const server = await startServer('../dist/main.js', site.env, '/');
  // An editor's API token, made the way `bulletin token add` makes one (this also brings the
  // bench database's schema up to date before the server starts using it).
  const setup = await buildServices(loadConfig(site.env), { watchChanges: false });
  const { token } = await setup.services.tokens.create('cli', { name: `publish bench ${Date.now()}`, role: 'editor' });
  await setup.database.close();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const started = performance.now();
    const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as { article?: { id: number; url: string; version: number }; errors?: unknown };
    if (!res.ok || !json.article) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.errors)}`);
    return { article: json.article, ms: performance.now() - started };
  };

  const saves: number[] = [];
  const visible: number[] = [];
  const baseline: number[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const headline = `Publish check ${run} ${Date.now()}`;
      const created = await call('POST', '/api/admin/v1/articles', {
        headline,
        section: 'national',
        body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A story written for the benchmark.' }] }] },
      });
      saves.push(created.ms);
      const edited = await call('PATCH', `/api/admin/v1/articles/${created.article.id}`, { dek: 'Edited once.', version: created.article.version });
      saves.push(edited.ms);
      const pages = [new URL(created.article.url).pathname, '/', '/national'];
      for (const path of pages.slice(1)) await fetch(server.url + path).then((r) => r.text()); // cached now

      await call('POST', `/api/admin/v1/articles/${created.article.id}/publish`, { version: edited.article.version });
      const returned = performance.now();
      const pending = new Set(pages);
      while (pending.size && performance.now() - returned < 10_000) {
        for (const path of [...pending]) {
          const html = await fetch(server.url + path).then((r) => (r.ok ? r.text() : ''));
          if (html.includes(headline)) pending.delete(path);
        }
      }
      if (pending.size) throw new Error(`run ${run}: not visible after 10 s on ${[...pending].join(', ')}`);
      visible.push(performance.now() - returned);

      const started = performance.now();
      await fetch(server.url + '/').then((r) => r.text());
      baseline.push(performance.now() - started);
    }
  } finally {
    await server.stop();
  }

  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
  };
  const v = stats(visible);
  const s = stats(saves);
  const b = stats(baseline);
  const ms = (x: number) => x.toFixed(1);
  console.log(`\nAdmin API on a ${articles.toLocaleString('en')}-story SQLite site, ${runs} stories (each created, edited, published):\n`);
  console.log(
    table([
      { measure: 'publish returned → on story, front and section', median: ms(v.median), p95: ms(v.p95), max: ms(v.max) },
      { measure: 'save (create or edit)', median: ms(s.median), p95: ms(s.p95), max: ms(s.max) },
      { measure: 'baseline: GET of the cached front', median: ms(b.median), p95: ms(b.p95), max: ms(b.max) },
    ]),
  );
  console.log(`\n${v.max <= 1000 ? 'PASS' : 'FAIL'}  slowest publish to visible = ${ms(v.max)} ms (budget ≤ 1,000 ms)`);
  console.log(`${s.p95 <= 50 ? 'PASS' : 'FAIL'}  save p95 = ${ms(s.p95)} ms (budget ≤ 50 ms)`);
}
