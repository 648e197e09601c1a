// `npm run bench -- related [--stories 100000] [--samples 200] [--fresh]`
// 1. The time to compute one story's Related Articles on a site of `--stories` stories (goal
//    ≤ 50 ms): the postings lookup, scoring, choices and the shared-terms explanation, as the job
//    runs them (RelatedRepository + related-score.ts), over a generated corpus of vectors built
//    with the real vocabulary weights; against, in the same run, a scan that scores every story's
//    vector (what a site without the postings would do), on a few samples.
// 2. What it adds to a publish: an update of a published story (the save, with the job it
//    enqueues) against the same save plus running that job, on the demo site.
// SQLite; corpora are kept between runs in the temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServices } from '../src/app.ts';
import { random } from '../src/demo/generate.ts';
import { seedDemo } from '../src/demo/seed-demo.ts';
import { loadConfig } from '../src/platform/config.ts';
import { RelatedRepository } from '../src/search/related-repository.ts';
import { chooseList, inverseFrequency, rank, storyVector, type Vector } from '../src/search/related-score.ts';
import { SearchRepository } from '../src/search/search-repository.ts';
import { indexedText, vocabularyOf } from '../src/search/search-text.ts';
import { flag, table } from './_harness.ts';

/** 3,000 things in the news (names, places, subjects), a few far more often than the rest. */
const THINGS = Array.from({ length: 3000 }, (_, i) => `thing${i.toString(36)}`);
const COMMON = 'officials said the decision would affect residents across the region while critics argued that costs had risen sharply since the plan was first proposed and several groups asked for more time to study the report before a final vote later this year council minister police court'.split(' ');
const RARE = Array.from({ length: 20000 }, (_, i) => `w${i.toString(36)}x`);

function storyText(n: number): { headline: string; dek: string; body: string } {
  const rnd = random(n * 31 + 1);
  const zipf = <T,>(list: readonly T[]) => list[Math.floor(list.length * rnd() ** 2.5)]!;
  const about = [zipf(THINGS), zipf(THINGS), zipf(THINGS), ...(rnd() < 0.5 ? [zipf(THINGS)] : [])];
  const word = () => {
    const r = rnd();
    return r < 0.08 ? about[Math.floor(rnd() * about.length)]! : r < 0.8 ? COMMON[Math.floor(rnd() * COMMON.length)]! : zipf(RARE);
  };
  const words = (count: number) => Array.from({ length: count }, word).join(' ');
  const body = Array.from({ length: 6 + Math.floor(rnd() * 8) }, () => `${words(30)}.`).join('\n');
  return { headline: `${about.slice(0, 2).join(' ')} ${words(6)}`, dek: words(15), body };
}

const DAY = 86400;
const NOW_EPOCH = Math.floor(Date.parse('2026-12-01T12:00:00Z') / 1000);
const epochOf = (n: number, stories: number) => NOW_EPOCH - Math.floor(((stories - n) * 5 * 365 * DAY) / stories);
const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (v: number) => v.toFixed(2);

async function corpus(stories: number, fresh: boolean) {
  const dataDir = path.join(os.tmpdir(), `bulletin-bench-related-${stories}`);
  if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const { database } = await buildServices(loadConfig({ DATA_DIR: dataDir, DEMO_CONTENT: 'off', LOG_LEVEL: 'warn' }), { watchChanges: false });
  const search = new SearchRepository(database.db, database.engine);
  const related = new RelatedRepository(database.db);
  if ((await related.vectorCount()) < stories) {
    console.log(`generating ${stories.toLocaleString('en')} stories' index and vectors in ${dataDir} (kept for later runs)`);
    await database.db.deleteFrom('related_terms' as never).execute();
    await database.db.deleteFrom('related_documents' as never).execute();
    if ((await search.count()) < stories) {
      for (let start = (await search.count()) + 1; start <= stories; start += 1000) {
        const entries: Parameters<SearchRepository["putNew"]>[0] = [];
        for (let n = start; n < Math.min(start + 1000, stories + 1); n++) {
          const text = storyText(n);
          entries.push({ document: { articleId: n, sectionId: 1, slug: `s${n}`, publishedAt: new Date(epochOf(n, stories) * 1000).toISOString(), ...text }, text: indexedText(text) });
        }
        await search.transaction((trx) => search.on(trx).putNew(entries));
      }
    }
    const vocabulary = new Set<string>();
    for (let n = 1; n <= Math.min(stories, 5000); n++) for (const w of vocabularyOf(indexedText(storyText(n)))) vocabulary.add(w);
    const df = await related.documentFrequencies([...vocabulary]);
    for (let start = 1; start <= stories; start += 1000) {
      await related.transaction(async (repo) => {
        for (let n = start; n < Math.min(start + 1000, stories + 1); n++) {
          const rnd = random(n);
          const topics = Array.from({ length: Math.floor(rnd() * 3) }, () => 1 + Math.floor(200 * rnd() ** 2));
          const vector = storyVector(indexedText(storyText(n)), topics, (t) => inverseFrequency(df.get(t) ?? 1, stories));
          await repo.putVector(n, epochOf(n, stories), vector, '2026-12-01T12:00:00Z');
        }
      });
      if ((start - 1) % 20000 === 0) process.stderr.write(`  ${start - 1}\n`);
    }
  }
  return { database, related };
}

/** One story's list as the job computes it, from its stored vector. */
async function listOf(related: RelatedRepository, id: number) {
  const own = (await related.vector(id))!;
  const ranked = rank(await related.overlaps(id, own.vector, NOW_EPOCH, 200), { articleId: id, publishedEpoch: own.publishedEpoch });
  const list = chooseList(id, ranked, await related.choices(id), () => true);
  await related.vectors(list.map((i) => i.relatedId));
  return list;
}

/** The baseline: every stored vector read and scored against the story's. */
async function scanListOf(database: Awaited<ReturnType<typeof corpus>>['database'], id: number, own: Vector) {
  const mine = new Map(own);
  const rows = await database.db.selectFrom('related_documents' as never).select(['article_id', 'vector'] as never).execute() as { article_id: number; vector: string }[];
  let best = 0;
  for (const row of rows) {
    if (row.article_id === id) continue;
    let dot = 0;
    for (const [term, w] of JSON.parse(row.vector) as Vector) dot += (mine.get(term) ?? 0) * w;
    best = Math.max(best, dot);
  }
  return best;
}

async function publishCost(rounds: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-related-publish-'));
  const { services, database } = await buildServices(loadConfig({ DATA_DIR: dataDir, DEMO_CONTENT: 'off', LOG_LEVEL: 'warn' }), { watchChanges: false });
  try {
    await seedDemo(services);
    const [first] = await services.articles.listPublished({}, { limit: 1 });
    const id = first!.id;
    for (const id2 of (await services.articles.listPublished({}, { limit: 40 })).map((s) => s.id)) await services.related.compute({ articleId: id2, refreshOthers: false });
    const save = async (i: number) => {
      const story = (await services.articles.findById(id))!;
      await services.articles.save({ headline: story.headline, dek: `${story.dek.replace(/ \(\d+\)$/, '')} (${i})`, sectionSlug: story.section.slug, body: story.body }, { id, expectedVersion: story.version });
    };
    const alone: number[] = [];
    const withJob: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let started = performance.now();
      await save(i * 2);
      alone.push(performance.now() - started);
      started = performance.now();
      await save(i * 2 + 1);
      await services.related.compute({ articleId: id, refreshOthers: true });
      withJob.push(performance.now() - started);
    }
    return { alone: alone.sort((a, b) => a - b), withJob: withJob.sort((a, b) => a - b) };
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function main(args: string[]): Promise<void> {
  const stories = flag(args, 'stories', 100_000);
  const samples = flag(args, 'samples', 200);
  const { database, related } = await corpus(stories, args.includes('--fresh'));
  try {
    const ids = Array.from({ length: samples }, (_, i) => 1 + Math.floor(random(i + 99)() * stories));
    for (const id of ids.slice(0, 10)) await listOf(related, id); // warm statements and pages
    const times: number[] = [];
    let listed = 0;
    for (const id of ids) {
      const started = performance.now();
      listed += (await listOf(related, id)).length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const scans: number[] = [];
    for (const id of ids.slice(0, 3)) {
      const own = (await related.vector(id))!.vector;
      const started = performance.now();
      await scanListOf(database, id, own);
      scans.push(performance.now() - started);
    }
    scans.sort((a, b) => a - b);
    const publish = await publishCost(flag(args, 'rounds', 30));
    console.log(table([
      { measure: `one story's list, ${stories.toLocaleString('en')} stories`, p50_ms: ms(at(times, 0.5)), p95_ms: ms(at(times, 0.95)), p99_ms: ms(at(times, 0.99)), baseline: `scan of every vector p50 ${ms(at(scans, 0.5))} ms`, ratio: (at(scans, 0.5) / at(times, 0.5)).toFixed(1) + '× faster' },
      { measure: 'update of a published story (save + enqueue)', p50_ms: ms(at(publish.alone, 0.5)), p95_ms: ms(at(publish.alone, 0.95)), p99_ms: ms(at(publish.alone, 0.99)), baseline: '', ratio: '' },
      { measure: 'the same, and its related job run', p50_ms: ms(at(publish.withJob, 0.5)), p95_ms: ms(at(publish.withJob, 0.95)), p99_ms: ms(at(publish.withJob, 0.99)), baseline: 'the save alone', ratio: (at(publish.withJob, 0.5) / at(publish.alone, 0.5)).toFixed(2) + '×' },
    ]));
    console.log(`average list length ${(listed / ids.length).toFixed(1)}; goal: p95 of one story's list ≤ 50 ms: ${at(times, 0.95) <= 50 ? 'met' : 'NOT met'}`);
  } finally {
    await database.close();
  }
}
