// Readers' reports: "Report" on each approved comment (the cached page is the same for everyone),
// the form without JavaScript and its JSON answer for the script, bad inputs, one report per reader,
// the per-address limit; the newsroom's Reported queue with reasons and counts, dismissing, acting
// (spam settles the reports), the Admin API filter; and who may not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { staff, type Browser } from '../../test/helpers/newsroom.ts';
import type { Article } from '../articles/model.ts';
import { REPORT_LIMITS } from './report-service.ts';

let t: TestApp;
let story: Article;
let moderator: Browser;
let approved: number[] = [];
let ip = 0;

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  story = await t.services.articles.save(storyInput());
  moderator = (await staff(t, 'moderator')).browser;
  const texts = ['The barrier should have come years ago.', 'Buy cheap watches at my shop.', 'Nobody asked the fishermen.', 'Held one'];
  const tokens = await Promise.all(texts.map(() => t.services.comments.comments.formToken(story.id)));
  await sleep(3100);
  const ids: number[] = [];
  for (const [i, text] of texts.entries()) {
    const result = await t.services.comments.comments.post({ articleId: story.id, parentId: null, text, authorName: `Reader ${i}`, email: `r${i}@example.com`, url: '', token: tokens[i], honeypot: '' }, `198.51.100.${i + 1}`);
    assert.equal(result.kind, 'stored');
    if (result.kind === 'stored') ids.push(result.id);
  }
  const { token } = await t.services.tokens.create('cli', { name: 'setup', role: 'moderator' });
  for (const id of ids.slice(0, 3)) await t.app.inject({ method: 'POST', url: `/api/admin/v1/comments/${id}/approve`, headers: { authorization: `Bearer ${token}` } });
  approved = ids;
});
after(() => t.close());

const report = (id: number, fields: Record<string, string>, headers: Record<string, string> = {}, from = `203.0.113.${++ip}`) =>
  t.app.inject({ method: 'POST', url: `/comments/report/${id}`, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from, ...headers }, remoteAddress: from });

test('each approved comment has a Report link; the page stays the same for everyone', async () => {
  const first = await t.app.inject(`/national/${story.slug}`);
  const second = await t.app.inject({ url: `/national/${story.slug}`, remoteAddress: '192.0.2.99' });
  // The alerts box signs its render time; two renders a second apart differ there alone.
  const unstamped = (html: string) => html.replace(/name="started" value="[^"]*"/g, '');
  assert.equal(unstamped(first.body), unstamped(second.body));
  for (const id of approved.slice(0, 3)) assert.match(first.body, new RegExp(`<a class="comment-report-link" href="/comments/report/${id}"`));
  const form = await t.app.inject(`/comments/report/${approved[0]}`);
  assert.equal(form.statusCode, 200);
  assert.equal(form.headers['cache-control'], 'no-store');
  assert.match(form.body, /Why are you reporting this comment\?/);
  assert.match(form.body, /The barrier should have come years ago\./);
});

test('a report without JavaScript thanks the reader; the same reader again changes nothing; JSON for the script', async () => {
  const res = await report(approved[1]!, { reason: 'spam', note: 'An advert' }, {}, '203.0.113.200');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Thank you\. The moderators will look at this comment\./);
  const again = await report(approved[1]!, { reason: 'abuse' }, { accept: 'application/json' }, '203.0.113.200');
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().status, 'already reported');
  const other = await report(approved[1]!, { reason: 'spam' }, { accept: 'application/json' });
  assert.equal(other.statusCode, 201);
  assert.equal(other.json().status, 'reported');
  const reports = await t.services.comments.moderation.reportsOf([approved[1]!]);
  assert.deepEqual(reports.get(approved[1]!), { count: 2, reasons: { spam: 2 }, notes: ['An advert'] });
});

test('bad reports: no reason, an unknown reason, a long note, control characters, a held, unknown or malformed comment, the honeypot', async () => {
  const none = await report(approved[0]!, {});
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Please choose why you are reporting this comment\./);
  assert.equal(none.headers['content-type'], 'text/html; charset=utf-8');
  const weird = await report(approved[0]!, { reason: 'boring' }, { accept: 'application/json' });
  assert.equal(weird.statusCode, 400);
  assert.equal(weird.json().errors[0].field, 'reason');
  const long = await report(approved[0]!, { reason: 'other', note: 'x'.repeat(REPORT_LIMITS.note + 1) }, { accept: 'application/json' });
  assert.equal(long.statusCode, 400);
  assert.match(long.json().errors[0].message, /500 characters/);
  assert.equal((await report(approved[0]!, { reason: 'other', note: 'bell\u0007' }, { accept: 'application/json' })).statusCode, 400);
  assert.equal((await report(approved[3]!, { reason: 'spam' }, { accept: 'application/json' })).statusCode, 404, 'a held comment cannot be reported');
  assert.equal((await report(999999, { reason: 'spam' }, { accept: 'application/json' })).statusCode, 404);
  assert.equal((await t.app.inject(`/comments/report/${approved[3]}`)).statusCode, 404);
  assert.ok([400, 404].includes((await t.app.inject('/comments/report/abc')).statusCode));
  const bot = await report(approved[0]!, { reason: 'spam', fax: 'http://spam.example' }, { accept: 'application/json' });
  assert.equal(bot.statusCode, 201);
  assert.equal((await t.services.comments.moderation.reportsOf([approved[0]!])).get(approved[0]!), undefined, 'nothing stored for a robot');
});

test('a flood of reports from one address gets 429; another reader still reports', async () => {
  const from = '198.18.0.7';
  const codes: number[] = [];
  for (let i = 0; i < REPORT_LIMITS.perMinute + 2; i++) codes.push((await report(approved[2]!, { reason: 'abuse' }, { accept: 'application/json' }, from)).statusCode);
  assert.equal(codes.at(-1), 429);
  assert.equal(codes.filter((c) => c === 429).length, 2);
  assert.equal((await report(approved[2]!, { reason: 'off-topic' }, { accept: 'application/json' }, '198.18.0.8')).statusCode, 201);
});

test('the Reported queue shows reasons and counts; dismissing settles the reports; spam acts on them', async () => {
  const queue = await moderator.get('/newsroom/comments?status=reported');
  assert.equal(queue.statusCode, 200);
  assert.match(queue.body, /Reported \(2\)/);
  assert.match(queue.body, /Reported by 2 readers<\/strong>: Spam or advertising ×2/);
  assert.match(queue.body, /“An advert”/);
  assert.match(queue.body, /Abusive, hateful or harassing ×1, Off topic ×1|Off topic ×1, Abusive, hateful or harassing ×1/);
  assert.doesNotMatch(queue.body, /The barrier should have come years ago\./, 'unreported comments are not in this queue');

  const dismiss = await moderator.post(`/newsroom/comments/${approved[2]}/dismiss-reports`, { back: '/newsroom/comments?status=reported' });
  assert.equal(dismiss.statusCode, 303);
  assert.match(decodeURIComponent(String(dismiss.headers.location)), /reports dismissed/);
  const twice = await moderator.post(`/newsroom/comments/${approved[2]}/dismiss-reports`);
  assert.match(decodeURIComponent(String(twice.headers.location)), /no open reports/);
  assert.match((await t.app.inject(`/national/${story.slug}`)).body, /Nobody asked the fishermen\./, 'dismissing leaves the comment up');

  await moderator.post(`/newsroom/comments/${approved[1]}/spam`);
  const after = await moderator.get('/newsroom/comments?status=reported');
  assert.match(after.body, /No comments here\./);
  const audit = await t.services.audit.recent(20);
  assert.ok(audit.some((e) => e.action === 'comment.dismiss-reports' && e.target === `comment:${approved[2]}`));
});

test('the Admin API filters reported comments, shows the reports, dismisses them; who may not', async () => {
  await report(approved[0]!, { reason: 'misinformation', note: 'The date is wrong' }, { accept: 'application/json' });
  const { token } = await t.services.tokens.create('cli', { name: 'mod bot', role: 'moderator' });
  const auth = { authorization: `Bearer ${token}` };
  const list = await t.app.inject({ url: '/api/admin/v1/comments?reported=true', headers: auth });
  assert.equal(list.statusCode, 200);
  const comments = list.json().comments as { id: number; reports: { count: number; reasons: Record<string, number>; notes: string[] } }[];
  assert.deepEqual(comments.map((c) => c.id), [approved[0]]);
  assert.deepEqual(comments[0]!.reports, { count: 1, reasons: { misinformation: 1 }, notes: ['The date is wrong'] });
  assert.equal((await t.app.inject({ url: '/api/admin/v1/comments?reported=maybe', headers: auth })).statusCode, 400);
  const dismissed = await t.app.inject({ method: 'POST', url: `/api/admin/v1/comments/${approved[0]}/dismiss-reports`, headers: auth });
  assert.equal(dismissed.statusCode, 200);
  assert.equal(dismissed.json().comment.reports.count, 0);
  assert.equal((await t.app.inject({ method: 'POST', url: `/api/admin/v1/comments/${approved[0]}/dismiss-reports`, headers: auth })).statusCode, 409);
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/admin/v1/comments/999999/dismiss-reports', headers: auth })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'POST', url: `/api/admin/v1/comments/${approved[0]}/dismiss-reports` })).statusCode, 401);
  for (const role of ['author', 'contributor'] as const) {
    const { token: other } = await t.services.tokens.create('cli', { name: `${role} bot`, role });
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/admin/v1/comments/${approved[0]}/dismiss-reports`, headers: { authorization: `Bearer ${other}` } })).statusCode, 403, role);
    const { browser } = await staff(t, role);
    assert.equal((await browser.post(`/newsroom/comments/${approved[0]}/dismiss-reports`)).statusCode, 403, role);
  }
});
