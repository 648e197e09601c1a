// `npm run bench -- lighthouse [--runs N] [--out DIR]`: Lighthouse 12.2.3 in its default mobile mode
// against the seed story and the front page of a bench site, checked against the reader-page budget
// (DESIGN §7: Lighthouse 100 in all four categories; ≤ 30 KB compressed before images; ≤ 5 requests).
// Prints a report and exits 0 whatever the scores: it fails only when the tooling itself fails.
//
// Mobile mode multiplies main-thread time by 4, so on a loaded 2-core machine Chromium's own work
// can cost performance points even on an empty page. Two things keep the numbers honest: each page
// runs N times (default 3) and the median run is reported, as Lighthouse's docs advise; and a bare
// control page, served by plain node:http in the same run, shows the machine's noise floor.
// --out DIR also writes each page's median Lighthouse report (JSON) there.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import { closeChrome, launchChrome, startBenchSite } from './_browser.ts';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const BUDGET = { bytesBeforeImages: 30 * 1024, requests: 5 };
/** Given by the issue for scale, not measured here. */
const REFERENCES = ['WordPress 6.1 default theme: 100/100/96/92, 66 KB', 'Ghost 5: 88 KB'];
/** Images and media are outside the budget: it counts what a reader waits for before them. */
const IMAGE_TYPES = new Set(['Image', 'Media']);

interface PageReport {
  name: string;
  url: string;
  scores: Record<(typeof CATEGORIES)[number], number>;
  failed: { category: string; id: string; title: string; score: number }[];
  bytesBeforeImages: number;
  requests: number;
  warnings: string[];
  /** Lowest and highest performance score over the runs. */
  performanceRange: [number, number];
  benchmarkIndex: number;
}

interface NetworkItem {
  url: string;
  resourceType?: string;
  transferSize?: number;
}

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

/** Scores, the audits that cost points, and the transfer facts from the network-requests audit. */
function summarise(name: string, lhr: Lhr, runs: Lhr[]): PageReport {
  const scores = {} as PageReport['scores'];
  const failed: PageReport['failed'] = [];
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    if (!category) throw new Error(`Lighthouse returned no "${id}" category`);
    scores[id] = Math.round((category.score ?? 0) * 100);
    if (scores[id] === 100) continue;
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      // Informative, manual and not-applicable audits have a null score and never cost points.
      if (audit && audit.score !== null && audit.score < 1) {
        failed.push({ category: id, id: audit.id, title: audit.title, score: Math.round(audit.score * 100) });
      }
    }
  }
  const details = lhr.audits['network-requests']?.details as { items?: NetworkItem[] } | undefined;
  const items = details?.items ?? [];
  if (items.length === 0) throw new Error('Lighthouse recorded no network requests');
  const bytesBeforeImages = items.filter((r) => !IMAGE_TYPES.has(r.resourceType ?? '')).reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
  const perf = runs.map((run) => Math.round((run.categories.performance?.score ?? 0) * 100));
  return {
    name,
    url: lhr.finalDisplayedUrl,
    scores,
    failed,
    bytesBeforeImages,
    requests: items.length,
    warnings: lhr.runWarnings,
    performanceRange: [Math.min(...perf), Math.max(...perf)],
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const pad = (s: string | number, n: number) => String(s).padEnd(n);

function print(reports: PageReport[], control: PageReport, runs: number): void {
  const load = os.loadavg().map((n) => n.toFixed(2)).join(' ');
  console.log(`\nLighthouse 12.2.3, default mobile mode (simulated throttling), Debian Chromium; median of ${runs} run(s) per page`);
  console.log(`machine: ${os.cpus().length} cores, load average ${load}\n`);
  console.log(`${pad('page', 22)}${CATEGORIES.map((c) => pad(c, 16)).join('')}${pad('before images', 15)}${pad('requests', 10)}perf range  benchmarkIndex`);
  for (const r of [...reports, control]) {
    const cells = CATEGORIES.map((c) => pad(r.scores[c], 16)).join('');
    const range = `${r.performanceRange[0]}–${r.performanceRange[1]}`;
    console.log(`${pad(r.name, 22)}${cells}${pad(kb(r.bytesBeforeImages), 15)}${pad(r.requests, 10)}${pad(range, 12)}${Math.round(r.benchmarkIndex)}`);
  }
  console.log(`(${control.name}: a bare valid page from plain node:http; points it loses are the machine's, not Bulletin's)`);
  for (const r of [...reports, control]) {
    if (r.warnings.length) console.log(`\n${r.name}: Lighthouse warnings:\n  ${r.warnings.join('\n  ')}`);
    if (r.failed.length === 0) continue;
    console.log(`\n${r.name} (${r.url}): audits below 100`);
    for (const f of r.failed) console.log(`  [${f.category}] ${f.id} (${f.score}): ${f.title}`);
  }
  console.log('\nBudget (DESIGN §7)');
  for (const r of reports) {
    const line = (ok: boolean, what: string) => console.log(`  ${ok ? 'PASS' : 'FAIL'} ${r.name}: ${what}`);
    for (const c of CATEGORIES) {
      // Same loss on the bare control page in the same run points at the machine, not the product.
      const noise = r.scores[c] < 100 && control.scores[c] < 100 ? `; the control page scored ${control.scores[c]} too` : '';
      line(r.scores[c] === 100, `${c} ${r.scores[c]} (budget 100${noise})`);
    }
    line(r.bytesBeforeImages <= BUDGET.bytesBeforeImages, `${kb(r.bytesBeforeImages)} transferred before images (budget ≤ ${kb(BUDGET.bytesBeforeImages)})`);
    line(r.requests <= BUDGET.requests, `${r.requests} requests (budget ≤ ${BUDGET.requests})`);
  }
  console.log('\nFor scale (reference numbers from the issue, not measured here):');
  for (const ref of REFERENCES) console.log(`  ${ref}`);
}

/** The control: the smallest page that can score 100 everywhere, with no app behind it. */
const CONTROL_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<title>Control page</title><meta name="description" content="A bare page for measuring the noise floor."><link rel="icon" href="data:,">' +
  '</head><body><main><h1>Control page</h1><p>Nothing here but text.</p></main></body></html>';

async function startControlServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const robots = req.url === '/robots.txt';
    res.writeHead(200, { 'content-type': robots ? 'text/plain' : 'text/html; charset=utf-8' });
    res.end(robots ? 'User-agent: *\nAllow: /\n' : CONTROL_HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function parseArgs(args: string[]): { runs: number; outDir?: string } {
  const value = (flag: string) => {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const v = args[at + 1];
    if (!v || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const runs = Number(value('--runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 1 || runs > 15) throw new Error('--runs must be a whole number from 1 to 15');
  return { runs, outDir: value('--out') };
}

export async function main(args: string[]): Promise<void> {
  const { runs, outDir } = parseArgs(args);
  const site = await startBenchSite();
  const control = await startControlServer();
  let chrome: Awaited<ReturnType<typeof launchChrome>> | undefined;
  try {
    chrome = await launchChrome();
    const port = chrome.port;
    const pages = [
      { name: 'seed article', url: site.url + site.seedPath },
      { name: 'front page', url: `${site.url}/` },
      { name: 'control (bare page)', url: control.url },
    ];
    const reports: PageReport[] = [];
    for (const page of pages) {
      // One run at a time: parallel runs on 2 cores would skew each other's timings.
      const lhrs: Lhr[] = [];
      for (let i = 0; i < runs; i++) {
        const result = await lighthouse(page.url, { port, output: 'json', logLevel: 'error' });
        if (!result) throw new Error(`Lighthouse returned nothing for ${page.url}`);
        if (result.lhr.runtimeError) throw new Error(`Lighthouse failed on ${page.url}: ${result.lhr.runtimeError.message}`);
        lhrs.push(result.lhr);
      }
      const median = computeMedianRun(lhrs);
      if (outDir) {
        fs.mkdirSync(outDir, { recursive: true });
        fs.writeFileSync(path.join(outDir, `${page.name.replace(/\W+/g, '-')}.json`), JSON.stringify(median, null, 2));
      }
      reports.push(summarise(page.name, median, lhrs));
    }
    print(reports.slice(0, -1), reports[reports.length - 1]!, runs);
  } finally {
    if (chrome) await closeChrome(chrome);
    await control.close();
    await site.close();
  }
}
