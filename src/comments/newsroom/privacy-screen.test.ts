// The newsroom's privacy screen for a commenter's request: administrators look up one email's
// comments and stored addresses, download them as JSON, and erase them behind a confirmation; each
// step is audited. Bad addresses get a message (an empty one never matches the newsroom's own
// replies); moderators and editors may not; the erased comments leave the story page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../../test/helpers/fixtures.ts';
import { staff, type Browser } from '../../../test/helpers/newsroom.ts';
import type { Article } from '../../articles/model.ts';

let t: TestApp;
let story: Article;
let admin: Browser;
const EMAIL = 'private.person@example.org';

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  story = await t.services.articles.save(storyInput());
  admin = (await staff(t, 'administrator')).browser;
  const texts = ['My first view on the barrier.', 'My second view, rather longer.', 'Someone else entirely.'];
  const tokens = await Promise.all(texts.map(() => t.services.comments.comments.formToken(story.id)));
  await sleep(3100);
  for (const [i, text] of texts.entries()) {
    const result = await t.services.comments.comments.post({ articleId: story.id, parentId: null, text, authorName: 'Pat', email: i < 2 ? EMAIL : 'other@example.org', url: '', token: tokens[i], honeypot: '' }, `192.0.2.${40 + i}`);
    assert.equal(result.kind, 'stored');
    if (result.kind === 'stored' && result.status !== 'approved') await t.services.comments.moderation.move(result.id, 'approve', { kind: 'user', id: 1, role: 'administrator', name: 'Setup' });
  }
});
after(() => t.close());

test('an administrator finds what is stored for an email (audited) and downloads it as JSON (audited)', async () => {
  const page = await admin.get(`/newsroom/comments/privacy?email=${encodeURIComponent(EMAIL.toUpperCase())}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /2 comments, 2 with a stored address/);
  assert.match(page.body, /My first view on the barrier\./);
  assert.doesNotMatch(page.body, /Someone else entirely\./);
  const file = await admin.get(`/newsroom/comments/privacy/export.json?email=${encodeURIComponent(EMAIL)}`);
  assert.equal(file.statusCode, 200);
  assert.match(String(file.headers['content-disposition']), /^attachment; filename="comments-private\.person@example\.org\.json"$/);
  assert.equal(file.headers['cache-control'], 'private, no-store');
  const data = file.json() as { email: string; comments: { authorEmail: string; ip: string; text: string; story: string }[] };
  assert.equal(data.email, EMAIL);
  assert.deepEqual(data.comments.map((c) => [c.authorEmail, c.ip, c.story]), [[EMAIL, '192.0.2.40', story.headline], [EMAIL, '192.0.2.41', story.headline]]);
  const audit = await t.services.audit.recent(20);
  assert.ok(audit.some((e) => e.action === 'comments.lookup' && e.target === `email:${EMAIL}`));
  assert.ok(audit.some((e) => e.action === 'comments.export' && e.target === `email:${EMAIL}`));
});

test('bad addresses get a message, never the newsroom’s own replies', async () => {
  await t.services.comments.moderation.reply((await t.services.comments.moderation.queue({ status: 'approved', limit: 1 }))[0]!.id, 'Thanks for writing.', { kind: 'user', id: 1, role: 'administrator', name: 'Desk' });
  for (const email of ['', '   ', 'not-an-address', `${'a'.repeat(250)}@example.org`]) {
    const res = await admin.get(`/newsroom/comments/privacy/export.json?email=${encodeURIComponent(email)}`);
    assert.equal(res.statusCode, 400, JSON.stringify(email));
    assert.match(res.body, /Enter the commenter’s email address\.|That is not an email address\./);
    assert.doesNotMatch(res.body, /Thanks for writing\./);
  }
  const none = await admin.get('/newsroom/comments/privacy?email=nobody%40example.org');
  assert.match(none.body, /Nothing is stored for this address/);
});

test('erasing needs the confirmation; then the comments leave the story page, audited', async () => {
  const unconfirmed = await admin.post('/newsroom/comments/privacy/erase', { email: EMAIL });
  assert.equal(unconfirmed.statusCode, 400);
  assert.match(unconfirmed.body, /Tick the box to confirm/);
  assert.equal((await t.services.comments.moderation.exportEmail(EMAIL, { kind: 'user', id: 1, role: 'administrator', name: 'Check' })).length, 2, 'nothing erased');
  const erased = await admin.post('/newsroom/comments/privacy/erase', { email: EMAIL, confirm: 'yes' });
  assert.equal(erased.statusCode, 303);
  assert.equal(erased.headers.location, '/newsroom/comments/privacy?erased=2');
  assert.match((await admin.get('/newsroom/comments/privacy?erased=2')).body, /Erased 2 comments and their stored addresses\./);
  const page = (await t.app.inject(`/national/${story.slug}`)).body;
  assert.doesNotMatch(page, /My first view on the barrier\./);
  assert.match(page, /Someone else entirely\./);
  assert.match(page, /2 Comments/, 'the count follows (one reader comment and the newsroom reply)');
  assert.ok((await t.services.audit.recent(10)).some((e) => e.action === 'comments.erase' && e.target === `email:${EMAIL}`));
  const bad = await admin.post('/newsroom/comments/privacy/erase', { email: 'nope', confirm: 'yes' });
  assert.equal(bad.statusCode, 400);
});

test('moderators and editors may not; anonymous visitors are sent to sign in', async () => {
  for (const role of ['moderator', 'editor'] as const) {
    const { browser } = await staff(t, role);
    assert.equal((await browser.get('/newsroom/comments/privacy')).statusCode, 403, role);
    assert.equal((await browser.get(`/newsroom/comments/privacy/export.json?email=${encodeURIComponent(EMAIL)}`)).statusCode, 403, role);
    assert.equal((await browser.post('/newsroom/comments/privacy/erase', { email: 'other@example.org', confirm: 'yes' })).statusCode, 403, role);
    assert.doesNotMatch((await browser.get('/newsroom/comments')).body, /href="\/newsroom\/comments\/privacy"/);
  }
  assert.match((await admin.get('/newsroom/comments')).body, /href="\/newsroom\/comments\/privacy"/);
  const anonymous = await t.app.inject('/newsroom/comments/privacy');
  assert.equal(anonymous.statusCode, 303);
});
