// Every change drops exactly the cached pages it affects, in this process at once and in other
// processes (the CLI, other nodes) through the change log.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildServices } from '../app.ts';
import type { Article } from '../articles/model.ts';
import { loadConfig } from '../platform/config.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyBody, storyInput } from '../../test/helpers/fixtures.ts';

let t: TestApp;
let national: Article;
let world: Article;

const PAGES = {
  front: '/',
  nationalSection: '/national',
  worldSection: '/world',
  siteFeed: '/feed.xml',
  nationalFeed: '/national/feed.xml',
  worldFeed: '/world/feed.xml',
  siteAtom: '/atom.xml',
  adaFeed: '/author/ada-reporter/atom.xml',
  floodingFeed: '/topic/flooding/feed.json',
  adaPage: '/author/ada-reporter',
  benPage: '/author/ben-writer',
  floodingTopic: '/topic/flooding',
  nationalStory: '',
  worldStory: '',
};

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  national = await t.services.articles.save(storyInput({ headline: 'National story' }));
  world = await t.services.articles.save(storyInput({ headline: 'World story', sectionSlug: 'world', authorSlugs: ['ben-writer'], topicNames: ['Diplomacy'] }));
  PAGES.nationalStory = `/national/${national.slug}`;
  PAGES.worldStory = `/world/${world.slug}`;
});
after(() => t.close());

/**
 * Runs the jobs a change queued (Related Articles: the changed story's list, and the lists it now
 * enters), so that what a change drops includes what those jobs drop, every time.
 */
async function settle(): Promise<void> {
  for (let round = 0; round < 20; round++) if ((await t.jobs.runDue()).length === 0) return;
}

/** Requests every page once so that all are cached. */
beforeEach(async () => {
  await settle();
  for (const url of Object.values(PAGES)) {
    const res = await t.app.inject(url);
    assert.equal(res.statusCode, 200, url);
  }
});

/** Which pages are still cached, by name. */
async function cached(): Promise<Set<string>> {
  const out = new Set<string>();
  for (const [name, url] of Object.entries(PAGES)) {
    if ((await t.app.inject(url)).headers['x-cache'] === 'HIT') out.add(name);
  }
  return out;
}

function assertDropped(still: Set<string>, dropped: string[]) {
  for (const name of Object.keys(PAGES)) {
    assert.equal(still.has(name), !dropped.includes(name), `${name} should ${dropped.includes(name) ? '' : 'not '}have been dropped`);
  }
}

test('publishing a story drops the front, its section, author and topic pages and feeds, and the stories whose Related Articles it enters: nothing else', async () => {
  await t.services.articles.save(storyInput({ headline: 'Fresh national story' }));
  await settle();
  // The two stories share its words (and the national one its topic): it enters their lists.
  assertDropped(await cached(), ['front', 'nationalSection', 'siteFeed', 'nationalFeed', 'adaPage', 'floodingTopic', 'siteAtom', 'adaFeed', 'floodingFeed', 'nationalStory', 'worldStory']);
});

test('editing a published story drops its page and the lists that show it, not the others', async () => {
  const updated = await t.services.articles.save(storyInput({ headline: 'National story, updated' }), { id: national.id });
  national = updated;
  await settle();
  // The world story shows it under Related Articles, with its headline.
  assertDropped(await cached(), ['nationalStory', 'front', 'nationalSection', 'siteFeed', 'nationalFeed', 'adaPage', 'floodingTopic', 'siteAtom', 'adaFeed', 'floodingFeed', 'worldStory']);
  const page = await t.app.inject(PAGES.nationalStory);
  assert.match(page.body, /National story, updated/);
});

test('editing a draft drops nothing readers can see', async () => {
  const draft = await t.services.articles.save(storyInput({ headline: 'Quiet draft', status: 'draft' }));
  await t.app.inject(PAGES.front);
  await t.services.articles.save(storyInput({ headline: 'Quiet draft, edited', status: 'draft' }), { id: draft.id });
  assertDropped(await cached(), []);
});

test('unpublishing a story drops every page that showed it', async () => {
  const gone = await t.services.articles.save(storyInput({ headline: 'Short-lived story', sectionSlug: 'world', authorSlugs: ['ben-writer'] }));
  await settle();
  for (const url of Object.values(PAGES)) await t.app.inject(url);
  await t.services.articles.save(storyInput({ headline: 'Short-lived story', sectionSlug: 'world', authorSlugs: ['ben-writer'], status: 'draft' }), { id: gone.id });
  // At once, before any job: the two stories listed it under Related Articles.
  assertDropped(await cached(), ['front', 'worldSection', 'siteFeed', 'worldFeed', 'benPage', 'floodingTopic', 'siteAtom', 'floodingFeed', 'nationalStory', 'worldStory']);
  assert.equal((await t.app.inject(`/world/${gone.slug}`)).statusCode, 404);
});

test('renaming an author drops the pages with their byline', async () => {
  await t.services.authors.save({ slug: 'ben-writer', name: 'Benjamin Writer' });
  // Feeds carry bylines too: the site's and the World feed list the world story.
  assertDropped(await cached(), ['benPage', 'worldStory', 'siteFeed', 'worldFeed', 'siteAtom']);
  assert.match((await t.app.inject(PAGES.worldStory)).body, /Benjamin Writer/);
});

test('a new caption for a clip drops the story showing it, nothing else', async () => {
  const clip = await t.services.videos.ensureReference('Ferry crossing', 'The morning boat');
  const body = storyBody(4, [{ type: 'video', attrs: { videoId: clip, title: 'Ferry crossing', caption: '' } }]);
  world = await t.services.articles.save({ ...storyInput({ headline: 'World story', sectionSlug: 'world', authorSlugs: ['ben-writer'], topicNames: ['Diplomacy'] }), body }, { id: world.id });
  await settle();
  for (const url of Object.values(PAGES)) await t.app.inject(url);
  await t.services.videos.ensureReference('Ferry crossing', 'The evening boat');
  assertDropped(await cached(), ['worldStory']);
  await t.services.videos.ensureReference('Ferry crossing', 'The evening boat');
  assertDropped(await cached(), []); // the same caption again changes nothing
});

test('a clip becoming playable drops the story showing it and the feeds carrying it as an enclosure; a caption change only the story', async () => {
  // The transcode runs when this test says so, not when the app's worker next looks.
  await t.jobs.stop();
  const fs = await import('node:fs');
  const { makeClip } = await import('../media/video/video-test-clips.ts');
  // The story names the clip first and its jobs settle (its Related Articles among them); then the
  // file arrives, so the drops below are the conversion's alone.
  const clipId = await t.services.videos.ensureReference('Tide turns', '');
  const body = storyBody(4, [{ type: 'video', attrs: { videoId: clipId, title: 'Tide turns', caption: '' } }]);
  world = await t.services.articles.save({ ...storyInput({ headline: 'World story', sectionSlug: 'world', authorSlugs: ['ben-writer'], topicNames: ['Diplomacy'] }), body }, { id: world.id });
  await settle();
  const incoming = await t.services.videos.createIncoming();
  fs.writeFileSync(`${incoming}/source`, makeClip({ width: 160, height: 90, seconds: 1, audio: false }));
  const clip = await t.services.videos.upload({ incoming, filename: 'tide.mp4', meta: { title: 'Tide turns' }, videoId: clipId, createdBy: null });
  for (const url of Object.values(PAGES)) await t.app.inject(url);
  await t.jobs.runDue();
  assertDropped(await cached(), ['worldStory', 'siteFeed', 'worldFeed', 'siteAtom']);
  assert.match((await t.app.inject(PAGES.worldStory)).body, /Click to play video: (&#39;|')Tide turns/);
  await t.services.videos.updateMeta(clip.id, { caption: 'As the moon rises' });
  assertDropped(await cached(), ['worldStory']);
});

test('site settings and new sections drop every page (they show on all of them)', async () => {
  await t.services.settings.update({ siteName: 'The Test Gazette' });
  assertDropped(await cached(), Object.keys(PAGES));
  assert.match((await t.app.inject('/')).body, /The Test Gazette/);
});

test('a change written by another process reaches this one through the change log', async () => {
  // A second set of services on the same database plays the CLI (or another web node).
  const other = await buildServices(loadConfig(t.env, t.dataDir));
  try {
    await other.services.articles.save(storyInput({ headline: 'Written elsewhere', sectionSlug: 'world', authorSlugs: ['ben-writer'] }));
  } finally {
    await other.database.close();
  }
  // This process runs the Related Articles job the other one queued: the story enters both lists.
  await settle();
  // Bounded wait for the poller (CHANGE_POLL_MS=100 in tests); the figure itself is benchmarked, not asserted.
  let still = await cached();
  for (let i = 0; i < 50 && still.has('worldSection'); i++) {
    await sleep(100);
    still = await cached();
  }
  assertDropped(still, ['front', 'worldSection', 'siteFeed', 'worldFeed', 'benPage', 'floodingTopic', 'siteAtom', 'floodingFeed', 'nationalStory', 'worldStory']);
  assert.match((await t.app.inject('/world')).body, /Written elsewhere/);
});

test('a held comment drops nothing; approving, editing or removing it drops that story’s page and the cards that count its comments', async () => {
  const moderator = { kind: 'user' as const, id: 1, role: 'moderator' as const, name: 'Mo' };
  const { comments, moderation } = t.services.comments;
  // Stored as a reader's held comment would be (the form's path is covered in comments/comment-post.test.ts).
  const token = await comments.formToken(world.id);
  await sleep(3100);
  const posted = await comments.post(
    { articleId: world.id, parentId: null, text: 'A held thought.', authorName: 'Ann', email: 'ann@example.com', url: '', token, honeypot: '' },
    '198.51.100.20',
  );
  assert.equal(posted.kind, 'stored');
  const id = posted.kind === 'stored' ? posted.id : 0;
  assertDropped(await cached(), []);
  await moderation.move(id, 'approve', moderator);
  // The world story is on the front and its section; its author's page and topic list it too.
  assertDropped(await cached(), ['worldStory', 'front', 'worldSection', 'benPage']);
  for (const url of Object.values(PAGES)) await t.app.inject(url);
  await moderation.edit(id, { body: 'An edited thought.' }, moderator);
  assertDropped(await cached(), ['worldStory', 'front', 'worldSection', 'benPage']);
  for (const url of Object.values(PAGES)) await t.app.inject(url);
  await moderation.move(id, 'trash', moderator);
  assertDropped(await cached(), ['worldStory', 'front', 'worldSection', 'benPage']);
  assert.doesNotMatch((await t.app.inject(PAGES.worldStory)).body, /edited thought/);
});
