// Breaking-news alerts by web push, against real HTTPS push services on 127.0.0.1 that check every
// VAPID token and decrypt every payload with the subscription's own private key: the service
// worker and key routes, the subscription API and its refusals, the fan-out beside email, push
// services that say gone (404/410), busy (429 with Retry-After, 500) or answer too slowly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { staff } from '../../test/helpers/newsroom.ts';
import { startPushService, type TestPushService, type TestSubscription } from '../../test/helpers/push-service.ts';
import { startSmtpSink, type SmtpSink } from '../../test/helpers/smtp-sink.ts';
import { PUSH_CHANGES_PER_CLIENT_HOUR } from './push/push-subscription-service.ts';

let t: TestApp;
let smtp: SmtpSink;
/** A well-behaved push service, and a second one (another origin) told to misbehave. */
let good: TestPushService;
let bad: TestPushService;
let now = new Date('2026-12-02T08:00:00Z');
let ip = 0;

before(async () => {
  [smtp, good, bad] = await Promise.all([startSmtpSink(), startPushService(), startPushService()]);
  t = await buildTestApp(
    { SMTP_URL: smtp.url, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'on', PUSH_CA_FILE: good.caFile, PUSH_TIMEOUT_SECONDS: '1', VAPID_SUBJECT: 'mailto:desk@news.test' },
    { clock: { now: () => now } },
  );
  await seedBasics(t.services);
});
after(async () => {
  await t.close();
  await Promise.all([smtp.close(), good.close(), bad.close()]);
});

const post = (url: string, payload: unknown, from = `10.1.0.${++ip}`, contentType = 'application/json') =>
  t.app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': contentType }, remoteAddress: from });

async function subscribe(subscription: TestSubscription, sections: string[] = ['*']) {
  const res = await post('/alerts/push/subscription', { subscription, sections });
  assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
  return res;
}

async function sendAlert(title: string, sections: string[] | '*' = '*', url = '/national') {
  const { alert } = await t.services.alerts.send(await t.services.alerts.check({ title, text: `${title}: what happened.`, url, sections }), { by: 'cli' });
  return alert;
}

test('the VAPID public key is made once, kept in the database and served cacheable; /sw.js is the worker', async () => {
  const first = await t.app.inject('/alerts/push/key');
  assert.equal(first.statusCode, 200);
  assert.match(String(first.headers['cache-control']), /public, max-age=86400/);
  const key = Buffer.from(first.json().publicKey, 'base64url');
  assert.equal(key.length, 65);
  assert.equal(key[0], 4);
  assert.equal((await t.services.vapidKeys()).publicKey, first.json().publicKey);

  const worker = await t.app.inject('/sw.js');
  assert.equal(worker.statusCode, 200);
  assert.match(String(worker.headers['content-type']), /^text\/javascript/);
  assert.equal(worker.headers['cache-control'], 'no-cache');
  assert.match(String(worker.headers['content-security-policy']), /script-src 'self'/);
  for (const part of ['showNotification', 'notificationclick', 'openWindow', 'pushsubscriptionchange']) assert.ok(worker.body.includes(part), part);
  assert.doesNotMatch(worker.body, /^\s*(import|export)\b/m, 'a classic worker script: no module syntax');

  const page = await t.app.inject('/alerts');
  assert.match(page.body, /<div class="alerts-push" data-alerts-push="button" hidden(="")?><\/div>/, 'the button’s place, hidden until the script fills it');
  // The reader pages' one alerts script (the banner's) fills the button.
  const script = /<script type="module" src="(\/assets\/breaking-banner-[\w-]{12}\.js)">/.exec(page.body);
  assert.ok(script, 'the island is loaded');
  assert.equal((await t.app.inject(script[1]!)).statusCode, 200);
});

test('subscribing: one row per endpoint (again replaces), a renewed subscription replaces the old, status and unsubscribe by endpoint', async () => {
  const before = await t.services.push.count();
  const browser = good.subscribe();
  const made = await subscribe(browser, ['national', 'world']);
  assert.equal(made.statusCode, 201);
  assert.deepEqual(made.json().sections, ['national', 'world']);
  assert.match(made.json().description, /National and World news are on in this browser/);
  assert.equal(made.headers['cache-control'], 'private, no-store');
  const again = await subscribe(browser, ['world']);
  assert.equal(again.statusCode, 200, 'the same endpoint again is the same row');
  assert.equal(await t.services.push.count(), before + 1);
  assert.deepEqual((await post('/alerts/push/subscription/status', { endpoint: browser.endpoint })).json(), { subscribed: true, sections: ['world'], description: 'Notifications about World news are on in this browser.' });

  // The push service rotated the subscription: the worker sends the new one, naming the old.
  const renewed = good.subscribe();
  const replaced = await post('/alerts/push/subscription', { subscription: renewed, replaces: browser.endpoint });
  assert.equal(replaced.statusCode, 201);
  assert.deepEqual(replaced.json().sections, ['world'], 'the sections carry over');
  assert.equal(await t.services.push.count(), before + 1);
  assert.deepEqual((await post('/alerts/push/subscription/status', { endpoint: browser.endpoint })).json(), { subscribed: false });

  assert.deepEqual((await post('/alerts/push/unsubscribe', { endpoint: renewed.endpoint })).json(), { subscribed: false });
  assert.equal(await t.services.push.count(), before);
});

test('bad subscriptions are refused at the edge with {errors}, nothing stored', async () => {
  const before = await t.services.push.count();
  const ok = good.subscribe();
  const p256dh = ok.keys.p256dh;
  const cases: [unknown, number, string][] = [
    [{ sections: ['*'] }, 400, 'subscription'],
    [{ subscription: 'x', sections: ['*'] }, 400, 'subscription'],
    [{ subscription: { ...ok, endpoint: ok.endpoint.replace('https:', 'http:') }, sections: ['*'] }, 400, 'subscription.endpoint'],
    [{ subscription: { ...ok, endpoint: 'not a url' }, sections: ['*'] }, 400, 'subscription.endpoint'],
    [{ subscription: { ...ok, endpoint: ok.endpoint.replace('https://', 'https://user:pw@') }, sections: ['*'] }, 400, 'subscription.endpoint'],
    [{ subscription: { ...ok, endpoint: `${ok.endpoint}/${'x'.repeat(1100)}` }, sections: ['*'] }, 400, 'subscription.endpoint'],
    [{ subscription: { ...ok, keys: { ...ok.keys, p256dh: p256dh.slice(0, 40) } }, sections: ['*'] }, 400, 'subscription.keys.p256dh'],
    // 65 bytes starting 0x04, but not a point on P-256.
    [{ subscription: { ...ok, keys: { ...ok.keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url') } }, sections: ['*'] }, 400, 'subscription.keys.p256dh'],
    [{ subscription: { ...ok, keys: { ...ok.keys, auth: Buffer.alloc(8).toString('base64url') } }, sections: ['*'] }, 400, 'subscription.keys.auth'],
    [{ subscription: { ...ok, keys: { ...ok.keys, auth: 'not base64!' } }, sections: ['*'] }, 400, 'subscription.keys.auth'],
    [{ subscription: ok, sections: ['sport'] }, 400, 'sections'],
    [{ subscription: ok }, 400, 'sections'],
    [[ok], 400, ''],
  ];
  for (const [payload, status, field] of cases) {
    const res = await post('/alerts/push/subscription', payload);
    assert.equal(res.statusCode, status, `${field}: ${res.body}`);
    const { errors } = res.json() as { errors: { code: string; field?: string; message: string }[] };
    assert.ok(errors.length > 0 && errors.every((e) => e.code && e.message), res.body);
    if (field) assert.ok(errors.some((e) => e.field === field), `${field}: ${res.body}`);
  }
  const oversized = await post('/alerts/push/subscription', { subscription: ok, sections: ['*'], padding: 'x'.repeat(5000) });
  assert.equal(oversized.statusCode, 413);
  assert.match(oversized.json().errors[0].message, /at most 4096 bytes/);
  const form = await post('/alerts/push/subscription', 'subscription=x', undefined, 'application/x-www-form-urlencoded');
  assert.equal(form.statusCode, 415, 'only JSON: another site’s form cannot post here');
  assert.match(form.json().errors[0].message, /as JSON/);
  const broken = await post('/alerts/push/subscription', '{"subscription":');
  assert.equal(broken.statusCode, 400);
  assert.equal(broken.json().errors[0].code, 'invalid_input');
  assert.equal(await t.services.push.count(), before);
});

test('SSRF: without the switch, endpoints on loopback, private or local addresses are refused', async () => {
  const strict = await buildTestApp({});
  try {
    const keys = good.subscribe().keys;
    for (const endpoint of ['https://127.0.0.1/push/1', 'https://10.1.2.3/x', 'https://[::1]/x', 'https://[::ffff:192.168.1.1]/x', 'https://169.254.169.254/latest', 'https://localhost/x', 'https://printer.local/x', 'https://0.0.0.0/x']) {
      const res = await strict.app.inject({ method: 'POST', url: '/alerts/push/subscription', payload: { subscription: { endpoint, keys }, sections: ['*'] }, remoteAddress: `10.2.0.${++ip}` });
      assert.equal(res.statusCode, 400, endpoint);
      assert.match(res.json().errors[0].message, /private or local address/, endpoint);
    }
    const fine = await strict.app.inject({ method: 'POST', url: '/alerts/push/subscription', payload: { subscription: { endpoint: 'https://push.example.net/x/1', keys }, sections: ['*'] } });
    assert.equal(fine.statusCode, 201, fine.body);
  } finally {
    await strict.close();
  }
});

test('a flood of subscription changes from one client gets 429 (JSON), others are not affected', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < PUSH_CHANGES_PER_CLIENT_HOUR + 2; i++) statuses.push((await post('/alerts/push/subscription', { subscription: good.subscribe(), sections: ['*'] }, '10.9.9.9')).statusCode);
  assert.equal(statuses.filter((s) => s === 201).length, PUSH_CHANGES_PER_CLIENT_HOUR);
  const limited = await post('/alerts/push/unsubscribe', { endpoint: good.subscribe().endpoint }, '10.9.9.9');
  assert.equal(limited.statusCode, 429);
  assert.match(limited.json().errors[0].message, /Too many notification changes/);
  assert.equal(limited.json().errors[0].code, 'rate_limited');
  assert.equal((await post('/alerts/push/subscription', { subscription: good.subscribe(), sections: ['*'] })).statusCode, 201);
  // Clean slate for the fan-out tests.
  for (const row of await t.database.db.withTables<{ alert_push_subscriptions: { id: number } }>().selectFrom('alert_push_subscriptions').select('id').execute()) {
    await t.database.db.withTables<{ alert_push_subscriptions: { id: number } }>().deleteFrom('alert_push_subscriptions').where('id', '=', row.id).execute();
  }
  now = new Date(now.getTime() + 2 * 3600_000);
});

test('an alert fans out by push beside email: each payload decrypts to the alert, with its Topic, TTL and Urgency; the ledger adds up per channel', async () => {
  const everyone = good.subscribe();
  const world = good.subscribe();
  const national = good.subscribe();
  await subscribe(everyone, ['*']);
  await subscribe(world, ['world']);
  await subscribe(national, ['national']);
  const story = await t.services.articles.save(storyInput({ headline: 'Dam gates opened', dek: 'Rivers rise.' }));
  const editor = await staff(t, 'editor');
  const review = await editor.browser.post('/newsroom/alerts/review', { title: 'Dam gates opened', text: 'Rivers will rise overnight.', articleId: String(story.id), sections: 'national' });
  assert.match(review.body, /2 browsers by push notification/);
  assert.match(review.body, /0 subscribers by email/);

  const start = good.received.length;
  const alert = await sendAlert('Dam gates opened', ['national'], '/national/dam-gates-opened');
  await t.jobs.runDue();
  const got = (await good.waitFor(start + 2)).slice(start);
  assert.deepEqual(got.map((p) => p.id).sort(), [everyone.id, national.id].sort());
  for (const push of got) {
    assert.deepEqual(push.payload, { title: 'Dam gates opened', text: 'Dam gates opened: what happened.', url: 'http://news.test/national/dam-gates-opened', icon: 'http://news.test/favicon.svg', tag: `alert-${alert.id}` });
    assert.equal(push.topic, `alert-${alert.id}`);
    assert.equal(push.urgency, 'high');
    assert.ok(Number(push.ttl) > 0 && Number(push.ttl) <= 24 * 3600, String(push.ttl));
    assert.equal(push.vapidKey, (await t.services.vapidKeys()).publicKey);
  }
  assert.deepEqual(good.problems, []);
  const { alert: done, channels } = await t.services.alerts.progress(alert.id);
  assert.equal(done.status, 'complete');
  assert.deepEqual(channels.push, { total: 2, queued: 0, sent: 2, failed: 0, suppressed: 0, removed: 0 });

  const api = await editor.browser.get(`/newsroom/alerts/${alert.id}`);
  assert.match(api.body, /Push notification<\/th><td>2<\/td><td>0<\/td><td>2<\/td>/);
  assert.match(api.body, /<svg[^>]+role="img"[^>]+aria-labelledby="alert-\d+-chart-title alert-\d+-chart-desc"/);
  assert.match(api.body, /<desc id="alert-\d+-chart-desc">Deliveries sent over \d+ seconds from the first\. Push: 2 sent/);
  assert.equal(api.headers.refresh, undefined, 'a complete alert does not reload itself');
});

test('push services that say gone (404, 410): the subscriptions are removed in the same pass and counted; the alert completes', async () => {
  const gone404 = bad.subscribe({ kind: 'gone', status: 404 });
  const gone410 = bad.subscribe({ kind: 'gone', status: 410 });
  await subscribe(gone404);
  await subscribe(gone410);
  const before = await t.services.push.count();
  const alert = await sendAlert('Bridge closed');
  await t.jobs.runDue();
  const { alert: done, channels, notReached } = await t.services.alerts.progress(alert.id);
  assert.equal(done.status, 'complete');
  assert.equal(channels.push.removed, 2);
  assert.equal(channels.push.sent, 3, 'the three good browsers still got it');
  assert.equal(channels.push.total, channels.push.sent + channels.push.failed + channels.push.suppressed + channels.push.removed);
  assert.equal(await t.services.push.count(), before - 2);
  const reasons = notReached.filter((r) => r.channel === 'push').map((r) => r.reason);
  assert.ok(reasons.some((r) => /^gone: the push service answered 404/.test(r)), reasons.join());
  assert.ok(reasons.some((r) => /^gone: the push service answered 410/.test(r)), reasons.join());
  const token = (await t.services.tokens.create('cli', { name: 'desk', role: 'editor' })).token;
  const api = (await t.app.inject({ url: `/api/admin/v1/alerts/${alert.id}`, headers: { authorization: `Bearer ${token}` } })).json();
  assert.equal(api.channels.push.removed, 2);
  assert.ok(api.notReached.every((r: { recipient: string }) => !r.recipient.includes('/push/')), 'endpoints (secrets) are not shown');
});

test('a busy push service (429 with Retry-After, then 500) is retried after the wait, never failed; the others are not held back', async () => {
  const busy = bad.subscribe({ kind: 'busy', status: 429, times: 1, retryAfter: '120' });
  const broken = bad.subscribe({ kind: 'busy', status: 503, times: 2 });
  await subscribe(busy);
  await subscribe(broken);
  const start = good.received.length;
  const badStart = bad.received.length;
  const alert = await sendAlert('Storm warning');
  await t.jobs.runDue();
  assert.equal(good.received.length - start, 3, 'the good service got its three at once');
  const mid = await t.services.alerts.progress(alert.id);
  assert.equal(mid.alert.status, 'sending');
  assert.equal(mid.channels.push.queued, 2);
  assert.equal(mid.channels.push.failed, 0);

  now = new Date(now.getTime() + 60_000);
  await t.jobs.runDue();
  assert.equal(bad.received.length, badStart, 'within the Retry-After, nothing is tried');
  now = new Date(now.getTime() + 3600_000);
  await t.jobs.runDue();
  now = new Date(now.getTime() + 3600_000);
  await t.jobs.runDue();
  const done = await t.services.alerts.progress(alert.id);
  assert.equal(done.alert.status, 'complete', JSON.stringify(done.channels));
  assert.deepEqual(done.channels.push, { total: 5, queued: 0, sent: 5, failed: 0, suppressed: 0, removed: 0 });
  assert.deepEqual(bad.received.slice(badStart).map((p) => p.id).sort(), [busy.id, broken.id].sort());
  assert.ok(bad.received.slice(badStart).every((p) => p.topic === `alert-${alert.id}`));
});

test('a push service too slow to answer: timed out and tried later, while another service gets its messages at once', async () => {
  const slow = bad.subscribe({ kind: 'slow', ms: 2500 });
  await subscribe(slow);
  const start = good.received.length;
  const alert = await sendAlert('Power cut');
  await t.jobs.runDue();
  assert.equal(good.received.length - start, 3);
  const mid = await t.services.alerts.progress(alert.id);
  assert.equal(mid.channels.push.queued, 1);
  assert.match(mid.alert.status, /sending/);
  bad.behave(slow.id, { kind: 'ok' });
  now = new Date(now.getTime() + 3600_000);
  await t.jobs.runDue();
  const done = await t.services.alerts.progress(alert.id);
  assert.equal(done.alert.status, 'complete');
  assert.equal(done.channels.push.sent, done.channels.push.total);
});

test('a browser unsubscribed mid-alert is suppressed, not sent; a made-up endpoint unsubscribes nobody', async () => {
  const leaving = good.subscribe();
  await subscribe(leaving);
  const before = await t.services.push.count();
  assert.equal((await post('/alerts/push/unsubscribe', { endpoint: `${good.origin}/push/made-up` })).statusCode, 200);
  assert.equal(await t.services.push.count(), before, 'nobody else’s subscription is touched');
  const alert = await sendAlert('Late news');
  // The ledger is written, then the reader turns notifications off before the batch goes out.
  await t.services.fanOut.run(alert.id).catch(() => undefined);
  const sentTo = good.received.filter((p) => (p.payload as { tag: string }).tag === `alert-${alert.id}`).map((p) => p.id);
  assert.ok(sentTo.includes(leaving.id));
  const next = await sendAlert('Later news');
  await t.services.alerts.progress(next.id);
  assert.equal((await post('/alerts/push/unsubscribe', { endpoint: leaving.endpoint })).statusCode, 200);
  await t.jobs.runDue();
  assert.ok(!good.received.some((p) => p.id === leaving.id && (p.payload as { tag: string }).tag === `alert-${next.id}`));
  const { channels } = await t.services.alerts.progress(next.id);
  assert.equal(channels.push.total, channels.push.sent + channels.push.suppressed);
});

test('who may not: readers cannot reach the newsroom’s progress, authors cannot send or follow an alert', async () => {
  const alerts = await t.services.alerts.list();
  const id = alerts[0]!.id;
  const author = await staff(t, 'author');
  assert.equal((await author.browser.get(`/newsroom/alerts/${id}`)).statusCode, 403);
  const token = (await t.services.tokens.create('cli', { name: 'author bot', role: 'author' })).token;
  assert.equal((await t.app.inject({ url: `/api/admin/v1/alerts/${id}`, headers: { authorization: `Bearer ${token}` } })).statusCode, 403);
  assert.equal((await t.app.inject(`/newsroom/alerts/${id}`)).statusCode, 303);
  assert.equal((await t.app.inject(`/api/admin/v1/alerts/${id}`)).statusCode, 401);
});

test('the fan-out metrics count per channel', async () => {
  const snapshot = await t.services.alertMetrics.snapshot();
  assert.ok(snapshot.sent.push >= 10, JSON.stringify(snapshot));
  assert.ok(snapshot.removed.push >= 2);
  assert.ok(snapshot.retried.push >= 3);
  assert.deepEqual(snapshot.queued, { email: 0, push: 0 });
});
