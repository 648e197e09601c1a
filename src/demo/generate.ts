// Synthetic sites for benchmarks and load tests: `bulletin seed --articles N`. Stories are made
// from word lists with a seeded random generator, so the same N gives the same site.
import { heading, paragraph, type BlockNode } from '../articles/body.ts';
import type { ArticleInput } from '../articles/model.ts';
import type { Services } from '../app.ts';
import type { Progress } from '../importers/progress.ts';

const SECTIONS = ['National', 'World', 'Politics', 'Business', 'Health', 'Science', 'Sports', 'Culture'];
const SUBJECTS = ['council', 'ministry', 'port authority', 'hospital board', 'school district', 'rail operator', 'water utility', 'provincial court', 'research team', 'union'];
const VERBS = ['approves', 'delays', 'reviews', 'rejects', 'expands', 'investigates', 'funds', 'cuts', 'defends', 'unveils'];
const OBJECTS = ['flood barrier', 'housing plan', 'budget', 'transit line', 'clinic hours', 'tariff deal', 'wildfire response', 'data centre', 'fishing quota', 'vaccine drive'];
const PLACES = ['Harlow Bay', 'Port Ellery', 'Lowmere', 'Teller Coast', 'Brannock', 'Halvard', 'Pinecrest', 'Northern Reaches'];
const WORDS = 'officials said the decision would affect residents across the region while critics argued that costs had risen sharply since the plan was first proposed and several groups asked for more time to study the report before a final vote later this year'.split(' ');

/** Mulberry32: small, fast, seeded (the same stories, or queries, on every run). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticStory(n: number, sectionSlugs: string[], now: Date): ArticleInput {
  const rnd = random(n + 1);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const place = pick(PLACES);
  const headline = `${place} ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} (${n})`;
  const sentence = () => {
    const words = Array.from({ length: 12 + Math.floor(rnd() * 14) }, () => pick(WORDS));
    const text = words.join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const content: BlockNode[] = [];
  const paragraphs = 10 + Math.floor(rnd() * 14);
  for (let i = 0; i < paragraphs; i++) {
    if (i > 0 && i % 7 === 0) content.push(heading(`What ${pick(SUBJECTS)} members said`));
    content.push(paragraph(`${sentence()} ${sentence()} ${sentence()}`));
  }
  return {
    headline,
    dek: sentence(),
    sectionSlug: sectionSlugs[n % sectionSlugs.length]!,
    body: { type: 'doc', content },
    status: 'published',
    // One story every ten minutes going back in time, so lists have a stable order.
    publishedAt: new Date(now.getTime() - n * 600_000).toISOString(),
    credit: n % 3 === 0 ? { text: 'With files from Northwire.', contributors: [], agencies: ['Northwire'] } : undefined,
    topicNames: [place],
    sourceKey: `generated:${n}`,
  };
}

/** Adds `count` synthetic stories (numbered after any generated before), in batches of one transaction each. */
export async function generateStories(services: Services, count: number, progress: Progress, now = new Date()): Promise<number> {
  const { articles } = services;
  const existing = await articles.sections();
  for (const name of SECTIONS) {
    if (!existing.some((s) => s.name === name)) await articles.createSection({ name });
  }
  const slugs = (await articles.sections()).map((s) => s.slug);
  const next = (await articles.countBySourcePrefix('generated:')) + 1;
  const BATCH = 500;
  for (let done = 0; done < count; done += BATCH) {
    const size = Math.min(BATCH, count - done);
    const saves = Array.from({ length: size }, (_, i) => ({ input: syntheticStory(next + done + i, slugs, now) }));
    await articles.saveMany(saves);
    for (let i = 0; i < size; i++) progress.tick();
  }
  progress.done();
  return count;
}
