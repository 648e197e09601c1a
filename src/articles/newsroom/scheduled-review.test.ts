// Nobody publishes what an editor has not seen: once an editor schedules an author's story, the
// author can no longer change it (in the newsroom or through the API), and the scheduler publishes
// the text the editor scheduled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { createThroughForm, formBody, staff, storyForm } from '../../../test/helpers/newsroom.ts';

let t: TestApp;
let now = new Date('2030-03-01T09:00:00Z');
before(async () => {
  t = await buildTestApp({}, { clock: { now: () => now }, watchChanges: false });
  await seedBasics(t.services);
});
after(() => t.close());

test('an author cannot change their story once an editor has scheduled it; the scheduled text goes out', async () => {
  const author = await staff(t, 'author');
  const id = await createThroughForm(author.browser, { headline: 'Ferry strike called off' });
  const draft = (await t.services.articles.findById(id))!;
  assert.equal((await author.browser.post(`/newsroom/stories/${id}/submit`, { expectedVersion: String(draft.version) })).statusCode, 303);

  const editorToken = (await t.services.tokens.create('cli', { name: 'desk', role: 'editor' })).token;
  const ready = (await t.services.articles.findById(id))!;
  const at = new Date(now.getTime() + 70_000).toISOString();
  const scheduled = await t.app.inject({ method: 'POST', url: `/api/admin/v1/articles/${id}/schedule`, payload: { at, version: ready.version }, headers: { authorization: `Bearer ${editorToken}` } });
  assert.equal(scheduled.statusCode, 200, scheduled.body);
  const seen = (await t.services.articles.findById(id))!;

  // The author's edit screen and form: not theirs to change any more.
  assert.equal((await author.browser.get(`/newsroom/stories/${id}/edit`)).statusCode, 404);
  const sneaked = await author.browser.post(`/newsroom/stories/${id}/edit`, { ...storyForm({ headline: 'Ferry strike called off', body: formBody('Unreviewed words.') }), expectedVersion: String(seen.version) });
  assert.equal(sneaked.statusCode, 404);
  const authorToken = (await t.services.tokens.create('cli', { name: 'author bot', role: 'author' })).token;
  const patched = await t.app.inject({ method: 'PATCH', url: `/api/admin/v1/articles/${id}`, payload: { dek: 'Unreviewed' }, headers: { authorization: `Bearer ${authorToken}` } });
  assert.equal(patched.statusCode, 404);

  now = new Date(now.getTime() + 71_000);
  await t.jobs.runDue();
  const published = (await t.services.articles.findById(id))!;
  assert.equal(published.status, 'published');
  assert.deepEqual(published.body, seen.body, 'the text the editor scheduled');
});

test('an editor’s change to a scheduled story (the form, or a restored revision) is audited with who made it', async () => {
  const editor = await staff(t, 'editor');
  const id = await createThroughForm(editor.browser, { headline: 'Bridge reopens' });
  const draft = (await t.services.articles.findById(id))!;
  const scheduled = await t.services.articles.schedule(id, new Date(now.getTime() + 3600_000).toISOString(), draft.version, 'cli');
  const saved = await editor.browser.post(`/newsroom/stories/${id}/edit`, { ...storyForm({ headline: 'Bridge reopens early', body: formBody('Reviewed words.') }), expectedVersion: String(scheduled.version) });
  assert.equal(saved.statusCode, 303);
  const entry = (await t.services.audit.recent(5)).find((e) => e.target === `article:${id}` && e.action === 'story.update')!;
  assert.ok(entry, 'the edit is in the audit log');
  assert.match(entry.actor, new RegExp(`^user:${editor.id} `));
  assert.equal(entry.detail.headline, 'Bridge reopens early');
  assert.equal(entry.detail.to, 'scheduled');

  const restored = await editor.browser.post(`/newsroom/stories/${id}/revisions/${scheduled.version}/restore`, { expectedVersion: String(scheduled.version + 1) });
  assert.equal(restored.statusCode, 303);
  const updates = (await t.services.audit.recent(10)).filter((e) => e.target === `article:${id}` && e.action === 'story.update');
  assert.equal(updates.length, 2);
  assert.equal(updates[0]!.detail.headline, 'Bridge reopens');
});
