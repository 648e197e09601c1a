// A contributor's story once handed in: the editors' now. The contributor lands back on their list
// with the notice (not on an edit screen that would answer 404), and the newsroom lists show its
// headline without a link they could not follow; writers who may still edit keep their links.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../../test/helpers/fixtures.ts';
import { staff } from '../../../test/helpers/newsroom.ts';
import { PresenceService } from './presence-service.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
});
after(() => t.close());

/** Who the newsroom shows as editing a story (read straight from its table). */
const presence = () => new PresenceService(t.database.db, () => new Date());
const editLink = (id: number) => new RegExp(`href="/newsroom/stories/${id}/edit"`);

test('a contributor who submits a story goes back to their list, where it shows without an edit link', async () => {
  const contributor = await staff(t, 'contributor');
  const draft = await t.services.articles.save(storyInput({ headline: 'Ferry timetable changes', status: 'draft', ownerUserId: contributor.id }));
  const list = await contributor.browser.get('/newsroom/stories');
  assert.match(list.body, editLink(draft.id), 'their draft is theirs to edit');
  await contributor.browser.get(`/newsroom/stories/${draft.id}/edit`); // open: "also editing" for others
  assert.equal((await presence().present(draft.id)).length, 1);

  const submitted = await contributor.browser.post(`/newsroom/stories/${draft.id}/submit`, { expectedVersion: String(draft.version) });
  assert.equal(submitted.statusCode, 303);
  assert.equal(submitted.headers.location, '/newsroom/stories?done=submitted');
  assert.equal((await t.services.articles.findById(draft.id))!.status, 'ready');
  assert.deepEqual(await presence().present(draft.id), [], 'no longer shown as editing it');

  const after = await contributor.browser.get('/newsroom/stories?done=submitted');
  assert.equal(after.statusCode, 200);
  assert.match(after.body, /<p class="notice" role="status">Submitted for edit\.<\/p>/);
  assert.match(after.body, /Ferry timetable changes/);
  assert.doesNotMatch(after.body, editLink(draft.id));
  const dashboard = await contributor.browser.get('/newsroom');
  assert.match(dashboard.body, /Ready for edit \(1\)/);
  assert.doesNotMatch(dashboard.body, editLink(draft.id));
  assert.equal((await contributor.browser.get(`/newsroom/stories/${draft.id}/edit`)).statusCode, 404);

  // The editors see it with its link.
  const editor = await staff(t, 'editor');
  assert.match((await editor.browser.get('/newsroom')).body, editLink(draft.id));
  assert.match((await editor.browser.get('/newsroom/stories')).body, editLink(draft.id));
});

test('an author who submits a story stays on its edit screen (authors edit until publication)', async () => {
  const author = await staff(t, 'author');
  const draft = await t.services.articles.save(storyInput({ headline: 'Harbour crane arrives', status: 'draft', ownerUserId: author.id }));
  const submitted = await author.browser.post(`/newsroom/stories/${draft.id}/submit`, { expectedVersion: String(draft.version) });
  assert.equal(submitted.statusCode, 303);
  assert.equal(submitted.headers.location, `/newsroom/stories/${draft.id}/edit?done=submitted`);
  assert.match((await author.browser.get('/newsroom')).body, editLink(draft.id));
});

test('a notice is shown only for a known key: nothing for unknown ones or for names every object has', async () => {
  const author = await staff(t, 'author');
  for (const done of ['nonsense', 'constructor', 'toString', '__proto__', '<b>hi</b>']) {
    const page = await author.browser.get(`/newsroom/stories?done=${encodeURIComponent(done)}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /class="notice"/, done);
  }
});

test('moderators have no story list, with or without a notice', async () => {
  const moderator = await staff(t, 'moderator');
  assert.equal((await moderator.browser.get('/newsroom/stories?done=submitted')).statusCode, 403);
});
