// `npm run bench -- lighthouse [--out DIR]`: Lighthouse 12.2.3 in its default mobile mode against
// the seed story and the front page of a bench site, checked against the reader-page budget
// (DESIGN §7: Lighthouse 100 in all four categories; ≤ 30 KB compressed before images; ≤ 5 requests).
// Prints a report and exits 0 whatever the scores: it fails only when the tooling itself fails.
// --out DIR also writes each page's full Lighthouse report (JSON) there.
import fs from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { launchChrome, startBenchSite } from './_browser.ts';

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
}

interface NetworkItem {
  url: string;
  resourceType?: string;
  transferSize?: number;
}

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

/** Scores, the audits that cost points, and the transfer facts from the network-requests audit. */
function summarise(name: string, lhr: Lhr): PageReport {
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
  return { name, url: lhr.finalDisplayedUrl, scores, failed, bytesBeforeImages, requests: items.length, warnings: lhr.runWarnings };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const pad = (s: string | number, n: number) => String(s).padEnd(n);

function print(reports: PageReport[]): void {
  console.log('\nLighthouse 12.2.3, default mobile mode (simulated throttling), Debian Chromium\n');
  console.log(`${pad('page', 14)}${CATEGORIES.map((c) => pad(c, 16)).join('')}${pad('before images', 15)}requests`);
  for (const r of reports) {
    console.log(`${pad(r.name, 14)}${CATEGORIES.map((c) => pad(r.scores[c], 16)).join('')}${pad(kb(r.bytesBeforeImages), 15)}${r.requests}`);
  }
  for (const r of reports) {
    if (r.warnings.length) console.log(`\n${r.name}: Lighthouse warnings:\n  ${r.warnings.join('\n  ')}`);
    if (r.failed.length === 0) continue;
    console.log(`\n${r.name} (${r.url}): audits below 100`);
    for (const f of r.failed) console.log(`  [${f.category}] ${f.id} (${f.score}): ${f.title}`);
  }
  console.log('\nBudget (DESIGN §7)');
  for (const r of reports) {
    const line = (ok: boolean, what: string) => console.log(`  ${ok ? 'PASS' : 'FAIL'} ${r.name}: ${what}`);
    for (const c of CATEGORIES) line(r.scores[c] === 100, `${c} ${r.scores[c]} (budget 100)`);
    line(r.bytesBeforeImages <= BUDGET.bytesBeforeImages, `${kb(r.bytesBeforeImages)} transferred before images (budget ≤ ${kb(BUDGET.bytesBeforeImages)})`);
    line(r.requests <= BUDGET.requests, `${r.requests} requests (budget ≤ ${BUDGET.requests})`);
  }
  console.log('\nFor scale (reference numbers from the issue, not measured here):');
  for (const ref of REFERENCES) console.log(`  ${ref}`);
}

export async function main(args: string[]): Promise<void> {
  const outAt = args.indexOf('--out');
  const outDir = outAt >= 0 ? args[outAt + 1] : undefined;
  if (outAt >= 0 && !outDir) throw new Error('--out needs a folder');

  const site = await startBenchSite();
  let chrome: Awaited<ReturnType<typeof launchChrome>> | undefined;
  try {
    chrome = await launchChrome();
    const pages = [
      { name: 'seed article', url: site.url + site.seedPath },
      { name: 'front page', url: `${site.url}/` },
    ];
    const reports: PageReport[] = [];
    for (const page of pages) {
      // One run per page, one after the other: parallel runs on 2 cores would skew the timings.
      const result = await lighthouse(page.url, { port: chrome.port, output: 'json', logLevel: 'error' });
      if (!result) throw new Error(`Lighthouse returned nothing for ${page.url}`);
      if (result.lhr.runtimeError) throw new Error(`Lighthouse failed on ${page.url}: ${result.lhr.runtimeError.message}`);
      if (outDir) {
        fs.mkdirSync(outDir, { recursive: true });
        fs.writeFileSync(path.join(outDir, `${page.name.replace(/\W+/g, '-')}.json`), JSON.stringify(result.lhr, null, 2));
      }
      reports.push(summarise(page.name, result.lhr));
    }
    print(reports);
  } finally {
    // chrome-launcher's kill() also removes the temporary profile it created.
    chrome?.kill();
    await site.close();
  }
}
