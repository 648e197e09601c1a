// `npm run bench -- topic-suggestions [--rounds 30]`
// The time to suggest topics for a 2,000-word story (goal ≤ 300 ms): the seed page and demo
// stories run together into one long story, suggested on the demo site (gazetteer, proper-noun
// runs, compromise on the candidates, the topics of alike stories). Baseline in the same run: the
// compromise library's own people, places and organizations over the whole text, which is what
// reading the story with the library alone costs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nlp from 'compromise';
import { buildServices } from '../src/app.ts';
import { seedDemo } from '../src/demo/seed-demo.ts';
import { parseCapture } from '../src/importers/capture-parser.ts';
import { loadConfig } from '../src/platform/config.ts';
import { flag, table } from './_harness.ts';

const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** About 2,000 words of real-looking news: the seed, then demo stories, paragraph by paragraph. */
function longStory(): { headline: string; dek: string; paragraphs: string[] } {
  const files = [new URL('../test/fixtures/related/seed-trump-putin-missiles.txt', import.meta.url), ...fs.readdirSync(new URL('../src/demo/stories/', import.meta.url)).sort().map((f) => new URL(`../src/demo/stories/${f}`, import.meta.url))];
  const paragraphs: string[] = [];
  let words = 0;
  for (const file of files) {
    for (const block of parseCapture(fs.readFileSync(file, 'utf8')).blocks) {
      if (block.type !== 'paragraph' || words >= 2000) continue;
      paragraphs.push(block.text);
      words += block.text.split(/\s+/).length;
    }
  }
  return { headline: 'Trump talks with Putin as he considers selling long-range missiles to Ukraine', dek: '', paragraphs };
}

export async function main(args: string[]): Promise<void> {
  const rounds = flag(args, 'rounds', 30);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-topics-'));
  const { services, database } = await buildServices(loadConfig({ DATA_DIR: dataDir, DEMO_CONTENT: 'off', LOG_LEVEL: 'warn' }), { watchChanges: false });
  try {
    await seedDemo(services);
    for (const s of await services.articles.listPublished({}, { limit: 100 })) await services.related.compute({ articleId: s.id, refreshOthers: false });
    const story = longStory();
    const text = [story.headline, ...story.paragraphs].join('\n');
    const words = text.split(/\s+/).length;
    const ours: number[] = [];
    const library: number[] = [];
    let names: string[] = [];
    for (let i = 0; i < 3; i++) {
      await services.topicSuggestions.forText(0, story);
      nlp(text).people().out('array');
    }
    for (let i = 0; i < rounds; i++) {
      let started = performance.now();
      names = (await services.topicSuggestions.forText(0, story)).slice(0, 10).map((s) => s.name);
      ours.push(performance.now() - started);
      started = performance.now();
      const doc = nlp(text);
      doc.people().out('array');
      doc.places().out('array');
      doc.organizations().out('array');
      library.push(performance.now() - started);
    }
    ours.sort((a, b) => a - b);
    library.sort((a, b) => a - b);
    console.log(table([
      { measure: `suggestions for a ${words}-word story`, p50_ms: at(ours, 0.5).toFixed(1), p95_ms: at(ours, 0.95).toFixed(1), baseline: `compromise alone over the text p50 ${at(library, 0.5).toFixed(1)} ms`, ratio: `${(at(library, 0.5) / at(ours, 0.5)).toFixed(1)}× faster` },
    ]));
    console.log(`top ten: ${names.join(', ')}`);
    console.log(`goal: p95 ≤ 300 ms: ${at(ours, 0.95) <= 300 ? 'met' : 'NOT met'}`);
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
