// Following a topic for alerts, against a real SMTP server and a real push service that decrypts:
// the "Follow <topic>" box on the cached topic page, a new reader's double opt-in, a subscribed
// reader's addition mail (nothing changes until they press Save), an editor's alert to the story's
// topic followers, and every refusal (a topic that does not exist, too many, a forged addition).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { staff } from '../../test/helpers/newsroom.ts';
import { startPushService, type TestPushService } from '../../test/helpers/push-service.ts';
import { startSmtpSink, type SmtpSink } from '../../test/helpers/smtp-sink.ts';
import { MAX_TOPICS } from './audience.ts';

let t: TestApp;
let smtp: SmtpSink;
let push: TestPushService;
let now = new Date('2026-12-03T08:00:00Z');
let ip = 0;
let storyId: number;

before(async () => {
  [smtp, push] = await Promise.all([startSmtpSink(), startPushService()]);
  t = await buildTestApp({ SMTP_URL: smtp.url, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'on', PUSH_CA_FILE: push.caFile, VAPID_SUBJECT: 'mailto:desk@news.test' }, { clock: { now: () => now } });
  await seedBasics(t.services);
  storyId = (await t.services.articles.save(storyInput({ headline: 'River breaks its banks downtown', topicNames: ['Flooding', 'Harbour Authority'] }))).id;
  await t.services.articles.save(storyInput({ headline: 'Election date is set', sectionSlug: 'world', topicNames: ['Elections'] }));
  // The saves' follow-up jobs (related lists) and their purges reach the page cache through the
  // change feed: let them land first.
  for (let round = 0; round < 20 && (await t.jobs.runDue()).length > 0; round++);
  await new Promise((resolve) => setTimeout(resolve, 300));
});
after(async () => {
  await t.close();
  await Promise.all([smtp.close(), push.close()]);
});

/** Posts the form of `page` (its signed start time) as a browser would, from its own address. */
async function postForm(page: string, fields: Record<string, string | string[]>) {
  const drawn = await t.app.inject(page);
  const started = /name="started" value="([^"]+)"/.exec(drawn.body)![1]!;
  now = new Date(now.getTime() + 5000);
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries({ started, website: '', ...fields })) for (const v of [value].flat()) body.append(key, v);
  return t.app.inject({ method: 'POST', url: '/alerts', payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: `10.2.0.${++ip}` });
}

const linkIn = (mail: ParsedMail, path: string) => new RegExp(`http://news\\.test(${path}\\?token=[^\\s"<]+)`).exec(mail.text!)![1]!;
const to = (mail: ParsedMail) => (mail.to && 'text' in mail.to ? mail.to.text : '');

/** Signs up and confirms; answers the reader's preferences link (its token is the unsubscribe link's). */
async function confirmed(email: string, sections: string[]): Promise<string> {
  const before = smtp.mails.length;
  assert.equal((await postForm('/alerts', { email, sections })).statusCode, 200);
  const mail = (await smtp.waitFor(before + 1))[before]!;
  assert.equal((await t.app.inject({ method: 'POST', url: linkIn(mail, '/alerts/confirm') })).statusCode, 200);
  const unsubscribe = mail.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
  return /(\/alerts\/unsubscribe\?token=[^>]+)>/.exec(unsubscribe)![1]!.replace('/alerts/unsubscribe', '/alerts/manage');
}

test('the topic page offers "Follow <topic>" with the topic ticked; the page stays cached, the same for everyone', async () => {
  const page = await t.app.inject('/topic/flooding');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h2 id="topic-alerts-heading">Follow Flooding<\/h2>/);
  assert.match(page.body, /<input type="checkbox" name="sections" value="topic:flooding" checked(="")?\/?> ?Flooding/);
  assert.match(page.body, /<form method="post" action="\/alerts">/);
  assert.match(page.body, /name="website"/, 'the honeypot is there');
  assert.match(page.body, /data-alerts-push="button"/, 'the push button’s place');
  const again = await t.app.inject('/topic/flooding');
  assert.equal(again.headers['x-cache'], 'HIT', JSON.stringify(again.headers));
});

test('a new reader follows a topic: double opt-in names it; an alert to its followers reaches them, not other sections’ readers', async () => {
  await confirmed('world-reader@example.org', ['world']);
  await confirmed('national-reader@example.org', ['national']);
  const before = smtp.mails.length;
  const signed = await postForm('/topic/flooding', { email: 'follower@example.org', sections: 'topic:flooding' });
  assert.equal(signed.statusCode, 200);
  assert.match(signed.body, /Check your inbox/);
  const mail = (await smtp.waitFor(before + 1))[before]!;
  assert.match(mail.text!, /send Flooding news alerts to follower@example\.org/);
  const confirm = linkIn(mail, '/alerts/confirm');
  assert.match((await t.app.inject(confirm)).body, /Breaking news alerts about Flooding news for follower@example\.org/);
  assert.equal((await t.services.alerts.audienceCount(['topic:flooding'])).email, 0, 'nothing before the confirmation');
  await t.app.inject({ method: 'POST', url: confirm });
  assert.equal((await t.services.alerts.audienceCount(['topic:flooding'])).email, 1);
  assert.equal((await t.services.alerts.audienceCount(['world'])).email, 1, 'the follower is not a World reader');

  // The editor's "Send alert" on the story offers its section and its topics, all ticked.
  const editor = await staff(t, 'editor');
  const form = await editor.browser.get(`/newsroom/alerts/new?article=${storyId}`);
  assert.match(form.body, /value="topic:flooding" checked(="")?\/?> ?Followers of Flooding/);
  assert.match(form.body, /value="topic:harbour-authority" checked(="")?\/?> ?Followers of Harbour Authority/);
  assert.match(form.body, /value="national" checked/);
  const review = await editor.browser.post('/newsroom/alerts/review', { title: 'Downtown flooded', text: 'The river broke its banks.', articleId: String(storyId), sections: 'topic:flooding' });
  assert.equal(review.statusCode, 200, review.body);
  assert.match(review.body, /Followers of Flooding:/);
  assert.match(review.body, /1 subscriber by email/);

  const sent = await t.services.alerts.send(await t.services.alerts.check({ title: 'Downtown flooded', text: 'The river broke its banks.', articleId: storyId, sections: ['national', 'topic:flooding'] }), { by: 'cli' });
  const count = smtp.mails.length;
  await t.jobs.runDue();
  const delivered = (await smtp.waitFor(count + 2)).slice(count);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(smtp.mails.slice(count).map(to).sort(), ['follower@example.org', 'national-reader@example.org']);
  assert.ok(delivered.every((m) => m.subject === 'Breaking: Downtown flooded'));
  assert.deepEqual((await t.services.alerts.progress(sent.alert.id)).channels.email.sent, 2);
});

test('a browser follows a topic by push: the subscription holds the topic key and the alert to its followers decrypts there', async () => {
  const browser = push.subscribe();
  const res = await t.app.inject({ method: 'POST', url: '/alerts/push/subscription', payload: JSON.stringify({ subscription: browser, sections: ['topic:elections'] }), headers: { 'content-type': 'application/json' }, remoteAddress: '10.2.9.1' });
  assert.equal(res.statusCode, 201, res.body);
  assert.match(res.json().description, /Notifications about Elections news are on/);
  const refused = await t.app.inject({ method: 'POST', url: '/alerts/push/subscription', payload: JSON.stringify({ subscription: push.subscribe(), sections: ['topic:no-such-topic'] }), headers: { 'content-type': 'application/json' }, remoteAddress: '10.2.9.2' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /no longer exists/);

  const start = push.received.length;
  const { alert } = await t.services.alerts.send(await t.services.alerts.check({ title: 'Vote moved', text: 'The election is a week later.', url: '/world', sections: ['topic:elections'] }), { by: 'cli' });
  await t.jobs.runDue();
  const got = (await push.waitFor(start + 1)).slice(start);
  assert.deepEqual(got.map((p) => p.id), [browser.id]);
  assert.equal((got[0]!.payload as { tag: string }).tag, `alert-${alert.id}`);
});

test('a subscribed reader follows a topic: one mail with a link where it is ticked; nothing changes until they press Save', async () => {
  await confirmed('already@example.org', ['world']);
  // One mail a day to an address: the confirmation was today's.
  now = new Date(now.getTime() + 25 * 3600_000);
  const before = smtp.mails.length;
  assert.equal((await postForm('/topic/flooding', { email: 'already@example.org', sections: 'topic:flooding' })).statusCode, 200);
  const mail = (await smtp.waitFor(before + 1))[before]!;
  assert.equal(mail.subject, 'Add Flooding news to your alerts from Test Gazette');
  assert.match(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')!.line, /List-Unsubscribe=One-Click/);
  const link = /http:\/\/news\.test(\/alerts\/manage\?token=[^\s"<]+)/.exec(mail.text!)![1]!;
  assert.match(link, /&add=topic%3Aflooding$/);
  const followers = (await t.services.alerts.audienceCount(['topic:flooding'])).email;

  const shown = await t.app.inject(link);
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /Ticked for you: Flooding\. Press Save to add\./);
  assert.match(shown.body, /value="topic:flooding" checked/);
  assert.equal((await t.services.alerts.audienceCount(['topic:flooding'])).email, followers, 'a GET (a mail scanner) adds nothing');

  const action = /<form method="post" action="(\/alerts\/manage\?token=[^"]+)"/.exec(shown.body)![1]!.replaceAll('&amp;', '&');
  const save = (sections: string[]) =>
    t.app.inject({ method: 'POST', url: action, payload: new URLSearchParams(sections.map((s) => ['sections', s])).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const saved = await save(['world', 'topic:flooding']);
  assert.equal(saved.statusCode, 200);
  assert.match(saved.body, /Topics you follow/);
  assert.equal((await t.services.alerts.audienceCount(['topic:flooding'])).email, followers + 1);
  assert.equal((await t.services.alerts.audienceCount(['world'])).email, 2, 'still a World reader');

  // Asking again within a day mails nothing more (one such mail per address a day).
  const after = smtp.mails.length;
  assert.equal((await postForm('/topic/elections', { email: 'already@example.org', sections: 'topic:elections' })).statusCode, 200);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(smtp.mails.length, after);

  // Unticking the topic stops it.
  await save(['world']);
  assert.equal((await t.services.alerts.audienceCount(['topic:flooding'])).email, followers);
});

test('a reader of all breaking news who follows a topic gets no mail: every alert reaches them already', async () => {
  await confirmed('everything@example.org', ['*']);
  now = new Date(now.getTime() + 25 * 3600_000);
  const before = smtp.mails.length;
  assert.equal((await postForm('/topic/flooding', { email: 'everything@example.org', sections: 'topic:flooding' })).statusCode, 200);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(smtp.mails.length, before);
});

test('bad input: a topic that does not exist, an empty key, too many topics, a forged addition link; nothing stored or sent', async () => {
  const sent = smtp.mails.length;
  const cases: [string | string[], RegExp][] = [
    ['topic:no-such-topic', /One of the topics chosen no longer exists/],
    ['topic:', /One of the topics chosen no longer exists/],
    [Array.from({ length: MAX_TOPICS + 1 }, (_, i) => `topic:t${i}`), /Choose from the sections and topics listed/],
  ];
  for (const [sections, message] of cases) {
    const res = await postForm('/topic/flooding', { email: 'someone-new@example.org', sections });
    assert.equal(res.statusCode, 400, String(sections).slice(0, 40));
    assert.match(res.body, message);
  }
  // A form sent back for another field keeps the topic ticked.
  const back = await postForm('/topic/flooding', { email: 'not-an-address', sections: 'topic:flooding' });
  assert.equal(back.statusCode, 400);
  assert.match(back.body, /value="topic:flooding" checked(="")?\/?> ?Flooding/);
  assert.doesNotMatch(back.body, /value="\*" checked/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(smtp.mails.length, sent);

  // An alert to a topic that does not exist is refused at its field, in the form and the Admin API.
  await assert.rejects(t.services.alerts.check({ title: 'x', text: 'y', url: '/national', sections: ['topic:no-such-topic'] }), (error: { details?: { field: string }[] }) => error.details?.[0]?.field === 'sections');
  const token = (await t.services.tokens.create('cli', { name: 'topic bot', role: 'editor' })).token;
  const api = await t.app.inject({ method: 'POST', url: '/api/admin/v1/alerts', payload: { title: 'x', text: 'y', url: '/national', sections: ['topic:no-such-topic'] }, headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.statusCode, 400);
  assert.match(api.json().errors[0].message, /no longer exists/);

  // A preferences link with additions that do not exist, or that are not keys at all, ticks nothing.
  const manage = await confirmed('careful@example.org', ['national']);
  const page = await t.app.inject(`${manage}&add=topic%3Ano-such-topic&add=%3Cscript%3E&add=world`);
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /no-such-topic|<script>alert|&lt;script/);
  assert.match(page.body, /Ticked for you: World\./);
  assert.equal((await t.app.inject(`/alerts/manage?token=forged&add=topic%3Aflooding`)).statusCode, 403);
});
