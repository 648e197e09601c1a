import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { Browser, createThroughForm, formBody, staff, storyForm } from '../../../test/helpers/newsroom.ts';
import { utcToZonedInput } from './story-time.ts';

let t: TestApp;
let editor: { id: number; browser: Browser };
let author: { id: number; browser: Browser };
let contributor: { id: number; browser: Browser };

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  editor = await staff(t, 'editor');
  author = await staff(t, 'author');
  contributor = await staff(t, 'contributor');
});
after(() => t.close());

/** The editor island's autosave: JSON with the CSRF token in a header. */
async function autosave(who: Browser, id: number, payload: Record<string, unknown>) {
  if (!who.csrf) await who.get('/newsroom/stories/new');
  const cookie = [...who.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return t.app.inject({
    method: 'POST',
    url: `/newsroom/stories/${id}/autosave`,
    headers: { cookie, 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': who.csrf },
    payload: JSON.stringify(payload),
  });
}

const versionOf = async (id: number) => (await t.services.articles.findById(id))!.version;

/** A workflow button, as the edit screen's form sends it: with the version the page showed. */
async function move(who: Browser, id: number, action: string, fields: Record<string, string> = {}) {
  return who.post(`/newsroom/stories/${id}/${action}`, { expectedVersion: String(await versionOf(id)), ...fields });
}

test('new story: created as the writer\'s draft; bad input is explained and the text kept', async () => {
  const b = author.browser;
  const page = await b.get('/newsroom/stories/new');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /name="author-ada-reporter"/);
  const empty = await b.post('/newsroom/stories/new', storyForm({ headline: ' ' }));
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /A story needs a headline/);
  const section = await b.post('/newsroom/stories/new', storyForm({ section: 'sport' }));
  assert.equal(section.statusCode, 400);
  assert.match(section.body, /Unknown section/);
  const malformed = await b.post('/newsroom/stories/new', storyForm({ body: '{"type":"doc", oops' }));
  assert.equal(malformed.statusCode, 400);
  assert.match(malformed.body, /not valid JSON/);
  assert.match(malformed.body, /oops/, 'the text is kept');
  const lead = await b.post('/newsroom/stories/new', storyForm({ leadImageId: 'abc' }));
  assert.equal(lead.statusCode, 400);
  assert.match(lead.body, /lead image id is a whole number/);
  const missingImage = await b.post('/newsroom/stories/new', storyForm({ leadImageId: '999' }));
  assert.equal(missingImage.statusCode, 400);
  assert.match(missingImage.body, /The lead image does not exist/);
  const id = await createThroughForm(b);
  const story = (await t.services.articles.findById(id))!;
  assert.equal(story.status, 'draft');
  assert.equal(story.ownerUserId, author.id);
  assert.deepEqual(story.authors.map((a) => a.slug), ['ada-reporter']);
  assert.deepEqual(story.topics.map((x) => x.name), ['Port', 'Cranes']);
});

test('stories list: editors see all, writers their own, filtered by status; others refused', async () => {
  const mine = await createThroughForm(contributor.browser, { headline: 'Contributor draft' });
  const authors = await author.browser.get('/newsroom/stories');
  assert.equal(authors.statusCode, 200);
  assert.doesNotMatch(authors.body, /Contributor draft/);
  const editors = await editor.browser.get('/newsroom/stories');
  assert.match(editors.body, new RegExp(`href="/newsroom/stories/${mine}/edit">Contributor draft`));
  assert.match(editors.body, /href="\/newsroom\/stories\/new"/);
  assert.doesNotMatch((await editor.browser.get('/newsroom/stories?status=published')).body, /Contributor draft/);
  assert.match((await editor.browser.get('/newsroom/stories?status=draft')).body, /Contributor draft/);
  const moderator = await staff(t, 'moderator');
  assert.equal((await moderator.browser.get('/newsroom/stories')).statusCode, 403);
  assert.equal((await moderator.browser.get(`/newsroom/stories/${mine}/edit`)).statusCode, 403);
  const anonymous = await new Browser(t).get('/newsroom/stories');
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/newsroom\/sign-in\?next=/);
});

test('edit: the island markup, own stories only, stale saves show the other person\'s changes', async () => {
  const id = await createThroughForm(author.browser, { headline: 'Quay wall repairs' });
  const page = await author.browser.get(`/newsroom/stories/${id}/edit`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /data-story-form/);
  assert.match(page.body, new RegExp(`data-autosave-url="/newsroom/stories/${id}/autosave"`));
  assert.match(page.body, /<textarea[^>]*data-editor-field/);
  assert.match(page.body, /<script type="module" src="\/assets\/editor-[A-Za-z0-9_-]{12}\.js"/);
  const other = await staff(t, 'author');
  assert.equal((await other.browser.get(`/newsroom/stories/${id}/edit`)).statusCode, 404);
  assert.equal((await other.browser.post(`/newsroom/stories/${id}/edit`, storyForm({ expectedVersion: '1' }))).statusCode, 404);

  const v = await versionOf(id);
  // The editor saves first; the author's save is based on the older version.
  await editor.browser.get(`/newsroom/stories/${id}/edit`);
  const first = await editor.browser.post(`/newsroom/stories/${id}/edit`, storyForm({ headline: 'Quay wall repairs', body: formBody('Editor rewrote the opening.'), expectedVersion: String(v) }));
  assert.equal(first.statusCode, 303);
  await author.browser.get(`/newsroom/stories/${id}/edit`);
  const stale = await author.browser.post(`/newsroom/stories/${id}/edit`, storyForm({ headline: 'Quay wall repairs begin', body: formBody('My own opening line.'), expectedVersion: String(v) }));
  assert.equal(stale.statusCode, 409);
  assert.match(stale.body, /Someone else saved this story/);
  assert.match(stale.body, /<ins>Editor rewrote the opening.<\/ins>|<ins>Editor rewrote/);
  assert.match(stale.body, /My own opening line/, 'the author\'s text is kept');
  assert.equal((await t.services.articles.findById(id))!.headline, 'Quay wall repairs');
  const noVersion = await author.browser.post(`/newsroom/stories/${id}/edit`, storyForm());
  assert.equal(noVersion.statusCode, 400);
});

test('autosave: JSON in, {version} or {errors} out; stale and malformed are refused; presence is shown', async () => {
  const id = await createThroughForm(author.browser, { headline: 'Ferry timetable' });
  const v = await versionOf(id);
  const ok = await autosave(author.browser, id, { ...storyForm({ headline: 'Ferry timetable changes' }), expectedVersion: v });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { version: v + 1 });
  const stale = await autosave(author.browser, id, { ...storyForm(), expectedVersion: v });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().errors[0].code, 'conflict');
  assert.match(stale.json().errors[0].message, /saved by someone else/);
  const malformed = await autosave(author.browser, id, { ...storyForm({ body: 'not json' }), expectedVersion: v + 1 });
  assert.equal(malformed.statusCode, 400);
  assert.deepEqual([malformed.json().errors[0].code, malformed.json().errors[0].field], ['invalid_input', 'body']);
  const empty = await autosave(author.browser, id, { ...storyForm({ headline: '' }), expectedVersion: v + 1 });
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().errors[0].field, 'headline');
  const other = await staff(t, 'author');
  assert.equal((await autosave(other.browser, id, { ...storyForm(), expectedVersion: v + 1 })).statusCode, 404);
  // The author has the story open (autosave heartbeat); the editor opening it is told so.
  const page = await editor.browser.get(`/newsroom/stories/${id}/edit`);
  assert.match(page.body, /author \d+ is also editing this story/);
});

test('contributors may not publish: no buttons, and the POST is refused', async () => {
  const id = await createThroughForm(contributor.browser, { headline: 'Fish market opens' });
  const page = await contributor.browser.get(`/newsroom/stories/${id}/edit`);
  assert.match(page.body, /Submit for edit/);
  assert.doesNotMatch(page.body, /Publish now|Schedule|Unpublish|Add correction/);
  assert.equal((await contributor.browser.post(`/newsroom/stories/${id}/publish`)).statusCode, 403);
  assert.equal((await contributor.browser.post(`/newsroom/stories/${id}/schedule`, { at: '2099-01-01T09:00' })).statusCode, 403);
  assert.equal((await t.services.articles.findById(id))!.status, 'draft');
  const submitted = await move(contributor.browser, id, 'submit');
  assert.equal(submitted.statusCode, 303);
  assert.equal((await t.services.articles.findById(id))!.status, 'ready');
  // A contributor edits drafts only: the story handed in is now the editors'.
  assert.equal((await contributor.browser.get(`/newsroom/stories/${id}/edit`)).statusCode, 404);
});

test('workflow: schedule checks its time, publish, correct, unpublish with confirmation', async () => {
  const b = editor.browser;
  const id = await createThroughForm(b, { headline: 'Lighthouse relit' });
  await b.get(`/newsroom/stories/${id}/edit`);
  const junk = await move(b, id, 'schedule', { at: 'tomorrow' });
  assert.equal(junk.statusCode, 400);
  assert.match(junk.body, /Enter the date and time/);
  const past = await move(b, id, 'schedule', { at: '2020-01-01T09:00' });
  assert.equal(past.statusCode, 400);
  assert.match(past.body, /in the future/);
  const later = utcToZonedInput(new Date(Date.now() + 86_400_000).toISOString(), t.config.timeZone);
  const scheduled = await move(b, id, 'schedule', { at: later });
  assert.equal(scheduled.statusCode, 303);
  const story = (await t.services.articles.findById(id))!;
  assert.equal(story.status, 'scheduled');
  assert.equal(utcToZonedInput(story.publishedAt!, t.config.timeZone), later);

  const published = await move(b, id, 'publish');
  assert.equal(published.statusCode, 303);
  assert.match(String(published.headers.location), /done=published/);
  const path = `/national/${(await t.services.articles.findById(id))!.slug}`;
  assert.equal((await t.app.inject(path)).statusCode, 200);

  const empty = await move(b, id, 'corrections', { text: '  ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /A correction needs its text/);
  assert.equal((await move(b, id, 'corrections', { text: 'An earlier version misdated the relighting.' })).statusCode, 303);
  assert.match((await t.app.inject(path)).body, /misdated the relighting/);

  const unconfirmed = await move(b, id, 'unpublish');
  assert.equal(unconfirmed.statusCode, 400);
  assert.match(unconfirmed.body, /Tick the box/);
  assert.equal((await t.services.articles.findById(id))!.status, 'published');
  assert.equal((await move(b, id, 'unpublish', { confirm: 'yes' })).statusCode, 303);
  assert.equal((await t.app.inject(path)).statusCode, 410);
});

test('a workflow button acts on the version the page showed: a save in between refuses it and shows the change', async () => {
  const b = editor.browser;
  const id = await createThroughForm(b, { headline: 'Ferry timetable changes' });
  await b.get(`/newsroom/stories/${id}/edit`);
  const seen = await versionOf(id);
  // Someone else saves a new paragraph after this page was opened.
  const other = (await t.services.articles.findById(id))!;
  await t.services.articles.save(
    { headline: other.headline, sectionSlug: 'national', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Sailings resume on Monday.' }] }] } },
    { id, expectedVersion: other.version },
  );
  const stale = await b.post(`/newsroom/stories/${id}/publish`, { expectedVersion: String(seen) });
  assert.equal(stale.statusCode, 409);
  assert.match(stale.body, /Someone else saved this story since you opened it/);
  assert.match(stale.body, /Sailings resume on Monday\./);
  assert.equal((await t.services.articles.findById(id))!.status, 'draft', 'nothing was published');
  const blind = await b.post(`/newsroom/stories/${id}/publish`);
  assert.equal(blind.statusCode, 400);
  assert.match(blind.body, /did not say which version/);
  assert.equal((await t.services.articles.findById(id))!.status, 'draft');
  assert.equal((await move(b, id, 'publish')).statusCode, 303);
});

test('a published story: saves are pending until "Update live story"; preview shows them, uncached and noindex', async () => {
  const b = editor.browser;
  const id = await createThroughForm(b, { headline: 'Bridge reopens' });
  await b.get(`/newsroom/stories/${id}/edit`);
  await move(b, id, 'publish');
  const path = `/national/${(await t.services.articles.findById(id))!.slug}`;
  let v = await versionOf(id);
  await b.get(`/newsroom/stories/${id}/edit`);
  const pending = await b.post(`/newsroom/stories/${id}/edit`, storyForm({ headline: 'Bridge reopens', body: formBody('Traffic is flowing again.'), expectedVersion: String(v) }));
  assert.equal(pending.statusCode, 303);
  assert.doesNotMatch((await t.app.inject(path)).body, /Traffic is flowing again/, 'readers see nothing yet');
  const edit = await b.get(`/newsroom/stories/${id}/edit`);
  assert.match(edit.body, /Traffic is flowing again/, 'the form shows the pending changes');

  const preview = await b.get(`/newsroom/stories/${id}/preview`);
  assert.equal(preview.statusCode, 200);
  assert.equal(preview.headers['cache-control'], 'private, no-store');
  assert.match(preview.body, /<meta name="robots" content="noindex"/);
  assert.match(preview.body, /Preview:/);
  assert.match(preview.body, /Traffic is flowing again/);
  const anonymous = await new Browser(t).get(`/newsroom/stories/${id}/preview`);
  assert.equal(anonymous.statusCode, 303);
  assert.equal((await author.browser.get(`/newsroom/stories/${id}/preview`)).statusCode, 404);

  v = await versionOf(id);
  await b.get(`/newsroom/stories/${id}/edit`);
  assert.equal((await author.browser.post(`/newsroom/stories/${id}/update`, storyForm({ expectedVersion: String(v) }))).statusCode, 403);
  const update = await b.post(`/newsroom/stories/${id}/update`, storyForm({ headline: 'Bridge reopens', body: formBody('Traffic is flowing again.'), expectedVersion: String(v) }));
  assert.equal(update.statusCode, 303);
  assert.match((await t.app.inject(path)).body, /Traffic is flowing again/);
});

test('preview of a draft: the reader page without the published check', async () => {
  const id = await createThroughForm(author.browser, { headline: 'Draft about gulls' });
  const preview = await author.browser.get(`/newsroom/stories/${id}/preview`);
  assert.equal(preview.statusCode, 200);
  assert.match(preview.body, /Draft about gulls/);
  assert.equal((await t.app.inject(`/national/${(await t.services.articles.findById(id))!.slug}`)).statusCode, 404);
});

test('revisions: listed, compared with current, restored as a new version', async () => {
  const b = author.browser;
  const id = await createThroughForm(b, { headline: 'Tide tables', body: formBody('Original first line.') });
  const v1 = await versionOf(id);
  await b.get(`/newsroom/stories/${id}/edit`);
  await b.post(`/newsroom/stories/${id}/edit`, storyForm({ headline: 'Tide tables', body: formBody('Rewritten first line.'), expectedVersion: String(v1) }));
  const list = await b.get(`/newsroom/stories/${id}/revisions`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(`href="/newsroom/stories/${id}/revisions/${v1}">Compare with current`));
  const diff = await b.get(`/newsroom/stories/${id}/revisions/${v1}`);
  assert.match(diff.body, /<del>Original<\/del>/);
  assert.match(diff.body, /<ins>Rewritten<\/ins>/);
  assert.equal((await b.get(`/newsroom/stories/${id}/revisions/999`)).statusCode, 404);
  const stale = await b.post(`/newsroom/stories/${id}/revisions/${v1}/restore`, { expectedVersion: String(v1) });
  assert.equal(stale.statusCode, 409);
  const current = await versionOf(id);
  const restored = await b.post(`/newsroom/stories/${id}/revisions/${v1}/restore`, { expectedVersion: String(current) });
  assert.equal(restored.statusCode, 303);
  const story = (await t.services.articles.findById(id))!;
  assert.equal(story.version, current + 1);
  assert.equal(story.status, 'draft');
  assert.deepEqual(story.body, JSON.parse(formBody('Original first line.')));
  const other = await staff(t, 'author');
  assert.equal((await other.browser.get(`/newsroom/stories/${id}/revisions`)).statusCode, 404);
});
