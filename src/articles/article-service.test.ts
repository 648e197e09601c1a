import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError } from '../platform/errors.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyBody, storyInput } from '../../test/helpers/fixtures.ts';
import { changeTags } from './change-tags.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
});
after(() => t.close());

async function rejects(promise: Promise<unknown>, code: string, field: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.ok(
      error.details.some((d) => d.field === field),
      `expected an error on ${field}, got ${JSON.stringify(error.details)}`,
    );
    return true;
  });
}

test('a save creates the story with its bylines, topics, credit and a first revision', async () => {
  const story = await t.services.articles.save(storyInput({ headline: 'Rail line reopens', topicNames: ['Transit', 'Rail'] }));
  assert.equal(story.slug, 'rail-line-reopens');
  assert.equal(story.section.slug, 'national');
  assert.deepEqual(story.authors.map((a) => a.slug), ['ada-reporter']);
  assert.deepEqual(story.topics.map((t) => t.name), ['Transit', 'Rail']);
  assert.deepEqual(story.credit.agencies, ['Northwire']);
  assert.equal(story.version, 1);
  assert.equal(await t.services.articles.revisionCount(story.id), 1);
});

test('every update keeps a revision and bumps the version', async () => {
  const story = await t.services.articles.save(storyInput({ headline: 'Budget vote delayed' }));
  const updated = await t.services.articles.save({ ...storyInput(), headline: 'Budget vote delayed again' }, { id: story.id, expectedVersion: 1 });
  assert.equal(updated.version, 2);
  assert.equal(updated.slug, story.slug, 'the slug stays when the headline changes');
  assert.equal(await t.services.articles.revisionCount(story.id), 2);
});

test('a save based on an old version is refused, and nothing changes', async () => {
  const story = await t.services.articles.save(storyInput({ headline: 'Harbour dredging approved' }));
  await t.services.articles.save(storyInput({ headline: 'Harbour dredging approved by council' }), { id: story.id, expectedVersion: 1 });
  await rejects(t.services.articles.save(storyInput({ headline: 'Stale edit' }), { id: story.id, expectedVersion: 1 }), 'conflict', 'version');
  const now = await t.services.articles.findById(story.id);
  assert.equal(now?.headline, 'Harbour dredging approved by council');
  assert.equal(await t.services.articles.revisionCount(story.id), 2);
});

test('bad input is refused with a message per field and writes nothing', async () => {
  const count = await t.services.articles.countPublished({});
  await rejects(t.services.articles.save(storyInput({ headline: '   ' })), 'invalid_input', 'headline');
  await rejects(t.services.articles.save(storyInput({ headline: 'x'.repeat(301) })), 'invalid_input', 'headline');
  await rejects(t.services.articles.save(storyInput({ sectionSlug: 'sport' })), 'invalid_input', 'section');
  await rejects(t.services.articles.save(storyInput({ body: '<p>html</p>' })), 'invalid_input', 'body');
  await rejects(t.services.articles.save(storyInput({ body: { type: 'doc', content: [{ type: 'script' }] } })), 'invalid_input', 'body');
  const evilLink = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] };
  await rejects(t.services.articles.save(storyInput({ body: evilLink })), 'invalid_input', 'body');
  const huge = { type: 'doc', content: Array.from({ length: 2001 }, () => ({ type: 'paragraph' })) };
  await rejects(t.services.articles.save(storyInput({ body: huge })), 'invalid_input', 'body');
  await rejects(t.services.articles.save(storyInput({ slug: 'Not A Slug' })), 'invalid_input', 'slug');
  await rejects(t.services.articles.save(storyInput({ authorSlugs: ['nobody'] })), 'invalid_input', 'authors');
  await rejects(t.services.articles.save(storyInput({ status: 'live' as never })), 'invalid_input', 'status');
  await rejects(t.services.articles.save(storyInput({ publishedAt: 'yesterday' })), 'invalid_input', 'publishedAt');
  const future = new Date(Date.now() + 3600_000).toISOString();
  await rejects(t.services.articles.save(storyInput({ publishedAt: future })), 'invalid_input', 'publishedAt');
  await rejects(t.services.articles.save(storyInput({ status: 'scheduled', publishedAt: null })), 'invalid_input', 'publishedAt');
  await assert.rejects(t.services.articles.save(storyInput(), { id: 999999 }), (e: unknown) => e instanceof AppError && e.code === 'not_found');
  assert.equal(await t.services.articles.countPublished({}), count);
});

test('slugs are unique per section: derived ones get a number, explicit ones conflict', async () => {
  const a = await t.services.articles.save(storyInput({ headline: 'Mayor resigns' }));
  const b = await t.services.articles.save(storyInput({ headline: 'Mayor resigns' }));
  const c = await t.services.articles.save(storyInput({ headline: 'Mayor resigns', sectionSlug: 'world' }));
  assert.equal(a.slug, 'mayor-resigns');
  assert.equal(b.slug, 'mayor-resigns-2');
  assert.equal(c.slug, 'mayor-resigns');
  await rejects(t.services.articles.save(storyInput({ headline: 'Other', slug: 'mayor-resigns' })), 'conflict', 'slug');
});

test('drafts and scheduled stories are invisible to readers until published', async () => {
  const draft = await t.services.articles.save(storyInput({ headline: 'Draft story', status: 'draft' }));
  const scheduled = await t.services.articles.save(
    storyInput({ headline: 'Embargoed story', status: 'scheduled', publishedAt: new Date(Date.now() + 86400_000).toISOString() }),
  );
  assert.equal(await t.services.articles.findPublished('national', draft.slug), undefined);
  assert.equal(await t.services.articles.findPublished('national', scheduled.slug), undefined);
  const listed = await t.services.articles.listPublished({}, { limit: 100 });
  assert.ok(!listed.some((s) => s.id === draft.id || s.id === scheduled.id));
});

test('saveMany writes all or nothing', async () => {
  const before = await t.services.articles.countPublished({});
  await rejects(
    t.services.articles.saveMany([{ input: storyInput({ headline: 'Good one' }) }, { input: storyInput({ headline: '' }) }]),
    'invalid_input',
    'headline',
  );
  assert.equal(await t.services.articles.countPublished({}), before);
});

test('sections: reserved and duplicate slugs are refused', async () => {
  await rejects(t.services.articles.createSection({ name: 'Author' }), 'invalid_input', 'slug');
  await rejects(t.services.articles.createSection({ name: 'National' }), 'conflict', 'slug');
  await rejects(t.services.articles.createSection({ name: '' }), 'invalid_input', 'name');
});

test('change tags: lists only when a story enters, leaves or moves within them', async () => {
  const story = await t.services.articles.save(storyInput({ headline: 'Tag test' }));
  const now = new Date();
  const sectionList = `list:section:${story.section.id}`;
  assert.ok(changeTags(undefined, story, now).includes(sectionList), 'a new published story enters lists');
  assert.deepEqual(changeTags(story, { ...story, headline: 'New words' }, now), [`article:${story.id}`, 'sitemaps'], 'a live story: its page and the sitemaps');
  const moved = changeTags(story, { ...story, section: { ...story.section, id: 99 } }, now);
  assert.ok(moved.includes(sectionList) && moved.includes('list:section:99'));
  const unpublished = changeTags(story, { ...story, status: 'draft' }, now);
  assert.ok(unpublished.includes('list:all'));
  const draft = { ...story, status: 'draft' as const };
  assert.deepEqual(changeTags(draft, { ...draft, body: storyBody(2) }, now), [`article:${story.id}`]);
});

test('a new story published in the past was last modified then; an edit moves the modified time', async () => {
  const past = new Date(Date.now() - 5 * 3600_000).toISOString();
  const story = await t.services.articles.save(storyInput({ headline: 'Archive story', publishedAt: past }));
  assert.equal(story.publishedAt, past);
  assert.equal(story.updatedAt, past);
  const edited = await t.services.articles.save(storyInput({ headline: 'Archive story, corrected' }), { id: story.id });
  assert.ok(edited.updatedAt > past);
  assert.equal(edited.publishedAt, past);
});
