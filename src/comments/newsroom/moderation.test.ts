// The newsroom's Comments screens and the Admin API: the queue in context with reasons and the
// commenter's details, the moves one by one and in bulk, newsroom replies, audited edits, a story
// opened and closed, the settings; and who may not (anonymous, contributors, authors).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../../test/helpers/fixtures.ts';
import { staff, type Browser } from '../../../test/helpers/newsroom.ts';
import type { Article } from '../../articles/model.ts';

let t: TestApp;
let story: Article;
let moderator: Browser;
let ip = 0;

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  story = await t.services.articles.save(storyInput());
  moderator = (await staff(t, 'moderator')).browser;
});
after(() => t.close());

/** Reader comments as the form stores them (tokens issued, then used past their minimum age). */
async function readerComments(texts: string[], email = 'reader@example.com'): Promise<number[]> {
  const tokens = await Promise.all(texts.map(() => t.services.comments.comments.formToken(story.id)));
  await sleep(3100);
  const ids: number[] = [];
  for (const [i, text] of texts.entries()) {
    const result = await t.services.comments.comments.post({ articleId: story.id, parentId: null, text, authorName: 'Reader Ray', email: `${i}-${email}`, url: '', token: tokens[i], honeypot: '' }, `198.51.100.${++ip}`);
    assert.equal(result.kind, 'stored');
    if (result.kind === 'stored') ids.push(result.id);
  }
  return ids;
}

test('the queue shows held comments in context, with their reasons and the commenter’s email; the nav counts them', async () => {
  const [id] = await readerComments(['Is the barrier funded yet?']);
  const page = await moderator.get('/newsroom/comments');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Is the barrier funded yet\?/);
  assert.match(page.body, /Why: first comment/);
  assert.match(page.body, /0-reader@example\.com/);
  assert.match(page.body, new RegExp(story.headline));
  assert.match(page.body, /Comments<span class="badge"> 1<span class="visually-hidden"> awaiting moderation/);
  const approve = await moderator.post(`/newsroom/comments/${id}/approve`, { back: '/newsroom/comments?status=pending' });
  assert.equal(approve.statusCode, 303);
  assert.match(String(approve.headers.location), /notice=Comment%20\d+%3A%20approved/);
  assert.match((await t.app.inject(`/national/${story.slug}`)).body, /Is the barrier funded yet\?/);
  const again = await moderator.post(`/newsroom/comments/${id}/approve`);
  assert.match(decodeURIComponent(String(again.headers.location)), /already approved/);
});

test('bulk actions, restore, a newsroom reply and an audited edit', async () => {
  const ids = await readerComments(['Spam one', 'Spam two', 'Keep me'], 'bulk@example.com');
  const res = await moderator.post('/newsroom/comments/bulk', { ids: String(ids[0]), action: 'spam' });
  assert.equal(res.statusCode, 303);
  const body = new URLSearchParams({ _csrf: moderator.csrf, action: 'spam' });
  body.append('ids', String(ids[0]));
  body.append('ids', String(ids[1]));
  const bulk = await t.app.inject({ method: 'POST', url: '/newsroom/comments/bulk', headers: { cookie: [...moderator.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  assert.match(decodeURIComponent(String(bulk.headers.location)), /1 of 2 comments: marked as spam/);
  const spam = await t.services.comments.moderation.queue({ status: 'spam', limit: 10 });
  assert.deepEqual(spam.map((c) => c.id).sort(), [ids[0], ids[1]].sort());
  await moderator.post(`/newsroom/comments/${ids[1]}/restore`);
  assert.equal((await t.services.comments.moderation.get(ids[1]!)).status, 'pending');
  await moderator.post(`/newsroom/comments/${ids[2]}/approve`);
  const reply = await moderator.post(`/newsroom/comments/${ids[2]}/reply`, { [`reply-${ids[2]}`]: 'Thanks, we are looking into it.' });
  assert.match(decodeURIComponent(String(reply.headers.location)), /Replied/);
  const page = (await t.app.inject(`/national/${story.slug}`)).body;
  assert.match(page, /Thanks, we are looking into it\./);
  assert.match(page, /\(newsroom\)/);
  const edit = await moderator.post(`/newsroom/comments/${ids[2]}/edit`, { body: 'Keep me (edited)', authorName: 'Reader Ray', authorUrl: '' });
  assert.equal(edit.statusCode, 303);
  const bad = await moderator.post(`/newsroom/comments/${ids[2]}/edit`, { body: '', authorName: 'Reader Ray', authorUrl: 'javascript:x' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /cannot be empty/);
  const audit = await t.services.audit.recent(20);
  assert.ok(audit.some((e) => e.action === 'comment.edit' && e.target === `comment:${ids[2]}`));
});

test('settings: saved for every story, bad numbers refused with nothing saved', async () => {
  const bad = await moderator.post('/newsroom/comments/settings', { depthLimit: '0', autoCloseDays: '0', holdLinks: '2', ipRetentionDays: '30', digestMinutes: '15', moderationWords: '', blocklist: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /reply depth must be a whole number from 1 to 10/);
  const ok = await moderator.post('/newsroom/comments/settings', { depthLimit: '3', autoCloseDays: '0', holdLinks: '2', ipRetentionDays: '30', digestMinutes: '15', moderationWords: 'idiot', blocklist: 'casino\n192.0.2.5' });
  assert.equal(ok.statusCode, 303);
  const settings = await t.services.comments.comments.settings();
  assert.equal(settings.depthLimit, 3);
  assert.deepEqual(settings.blocklist, ['casino', '192.0.2.5']);
});

test('a story’s comments closed and opened again from the queue', async () => {
  await moderator.get(`/newsroom/comments?article=${story.id}`);
  await moderator.post(`/newsroom/comments/stories/${story.id}/open`, { open: 'no' });
  assert.match((await t.app.inject(`/national/${story.slug}`)).body, /Comments are closed\./);
  await moderator.post(`/newsroom/comments/stories/${story.id}/open`, { open: 'yes' });
  assert.match((await t.app.inject(`/national/${story.slug}`)).body, /id="commentform"/);
  assert.equal((await moderator.post('/newsroom/comments/stories/999999/open', { open: 'no' })).statusCode, 404);
});

test('the Admin API: list by status and story, the moves (409 twice), edits, open/closed; bad input', async () => {
  const { token } = await t.services.tokens.create('cli', { name: 'moderation bot', role: 'moderator' });
  const auth = { authorization: `Bearer ${token}` };
  const [id] = await readerComments(['An API comment'], 'api@example.com');
  const list = await t.app.inject({ url: `/api/admin/v1/comments?status=pending&article=${story.id}`, headers: auth });
  assert.equal(list.statusCode, 200);
  const found = (list.json() as { comments: { id: number; reasons: string[]; authorEmail: string }[] }).comments.find((c) => c.id === id);
  assert.ok(found);
  assert.deepEqual(found.reasons, ['first comment']);
  const approve = await t.app.inject({ method: 'POST', url: `/api/admin/v1/comments/${id}/approve`, headers: auth });
  assert.equal(approve.statusCode, 200);
  assert.equal((approve.json() as { comment: { status: string } }).comment.status, 'approved');
  const twice = await t.app.inject({ method: 'POST', url: `/api/admin/v1/comments/${id}/approve`, headers: auth });
  assert.equal(twice.statusCode, 409);
  assert.equal((twice.json() as { errors: { code: string }[] }).errors[0]!.code, 'conflict');
  const patch = await t.app.inject({ method: 'PATCH', url: `/api/admin/v1/comments/${id}`, headers: auth, payload: { body: 'Edited by the API' } });
  assert.equal(patch.statusCode, 200);
  assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/admin/v1/comments/${id}`, headers: auth, payload: { colour: 'red' } })).statusCode, 400);
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/v1/comments/999999/spam', headers: auth })).statusCode, 404);
  assert.equal((await t.app.inject({ url: '/api/admin/v1/comments?status=weird', headers: auth })).statusCode, 400);
  const close = await t.app.inject({ method: 'PUT', url: `/api/admin/v1/comments/stories/${story.id}`, headers: auth, payload: { open: false } });
  assert.equal(close.statusCode, 200);
  assert.equal(await t.services.comments.comments.isOpen(story), false);
  await t.app.inject({ method: 'PUT', url: `/api/admin/v1/comments/stories/${story.id}`, headers: auth, payload: { open: true } });
  const spec = await t.app.inject('/api/docs/json');
  assert.equal(spec.statusCode, 200);
  for (const path of ['/api/admin/v1/comments', '/api/admin/v1/comments/{id}/approve', '/api/admin/v1/comments/{id}/restore', '/api/admin/v1/comments/{id}', '/api/admin/v1/comments/stories/{id}']) {
    assert.ok(Object.hasOwn((spec.json() as { paths: Record<string, unknown> }).paths, path), path);
  }
});

test('who may not: anonymous, contributors and authors reach neither the queue nor its API; a moderator cannot publish', async () => {
  assert.match(String((await t.app.inject('/newsroom/comments')).headers.location), /^\/newsroom\/sign-in/);
  assert.equal((await t.app.inject('/api/admin/v1/comments')).statusCode, 401);
  for (const role of ['contributor', 'author'] as const) {
    const { browser } = await staff(t, role);
    assert.equal((await browser.get('/newsroom/comments')).statusCode, 403, role);
    assert.equal((await browser.post('/newsroom/comments/1/approve')).statusCode, 403, role);
    const { token } = await t.services.tokens.create('cli', { name: `${role} bot`, role });
    assert.equal((await t.app.inject({ url: '/api/admin/v1/comments', headers: { authorization: `Bearer ${token}` } })).statusCode, 403, role);
    assert.doesNotMatch((await browser.get('/newsroom')).body, /href="\/newsroom\/comments"/, `${role} has no Comments entry`);
  }
  const { token } = await t.services.tokens.create('cli', { name: 'moderator bot', role: 'moderator' });
  const publish = await t.app.inject({ method: 'POST', url: `/api/admin/v1/articles/${story.id}/unpublish`, headers: { authorization: `Bearer ${token}` }, payload: {} });
  assert.equal(publish.statusCode, 403);
});

test('privacy: administrators export and erase one email’s comments (audited); others may not; addresses expire', async () => {
  const [id] = await readerComments(['Please forget me later.'], 'gdpr@example.com');
  const email = '0-gdpr@example.com';
  const admin = (await t.services.tokens.create('cli', { name: 'admin bot', role: 'administrator' })).token;
  const editor = (await t.services.tokens.create('cli', { name: 'editor bot', role: 'editor' })).token;
  const url = `/api/admin/v1/comments/privacy?email=${encodeURIComponent(email)}`;
  assert.equal((await t.app.inject({ url, headers: { authorization: `Bearer ${editor}` } })).statusCode, 403);
  const exported = await t.app.inject({ url, headers: { authorization: `Bearer ${admin}` } });
  assert.equal(exported.statusCode, 200);
  const body = exported.json() as { comments: { id: number; ip: string | null }[] };
  assert.deepEqual(body.comments.map((c) => c.id), [id]);
  assert.match(body.comments[0]!.ip ?? '', /^198\.51\.100\./);
  assert.equal((await t.app.inject({ url: '/api/admin/v1/comments/privacy?email=nope', headers: { authorization: `Bearer ${admin}` } })).statusCode, 400);
  const erased = await t.app.inject({ method: 'DELETE', url, headers: { authorization: `Bearer ${admin}` } });
  assert.deepEqual(erased.json(), { erased: 1 });
  assert.equal((await t.services.comments.moderation.queue({ limit: 500 })).some((c) => c.id === id), false);
  const audit = await t.services.audit.recent(50);
  assert.ok(audit.some((e) => e.action === 'comments.export' && e.target === `email:${email}`));
  assert.ok(audit.some((e) => e.action === 'comments.erase' && e.target === `email:${email}`));
  // Addresses are dropped after the retention period (30 days by default).
  const [kept] = await readerComments(['An address to forget.'], 'old@example.com');
  const { CommentRepository } = await import('../comment-repository.ts');
  assert.equal(await new CommentRepository(t.database.db).forgetAddresses(new Date(Date.now() - 29 * 86400_000).toISOString()), 0);
  assert.ok((await t.services.comments.moderation.get(kept!)).ip);
  assert.ok((await new CommentRepository(t.database.db).forgetAddresses(new Date(Date.now() + 1000).toISOString())) >= 1);
  assert.equal((await t.services.comments.moderation.get(kept!)).ip, null);
});

test('an editor features a comment ("Editor’s pick", shown first); a moderator may not', async () => {
  const [id] = await readerComments(['A comment worth featuring.'], 'pick@example.com');
  await moderator.post(`/newsroom/comments/${id}/approve`);
  const { browser: editor } = await staff(t, 'editor');
  await editor.get('/newsroom/comments?status=approved');
  assert.equal((await moderator.post(`/newsroom/comments/${id}/pick`, { picked: 'yes' })).statusCode, 403);
  const res = await editor.post(`/newsroom/comments/${id}/pick`, { picked: 'yes' });
  assert.match(decodeURIComponent(String(res.headers.location)), /an editor’s pick/);
  const page = (await t.app.inject(`/national/${story.slug}`)).body;
  const picks = page.indexOf('Editor’s picks');
  assert.ok(picks > 0 && picks < page.indexOf('class="comment-list"'), 'picks come before the thread');
  assert.match(page.slice(picks, picks + 600), /A comment worth featuring\./);
  await editor.post(`/newsroom/comments/${id}/pick`, { picked: 'no' });
  assert.doesNotMatch((await t.app.inject(`/national/${story.slug}`)).body, /Editor’s picks/);
});
