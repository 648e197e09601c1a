// The story workflow's moves as the newsroom calls them: what each allows and refuses, the
// revisions and versions they leave, scheduled-publish jobs, working copies and corrections.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError } from '../platform/errors.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { changeTags, tags } from './change-tags.ts';
import { PUBLISH_SCHEDULED } from './publish-job.ts';
import { CORRECTION_LIMIT } from './workflow.ts';

let t: TestApp;
let now = Date.parse('2030-06-01T12:00:00Z');
const clock = { now: () => new Date(now) };
const inHours = (h: number) => new Date(now + h * 3600_000).toISOString();

before(async () => {
  // The worker is driven by hand (runDue) so that moving the clock is all a test needs.
  t = await buildTestApp({}, { clock, watchChanges: false });
  await seedBasics(t.services);
});
after(() => t.close());

async function rejects(promise: Promise<unknown>, code: string, field?: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (field) assert.ok(error.details.some((d) => d.field === field), `expected an error on ${field}, got ${JSON.stringify(error.details)}`);
    return true;
  });
}

const draft = (headline: string) => t.services.articles.save(storyInput({ headline, status: 'draft' }));

test('a story moves draft → ready → scheduled → published → unpublished, one revision per move', async () => {
  const a = t.services.articles;
  let story = await draft('Harbour ferry timetable changes');
  story = await a.submitForEdit(story.id, story.version);
  assert.equal(story.status, 'ready');
  story = await a.schedule(story.id, inHours(2), story.version);
  assert.equal(story.status, 'scheduled');
  assert.equal(story.publishedAt, inHours(2));
  story = await a.publishNow(story.id, story.version);
  assert.equal(story.status, 'published');
  assert.equal(story.publishedAt, new Date(now).toISOString());
  story = await a.unpublish(story.id, story.version);
  assert.equal(story.status, 'unpublished');
  assert.equal(story.publishedAt, new Date(now).toISOString(), 'the original publication time is kept');
  story = await a.returnToDraft(story.id, story.version);
  assert.equal(story.status, 'draft');
  assert.equal(story.version, 6);
  assert.equal(await a.revisionCount(story.id), 6);
});

test('moves refuse what does not make sense, and write nothing', async () => {
  const a = t.services.articles;
  const story = await draft('Library hours extended');
  await rejects(a.unpublish(story.id, story.version), 'conflict', 'status');
  await rejects(a.returnToDraft(story.id, story.version), 'conflict', 'status');
  await rejects(a.schedule(story.id, inHours(-1), story.version), 'invalid_input', 'publishedAt');
  await rejects(a.schedule(story.id, new Date(now).toISOString(), story.version), 'invalid_input', 'publishedAt');
  await rejects(a.schedule(story.id, 'next tuesday', story.version), 'invalid_input', 'publishedAt');
  const ready = await a.submitForEdit(story.id, story.version);
  await rejects(a.submitForEdit(ready.id, ready.version), 'conflict', 'status');
  const live = await a.publishNow(ready.id, ready.version);
  await rejects(a.publishNow(live.id, live.version), 'conflict', 'status');
  await rejects(a.schedule(live.id, inHours(1), live.version), 'conflict', 'status');
  await rejects(a.submitForEdit(live.id, live.version), 'conflict', 'status');
  assert.equal((await a.findById(live.id))?.version, live.version);
  assert.equal(await a.revisionCount(live.id), 3);
});

test('every move on an unknown story is not found, and on a stale version a conflict', async () => {
  const a = t.services.articles;
  await rejects(a.submitForEdit(999_999, 1), 'not_found');
  await rejects(a.schedule(999_999, inHours(1), 1), 'not_found');
  await rejects(a.publishNow(999_999, 1), 'not_found');
  await rejects(a.unpublish(999_999, 1), 'not_found');
  await rejects(a.returnToDraft(999_999, 1), 'not_found');
  await rejects(a.addCorrection(999_999, 'A fix.', 1), 'not_found');
  await rejects(a.saveWorkingCopy(999_999, storyInput(), 1), 'not_found');
  await rejects(a.applyWorkingCopy(999_999, 1), 'not_found');

  const story = await draft('Stale versions refused');
  const ready = await a.submitForEdit(story.id, story.version);
  const stale = story.version;
  await rejects(a.submitForEdit(story.id, stale), 'conflict', 'version');
  await rejects(a.returnToDraft(story.id, stale), 'conflict', 'version');
  await rejects(a.schedule(story.id, inHours(1), stale), 'conflict', 'version');
  await rejects(a.publishNow(story.id, stale), 'conflict', 'version');
  const live = await a.publishNow(ready.id, ready.version);
  await rejects(a.unpublish(live.id, ready.version), 'conflict', 'version');
  await rejects(a.addCorrection(live.id, 'A fix.', ready.version), 'conflict', 'version');
  await rejects(a.saveWorkingCopy(live.id, storyInput(), ready.version), 'conflict', 'version');
  await rejects(a.applyWorkingCopy(live.id, ready.version), 'conflict', 'version');
});

test('scheduling enqueues one publish job; rescheduling supersedes it and a stale job does nothing', async () => {
  const a = t.services.articles;
  let story = await draft('Bridge reopening date set');
  story = await a.schedule(story.id, inHours(1), story.version);
  story = await a.schedule(story.id, inHours(3), story.version);
  const jobs = (await t.jobs.list(PUBLISH_SCHEDULED.kind)).filter((j) => (j.payload as { articleId: number }).articleId === story.id);
  assert.deepEqual(jobs.map((j) => j.status), ['cancelled', 'pending']);
  assert.equal(jobs[1]?.runAt, inHours(3));
  // The old job, had a worker already held it, would find the story's time changed.
  assert.equal(await a.publishScheduled({ articleId: story.id, at: inHours(1) }), false);
  now += 3600_000;
  await t.jobs.runDue();
  assert.equal((await a.findById(story.id))?.status, 'scheduled', 'not yet: rescheduled to later');
  now += 2 * 3600_000;
  await t.jobs.runDue();
  const published = await a.findById(story.id);
  assert.equal(published?.status, 'published');
  assert.equal(published?.publishedAt, published?.updatedAt, 'published at its time, not shown as updated');
});

test('returning a scheduled story to draft cancels its job', async () => {
  const a = t.services.articles;
  let story = await draft('Parade route announced');
  story = await a.schedule(story.id, inHours(1), story.version);
  story = await a.returnToDraft(story.id, story.version);
  assert.equal(story.publishedAt, null);
  const jobs = (await t.jobs.list(PUBLISH_SCHEDULED.kind)).filter((j) => (j.payload as { articleId: number }).articleId === story.id);
  assert.deepEqual(jobs.map((j) => j.status), ['cancelled']);
  now += 2 * 3600_000;
  await t.jobs.runDue();
  assert.equal((await a.findById(story.id))?.status, 'draft');
});

test('a working copy holds changes to a published story until Update', async () => {
  const a = t.services.articles;
  const live = await a.save(storyInput({ headline: 'Water main bursts downtown' }));
  const held = await a.saveWorkingCopy(live.id, storyInput({ headline: 'Water main repaired downtown' }), live.version);
  assert.equal(held.version, live.version + 1);
  assert.equal(held.headline, 'Water main bursts downtown');
  assert.equal((await a.findById(live.id))?.headline, 'Water main bursts downtown', 'the published story is unchanged');
  assert.equal((await a.workingCopy(live.id))?.headline, 'Water main repaired downtown');
  await rejects(a.saveWorkingCopy(live.id, storyInput({ headline: 'Someone else' }), live.version), 'conflict', 'version');
  await rejects(a.saveWorkingCopy(live.id, storyInput({ headline: '' }), held.version), 'invalid_input', 'headline');

  const updated = await a.applyWorkingCopy(live.id, held.version);
  assert.equal(updated.headline, 'Water main repaired downtown');
  assert.equal(updated.status, 'published');
  assert.equal(updated.publishedAt, live.publishedAt);
  assert.equal(await a.workingCopy(live.id), undefined);
  assert.equal(await a.revisionCount(live.id), 3);
  await rejects(a.applyWorkingCopy(live.id, updated.version), 'not_found');
});

test('only a published story has a working copy', async () => {
  const story = await draft('Draft edits go straight in');
  await rejects(t.services.articles.saveWorkingCopy(story.id, storyInput(), story.version), 'conflict', 'status');
});

test('a working copy cannot take another story’s slug', async () => {
  const a = t.services.articles;
  await a.save(storyInput({ headline: 'Taken slug story' }));
  const live = await a.save(storyInput({ headline: 'Free slug story' }));
  await rejects(a.saveWorkingCopy(live.id, storyInput({ headline: 'Free slug story', slug: 'taken-slug-story' }), live.version), 'conflict', 'slug');
  await rejects(a.save(storyInput({ headline: 'Free slug story', slug: 'taken-slug-story' }), { id: live.id }), 'conflict', 'slug');
});

test('unpublishing drops the pending working copy', async () => {
  const a = t.services.articles;
  const live = await a.save(storyInput({ headline: 'Festival cancelled' }));
  const held = await a.saveWorkingCopy(live.id, storyInput({ headline: 'Festival postponed' }), live.version);
  await a.unpublish(live.id, held.version);
  assert.equal(await a.workingCopy(live.id), undefined);
});

test('a correction is dated, kept in order, and marks the story updated', async () => {
  const a = t.services.articles;
  const live = await a.save(storyInput({ headline: 'Mayor names new police chief' }));
  now += 60_000;
  const first = await a.addCorrection(live.id, '  An earlier version misspelled the chief’s name.  ', live.version);
  now += 60_000;
  const second = await a.addCorrection(live.id, 'The appointment takes effect in March, not May.', first.version);
  assert.deepEqual(second.corrections.map((c) => c.text), [
    'An earlier version misspelled the chief’s name.',
    'The appointment takes effect in March, not May.',
  ]);
  assert.equal(second.corrections[1]?.createdAt, new Date(now).toISOString());
  assert.equal(second.updatedAt, new Date(now).toISOString());
  assert.equal(await a.revisionCount(live.id), 3);
});

test('a correction needs text within the limit, on a published story', async () => {
  const a = t.services.articles;
  const live = await a.save(storyInput({ headline: 'Correction limits' }));
  await rejects(a.addCorrection(live.id, '   ', live.version), 'invalid_input', 'text');
  await rejects(a.addCorrection(live.id, 42, live.version), 'invalid_input', 'text');
  await rejects(a.addCorrection(live.id, 'x'.repeat(CORRECTION_LIMIT + 1), live.version), 'invalid_input', 'text');
  const story = await draft('Drafts take no corrections');
  await rejects(a.addCorrection(story.id, 'A fix.', story.version), 'conflict', 'status');
  assert.equal((await a.findById(live.id))?.corrections.length, 0);
});

test('unpublishing counts as leaving every list the story was on', async () => {
  const a = t.services.articles;
  const live = await a.save(storyInput({ headline: 'Leaves every list', topicNames: ['Lists'] }));
  const down = await a.unpublish(live.id, live.version);
  const touched = changeTags(live, down, clock.now());
  for (const tag of [
    tags.article(live.id),
    tags.allLists,
    tags.sectionList(live.section.id),
    tags.authorList(live.authors[0]!.id),
    tags.topicList(live.topics[0]!.id),
  ]) {
    assert.ok(touched.includes(tag), `${tag} is dropped`);
  }
  assert.deepEqual(changeTags(down, await a.returnToDraft(down.id, down.version), clock.now()), [tags.article(live.id)]);
});
