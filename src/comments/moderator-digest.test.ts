// Moderators are mailed about held comments in batches, through the platform's mailer against a
// real SMTP server: one digest per moderator (staff who may moderate, not deactivated) at most every
// N minutes (the setting; 0 turns it off), listing the new held comments with links to the queue
// and never the commenter's email.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../test/helpers/smtp-sink.ts';
import { staff } from '../../test/helpers/newsroom.ts';
import type { Article } from '../articles/model.ts';
import { MODERATOR_DIGEST } from './moderator-digest.ts';

let smtp: SmtpSink;
let t: TestApp;
let now = new Date('2026-12-02T09:00:00Z');
let story: Article;
const people: Record<string, string> = {};
let n = 0;

before(async () => {
  smtp = await startSmtpSink();
  t = await buildTestApp({ SMTP_URL: smtp.url }, { clock: { now: () => now } });
  await seedBasics(t.services);
  story = await t.services.articles.save(storyInput());
  for (const role of ['moderator', 'editor', 'author', 'contributor'] as const) people[role] = (await staff(t, role)).email;
  const gone = await staff(t, 'moderator');
  people.gone = gone.email;
  const admin = await staff(t, 'administrator');
  people.administrator = admin.email;
  await t.services.accounts.deactivate({ kind: 'user', id: admin.id, role: 'administrator', name: 'Admin' }, gone.id);
});
after(async () => {
  await t.close();
  await smtp.close();
});

const digests = () => smtp.mails.filter((m) => /await(s)? moderation/.test(m.subject ?? ''));
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;

/** A first-time commenter's comment (held), posted as the form would. */
async function held(text: string): Promise<number> {
  const token = await t.services.comments.comments.formToken(story.id);
  now = new Date(now.getTime() + 4000);
  const result = await t.services.comments.comments.post({ articleId: story.id, parentId: null, text, authorName: `Reader ${++n}`, email: `secret-reader-${n}@example.com`, url: '', token, honeypot: '' }, `198.51.100.${n}`);
  assert.ok(result.kind === 'stored' && result.status === 'pending');
  return result.id;
}

test('held comments reach every moderator in one digest, with links to the queue and no commenter email', async () => {
  const first = await held('Is the flood barrier funded yet?');
  await held('Who pays for the <b>maintenance</b>?');
  await t.jobs.runDue();
  const mails = await smtp.waitFor(smtp.mails.length).then(digests);
  assert.deepEqual(mails.map(to).sort(), [people.administrator, people.editor, people.moderator].sort(), 'moderators, editors and administrators; not authors, contributors or the deactivated');
  const mail = mails[0]!;
  assert.equal(mail.subject, '2 comments await moderation on Test Gazette');
  assert.match(mail.text!, /Reader 1 on “Council approves new flood barrier” \(first comment\):/);
  assert.match(mail.text!, /Is the flood barrier funded yet\?/);
  assert.match(mail.text!, new RegExp(`http://news\\.test/newsroom/comments\\?status=pending&article=${story.id}#queue-${first}`));
  assert.match(String(mail.html), /Who pays for the &lt;b&gt;maintenance&lt;\/b&gt;\?/, 'the reader’s text is escaped in the HTML part');
  assert.match(String(mail.html), /href="http:\/\/news\.test\/newsroom\/comments\?status=pending"/);
  for (const m of mails) assert.doesNotMatch(`${m.text}${m.html}${m.headerLines.map((h) => h.line).join('')}`, /secret-reader/);
});

test('at most one digest every N minutes: later comments wait for the next one', async () => {
  const before = digests().length;
  await held('A third question about the barrier.');
  await t.jobs.runDue();
  assert.equal(digests().length, before, 'nothing within 15 minutes of the last digest');
  const queued = (await t.jobs.list(MODERATOR_DIGEST.kind)).filter((j) => j.status === 'pending');
  assert.equal(queued.length, 1);
  assert.equal(queued[0]!.runAt, new Date(new Date('2026-12-02T09:00:08Z').getTime() + 15 * 60_000).toISOString());
  await held('And a fourth.');
  assert.equal((await t.jobs.list(MODERATOR_DIGEST.kind)).filter((j) => j.status === 'pending').length, 1, 'one pending digest however many comments');
  now = new Date(now.getTime() + 15 * 60_000);
  await t.jobs.runDue();
  const next = (await smtp.waitFor(smtp.mails.length)).filter((m) => /await(s)? moderation/.test(m.subject ?? '')).slice(before);
  assert.equal(next.length, 3);
  assert.equal(next[0]!.subject, '4 comments await moderation on Test Gazette');
  assert.match(next[0]!.text!, /2 new comments are waiting/);
  assert.doesNotMatch(next[0]!.text!, /Is the flood barrier funded yet\?/, 'only what is new since the last digest');
  assert.match(next[0]!.text!, /And a fourth\./);
});

test('the interval is a setting (0: no digests), checked', async () => {
  const { browser } = await staff(t, 'moderator');
  const settings = { depthLimit: '5', autoCloseDays: '0', holdLinks: '2', ipRetentionDays: '30', moderationWords: '', blocklist: '' };
  const bad = await browser.post('/newsroom/comments/settings', { ...settings, digestMinutes: '-5' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /The digest interval must be a whole number from 0 to 1440\./);
  assert.equal((await browser.post('/newsroom/comments/settings', { ...settings, digestMinutes: '0' })).statusCode, 303);
  now = new Date(now.getTime() + 60 * 60_000);
  const before = digests().length;
  await held('Nobody should be mailed about this one.');
  assert.equal((await t.jobs.list(MODERATOR_DIGEST.kind)).filter((j) => j.status === 'pending').length, 0);
  await t.jobs.runDue();
  assert.equal(digests().length, before);
});
