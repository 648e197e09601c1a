// Related Articles on real content: the demo site's thirty stories, the seed page and captures
// written for this test (test/fixtures/related), through the real app, its jobs and its page
// cache, on SQLite (or PostgreSQL with TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { CaptureImporter } from '../importers/capture-import.ts';
import { projectFile } from '../platform/paths.ts';

let t: TestApp;
let current = new Date('2026-10-20T12:00:00.000Z');
const clock = { now: () => new Date(current) };
const ids: Record<string, number> = {};
const UKRAINE = ['zelenskyy-white-house-visit', 'kyiv-power-strikes', 'kremlin-budapest-summit', 'europe-sanctions-russian-oil'];

/** Runs every due job, and the jobs those enqueue, until none is left. */
async function drain(): Promise<void> {
  for (let round = 0; round < 20; round++) if ((await t.jobs.runDue()).length === 0) return;
  assert.fail('jobs kept coming');
}

const listed = async (key: string) => (await t.services.related.explain(ids[key]!)).items;
const keyOf = (id: number) => Object.keys(ids).find((k) => ids[k] === id) ?? `demo:${id}`;
const pathOf = async (key: string) => {
  const story = (await t.services.articles.findById(ids[key]!))!;
  return `/${story.section.slug}/${story.slug}`;
};

before(async () => {
  t = await buildTestApp({}, { clock });
  await seedDemo(t.services, clock.now());
  const importer = new CaptureImporter({ articles: t.services.articles, videos: t.services.videos });
  const dir = projectFile('test/fixtures/related');
  for (const file of fs.readdirSync(dir).sort()) {
    current = new Date(current.getTime() + 3600_000);
    ids[file.replace(/\.txt$/, '')] = (await importer.importText(fs.readFileSync(`${dir}/${file}`, 'utf8'), { fileName: file, publish: true })).articleId;
  }
  await drain();
});
after(() => t.close());

test("the seed's Related Articles are the Russia, Ukraine and White House stories; unrelated ones rank below or not at all", async () => {
  const items = await listed('seed-trump-putin-missiles');
  const keys = items.map((i) => keyOf(i.relatedId));
  assert.deepEqual(keys.slice(0, UKRAINE.length).sort(), [...UKRAINE].sort(), keys.join());
  assert.ok(!keys.includes('white-house-ballroom'), 'a story sharing only "White House" is not related');
  assert.ok(!keys.includes('hospital-parking-fees'));
  assert.ok(!keys.includes('seed-trump-putin-missiles'), 'never itself');
  assert.ok(items.length <= 6);
  for (const item of items) {
    assert.ok(item.reason.terms.length > 0, 'each says which words it shares');
    assert.ok(item.reason.terms.some((w) => ['putin', 'trump', 'russia', 'russian', 'ukraine', 'zelenskyy', 'tomahawk', 'kyiv', 'kremlin'].includes(w)), item.reason.terms.join());
  }
  const scores = items.map((i) => i.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
});

test('the story page shows up to six cards under "Related Articles", with section, headline and time; a story with no kin shows none', async () => {
  const page = await t.app.inject(await pathOf('seed-trump-putin-missiles'));
  assert.equal(page.statusCode, 200);
  const part = /<section class="related"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
  assert.match(part, /<h2 id="related-heading">Related Articles<\/h2>/);
  assert.match(part, /Zelenskyy leaves White House without Tomahawk commitment/);
  assert.match(part, /<p class="kicker">World<\/p>/);
  assert.match(part, /<time datetime="2026-10-2/);
  assert.ok((part.match(/<li>/g) ?? []).length <= 6);
  // A story about the White House's building work has no relevant neighbour: nothing is padded in.
  assert.equal((await listed('white-house-ballroom')).length, 0);
  const lonely = await t.app.inject(await pathOf('white-house-ballroom'));
  assert.doesNotMatch(lonely.body, /Related Articles/);
});

test('a newer relevant story enters older lists by its job, and the cached page follows through the change feed', async () => {
  const seedPath = await pathOf('seed-trump-putin-missiles');
  await t.app.inject(seedPath);
  assert.equal((await t.app.inject(seedPath)).headers['x-cache'], 'HIT');
  current = new Date(current.getTime() + 3600_000);
  const story = await t.services.articles.save({
    headline: 'Trump says Putin summit could end the war in Ukraine as Zelenskyy asks for Tomahawk missiles',
    sectionSlug: 'world',
    status: 'published',
    body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'U.S. President Donald Trump said his talks with Russian President Vladimir Putin could end the war in Ukraine, as Ukrainian President Volodymyr Zelenskyy pressed the White House again for Tomahawk missiles to strike Russian territory.' }] }] },
  });
  ids.follow = story.id;
  // Nothing is computed on the request path: until the job runs, the stored list is the old one.
  assert.ok(!(await listed('seed-trump-putin-missiles')).some((i) => i.relatedId === story.id));
  await drain();
  assert.ok((await listed('follow')).some((i) => keyOf(i.relatedId) === 'seed-trump-putin-missiles'));
  assert.ok((await listed('seed-trump-putin-missiles')).some((i) => i.relatedId === story.id), 'the seed list took in the newer story');
  const page = await t.app.inject(seedPath);
  assert.notEqual(page.headers['x-cache'], 'HIT', 'the changed list dropped the cached page');
  assert.match(page.body, /Trump says Putin summit could end the war/);
});

test('an unpublished story leaves every list at once, before any job runs; drafts and embargoed stories are never listed', async () => {
  const seedPath = await pathOf('seed-trump-putin-missiles');
  await t.app.inject(seedPath);
  const gone = (await t.services.articles.findById(ids['kremlin-budapest-summit']!))!;
  await t.services.articles.unpublish(gone.id, gone.version);
  const page = await t.app.inject(seedPath);
  assert.notEqual(page.headers['x-cache'], 'HIT');
  assert.doesNotMatch(page.body, /Kremlin says Putin-Trump summit/);
  assert.ok(!(await listed('seed-trump-putin-missiles')).some((i) => i.relatedId === gone.id));
  // Embargoed (scheduled for a time to come) and a draft, both about the same news.
  const text = 'Russian President Vladimir Putin and Ukrainian President Volodymyr Zelenskyy; Donald Trump, the White House and Tomahawk missiles for Ukraine.';
  const body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
  const embargoed = await t.services.articles.save({ headline: 'Putin and Zelenskyy to meet Trump over Ukraine missiles', sectionSlug: 'world', status: 'scheduled', publishedAt: new Date(current.getTime() + 86400_000).toISOString(), body });
  const draft = await t.services.articles.save({ headline: 'Draft: Putin, Zelenskyy and Trump on Ukraine missiles', sectionSlug: 'world', status: 'draft', body });
  await drain();
  for (const key of ['seed-trump-putin-missiles', 'zelenskyy-white-house-visit', 'follow']) {
    const shown = (await listed(key)).map((i) => i.relatedId);
    assert.ok(!shown.includes(embargoed.id) && !shown.includes(draft.id) && !shown.includes(gone.id), key);
  }
  // Its time comes: the scheduled publication, then the job it enqueues, computes it, and it is found from then on.
  current = new Date(current.getTime() + 2 * 86400_000);
  await drain();
  assert.ok((await listed('seed-trump-putin-missiles')).some((i) => i.relatedId === embargoed.id));
  assert.ok(!(await listed('seed-trump-putin-missiles')).some((i) => i.relatedId === draft.id));
});
