// What readers see of the story workflow: embargoes hold everywhere until the publish job runs,
// unpublished stories answer 410, moved stories 301, corrections show on the page and in JSON-LD,
// working copies stay unseen until Update, and every move drops exactly the cached pages it must.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { buildApp } from '../app.ts';
import { PUBLISH_SCHEDULED } from '../articles/publish-job.ts';
import { loadConfig } from '../platform/config.ts';
import { buildTestApp, testEnv, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { REDIRECT_CACHE_CONTROL } from './routes.ts';

let t: TestApp;
let now = Date.parse('2030-06-01T12:00:00Z');
const clock = { now: () => new Date(now) };
const inHours = (h: number) => new Date(now + h * 3600_000).toISOString();

before(async () => {
  // The worker is driven by hand (runDue), so moving the clock is all a test needs.
  t = await buildTestApp({}, { clock, watchChanges: false });
  await seedBasics(t.services);
  await t.services.articles.save(storyInput({ headline: 'Envoys meet', sectionSlug: 'world', topicNames: ['World Affairs'] }));
});
after(() => t.close());

/**
 * Every reader page a story in World by Ben can appear on. Its topic page is World Affairs, which a
 * published story carries already (a topic only unpublished stories carry does not exist for readers).
 */
function listPages(_topicSlug: string) {
  return ['/', '/world', '/author/ben-writer', '/topic/world-affairs', '/feed.xml', '/world/feed.xml'];
}

async function get(url: string) {
  return t.app.inject(url);
}

async function cacheAll(urls: string[]) {
  for (const url of urls) assert.equal((await get(url)).statusCode, 200, url);
  for (const url of urls) assert.equal((await get(url)).headers['x-cache'], 'HIT', `${url} is cached`);
}

const worldStory = (headline: string, topic: string, extra = {}) =>
  storyInput({ headline, sectionSlug: 'world', authorSlugs: ['ben-writer'], topicNames: [topic, 'World Affairs'], ...extra });

test('a scheduled story is invisible everywhere until the publish job runs, then everywhere at once', async () => {
  const a = t.services.articles;
  const draft = await a.save(worldStory('Embargoed summit communique', 'Summit Talks', { status: 'draft' }));
  const story = await a.schedule(draft.id, inHours(1), draft.version);
  const pages = listPages('summit-talks');
  const storyUrl = `/world/${story.slug}`;
  assert.equal((await get(storyUrl)).statusCode, 404);
  assert.equal((await get('/topic/summit-talks')).statusCode, 404, 'a topic only the embargoed story carries is not told');
  for (const url of pages) {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.doesNotMatch(res.body, /Embargoed summit communique/, `${url} does not show the embargoed story`);
  }
  await cacheAll(pages);

  now += 3600_000;
  // Its time has come, but until the job runs it is still embargoed (and the cache still right).
  assert.equal((await get(storyUrl)).statusCode, 404);
  const ran = await t.jobs.runDue();
  // The publication, with what publishing queues beside it (Related Articles, topic suggestions).
  assert.equal(ran.filter((job) => job.kind === 'articles.publish-scheduled').length, 1);
  for (const url of pages) {
    const res = await get(url);
    assert.equal(res.headers['x-cache'], 'MISS', `${url} was dropped`);
    assert.match(res.body, /Embargoed summit communique/, `${url} shows the story`);
  }
  const page = await get(storyUrl);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Embargoed summit communique/);
  assert.equal((await get('/topic/summit-talks')).statusCode, 200, 'its topic exists once the story does');
});

test('publishing now puts a story on every list; moves readers cannot see drop nothing', async () => {
  const a = t.services.articles;
  const pages = listPages('harbour-works');
  let story = await a.save(worldStory('Harbour works begin', 'Harbour Works', { status: 'draft' }));
  await cacheAll(pages);
  story = await a.submitForEdit(story.id, story.version);
  story = await a.schedule(story.id, inHours(5), story.version);
  story = await a.returnToDraft(story.id, story.version);
  story = await a.schedule(story.id, inHours(5), story.version);
  for (const url of pages) assert.equal((await get(url)).headers['x-cache'], 'HIT', `${url} kept`);
  await a.publishNow(story.id, story.version);
  for (const url of pages) {
    const res = await get(url);
    assert.equal(res.headers['x-cache'], 'MISS', `${url} was dropped`);
    assert.match(res.body, /Harbour works begin/);
  }
});

test('an unpublished story answers 410 Gone with a friendly page and leaves every list', async () => {
  const a = t.services.articles;
  const story = await a.save(worldStory('Recalled report on grain prices', 'Grain Prices'));
  const storyUrl = `/world/${story.slug}`;
  const pages = listPages('grain-prices');
  await cacheAll([storyUrl, ...pages]);
  await a.unpublish(story.id, story.version);
  const gone = await get(storyUrl);
  assert.equal(gone.statusCode, 410);
  assert.equal(gone.headers['cache-control'], 'public, max-age=10');
  assert.match(gone.body, /This story has been removed/);
  assert.doesNotMatch(gone.body, /Recalled report on grain prices/);
  for (const url of pages) {
    const res = await get(url);
    assert.equal(res.headers['x-cache'], 'MISS', `${url} was dropped`);
    assert.doesNotMatch(res.body, /Recalled report on grain prices/, url);
  }
  assert.equal((await get('/world/never-existed')).statusCode, 404, 'an address nothing lived at is still 404');
});

test('a published story that moves leaves a 301 at each old address, straight to the current one', async () => {
  const a = t.services.articles;
  let story = await a.save(storyInput({ headline: 'Ferry fares rise' }));
  const first = `/national/${story.slug}`;
  await cacheAll([first]);
  story = await a.save(storyInput({ headline: 'Ferry fares rise', slug: 'ferry-fares-rise-again' }), { id: story.id, expectedVersion: story.version });
  const moved = await get(first);
  assert.equal(moved.statusCode, 301);
  assert.equal(moved.headers.location, '/national/ferry-fares-rise-again');
  assert.equal(moved.headers['cache-control'], REDIRECT_CACHE_CONTROL);

  story = await a.save(storyInput({ headline: 'Ferry fares rise', slug: 'ferry-fares-rise-again', sectionSlug: 'world' }), { id: story.id, expectedVersion: story.version });
  for (const old of [first, '/national/ferry-fares-rise-again']) {
    const res = await get(old);
    assert.equal(res.statusCode, 301, old);
    assert.equal(res.headers.location, '/world/ferry-fares-rise-again', `${old} goes straight to the current address`);
  }
  assert.equal((await get('/world/ferry-fares-rise-again')).statusCode, 200);

  // A new story taking an old address wins over the redirect.
  await a.save(storyInput({ headline: 'Ferry fares rise', slug: 'ferry-fares-rise' }));
  const taken = await get(first);
  assert.equal(taken.statusCode, 200);
  assert.match(taken.body, /Ferry fares rise/);

  // Once the moved story is unpublished, its old addresses are gone too.
  await a.unpublish(story.id, story.version);
  assert.equal((await get('/national/ferry-fares-rise-again')).statusCode, 410);
});

test('a draft that changes slug leaves no redirect', async () => {
  const a = t.services.articles;
  const story = await a.save(storyInput({ headline: 'Quiet rename', status: 'draft' }));
  await a.save(storyInput({ headline: 'Quiet rename', status: 'draft', slug: 'quiet-rename-2' }), { id: story.id });
  assert.equal((await get('/national/quiet-rename')).statusCode, 404);
});

test('a correction shows on the story in a dated box and in the JSON-LD, and drops the cached page', async () => {
  const a = t.services.articles;
  const story = await a.save(storyInput({ headline: 'Council budget passes' }));
  const url = `/national/${story.slug}`;
  await cacheAll([url]);
  assert.doesNotMatch((await get(url)).body, /class="corrections"/);
  now += 3600_000;
  await a.addCorrection(story.id, 'An earlier version gave the wrong vote count.', story.version);
  const res = await get(url);
  assert.equal(res.headers['x-cache'], 'MISS');
  const stamp = new Date(now).toISOString();
  assert.match(res.body, /<aside class="corrections" aria-labelledby="corrections-title"><h2 id="corrections-title">Correction<\/h2>/);
  assert.match(res.body, new RegExp(`<time datetime="${stamp}">[^<]+</time>: An earlier version gave the wrong vote count.`));
  assert.match(res.body, new RegExp(`<meta property="article:modified_time" content="${stamp}"`));
  const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(res.body)![1]!) as Record<string, unknown>;
  const article = (Array.isArray(ld) ? ld.find((x: Record<string, unknown>) => x['@type'] === 'NewsArticle') : ld) as Record<string, unknown>;
  assert.deepEqual(article.correction, [{ '@type': 'CorrectionComment', text: 'An earlier version gave the wrong vote count.', datePublished: stamp }]);
  assert.equal(article.dateModified, stamp);
});

test('readers see the published version until the working copy is applied', async () => {
  const a = t.services.articles;
  const story = await a.save(storyInput({ headline: 'Storm closes schools' }));
  const url = `/national/${story.slug}`;
  await cacheAll([url, '/']);
  const held = await a.saveWorkingCopy(story.id, storyInput({ headline: 'Storm closes schools for a second day' }), story.version);
  const page = await get(url);
  assert.equal(page.headers['x-cache'], 'HIT', 'a working copy changes nothing readers see');
  assert.doesNotMatch(page.body, /second day/);
  await a.applyWorkingCopy(story.id, held.version);
  const updated = await get(url);
  assert.equal(updated.headers['x-cache'], 'MISS');
  assert.match(updated.body, /Storm closes schools for a second day/);
  assert.match((await get('/')).body, /Storm closes schools for a second day/);
});

test('a schedule that fell due while the server was down is published when it starts again', async () => {
  const env = testEnv();
  const config = loadConfig(env, env.DATA_DIR);
  let at = Date.parse('2030-07-01T09:00:00Z');
  const restartClock = { now: () => new Date(at) };
  const first = await buildApp(config, { clock: restartClock });
  let storyId: number;
  try {
    await seedBasics(first.services);
    const draft = await first.services.articles.save(storyInput({ headline: 'Overnight embargo lifts', status: 'draft' }));
    const story = await first.services.articles.schedule(draft.id, new Date(at + 3600_000).toISOString(), draft.version);
    storyId = story.id;
  } finally {
    await first.close();
  }
  at += 8 * 3600_000;
  const second = await buildApp(config, { clock: restartClock });
  try {
    const story = await second.services.articles.findById(storyId);
    assert.equal(story?.status, 'published', 'published during start, before any request');
    assert.equal(story?.publishedAt, '2030-07-01T10:00:00.000Z');
    assert.equal((await second.app.inject(`/national/${story!.slug}`)).statusCode, 200);
    const [job] = await second.jobs.list(PUBLISH_SCHEDULED.kind);
    assert.equal(job?.status, 'done');
  } finally {
    await second.close();
    await dropSchema(env);
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
  }
});

async function dropSchema(env: Record<string, string>) {
  if (!env.DATABASE_SCHEMA) return;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`);
  } finally {
    await client.end();
  }
}
