// The one conversion from a stored story back to a save: saving it unchanged changes nothing a
// reader or editor sees, and a partial change keeps every field it does not name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput as fixtureInput } from '../../test/helpers/fixtures.ts';
import type { Article } from './model.ts';
import { changedStory, storyInput } from './story-input.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
});
after(() => t.close());

const visible = (a: Article) => ({
  headline: a.headline, dek: a.dek, slug: a.slug, section: a.section.slug, body: a.body, authors: a.authors.map((x) => x.slug),
  topics: a.topics.map((x) => x.name), credit: a.credit, leadImage: a.leadImage, seoTitle: a.seoTitle, seoDescription: a.seoDescription, socialImageId: a.socialImageId,
});

test('a story saved back from its own fields is the same story', async () => {
  const story = await t.services.articles.save(fixtureInput({ headline: 'Harbour wall repaired', seoTitle: 'Harbour wall', authorSlugs: ['ada-reporter', 'ben-writer'] }));
  const again = await t.services.articles.save(storyInput(story), { id: story.id, expectedVersion: story.version });
  assert.deepEqual(visible(again), visible(story));
  assert.equal(again.version, story.version + 1);
});

test('a partial change keeps what it does not name, and a section move finds the story a free address', async () => {
  const story = await t.services.articles.save(fixtureInput({ headline: 'Ferry timetable', topicNames: ['Ferries', 'Transport'] }));
  await t.services.articles.save(fixtureInput({ headline: 'Ferry timetable', sectionSlug: 'world' }));
  const moved = await t.services.articles.save(changedStory(story, { sectionSlug: 'world', dek: 'New times from Monday.' }), { id: story.id, expectedVersion: story.version });
  assert.deepEqual(visible(moved), { ...visible(story), section: 'world', slug: 'ferry-timetable-2', dek: 'New times from Monday.' });
});
