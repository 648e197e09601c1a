// The push sender on its own, against real push services on 127.0.0.1 that check each VAPID token
// and decrypt each payload: over HTTP/2 to a service that offers it (one connection, many
// messages at once), over HTTP/1.1 to one that does not; a service that answers too slowly, one
// that cannot be reached, and one whose connection drops, are all "later", never lost silently.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import webpush from 'web-push';
import { startPushService, type TestPushService, type TestSubscription } from '../../../test/helpers/push-service.ts';
import { webPushSender, type PushSender } from './push-sender.ts';

let h2: TestPushService;
let h1: TestPushService;
let sender: PushSender;
const vapid = webpush.generateVAPIDKeys();
/**
 * Long enough for 40 messages at once on a busy machine (500 ms was not, in one CI run: a test
 * that depends on the machine's speed), short enough for the slow service's test to wait it out.
 */
const TIMEOUT_MS = 2500;
/** What the sender is given for a browser's subscription. */
const target = (s: TestSubscription, endpoint = s.endpoint) => ({ endpoint, ...s.keys });
const message = (n: number) => ({ payload: JSON.stringify({ title: `Alert ${n}`, text: 'What happened.', url: 'http://news.test/national/x' }), topic: `alert-${n}`, ttlSeconds: 600 });

before(async () => {
  [h2, h1] = await Promise.all([startPushService(), startPushService({ http1Only: true })]);
  sender = webPushSender({ keys: async () => vapid, subject: 'mailto:desk@news.test', allowPrivate: true, caFile: h2.caFile, timeoutMs: TIMEOUT_MS });
});
after(async () => {
  sender.close();
  await Promise.all([h2.close(), h1.close()]);
});

test('HTTP/2 to a push service that offers it, HTTP/1.1 to one that does not: every message arrives, decrypts and is checked', async () => {
  for (const service of [h2, h1]) {
    const subscriptions = Array.from({ length: 40 }, () => service.subscribe());
    const outcomes = await Promise.all(subscriptions.map((s, i) => sender.send(target(s), message(i))));
    assert.deepEqual(new Set(outcomes.map((o) => o.kind)), new Set(['sent']), JSON.stringify(outcomes.find((o) => o.kind !== 'sent')));
    await service.waitFor(40);
    assert.deepEqual(service.problems, []);
    assert.deepEqual(new Set(service.received.map((r) => (r.payload as { title: string }).title)).size, 40);
  }
  assert.deepEqual(new Set(h2.versions), new Set(['2.0']), 'one HTTP/2 connection carried them');
  assert.deepEqual(new Set(h1.versions), new Set(['1.1']));
});

test('what the push service answers reaches the fan-out the same way over both protocols', async () => {
  for (const service of [h2, h1]) {
    const gone = service.subscribe({ kind: 'gone', status: 410 });
    const busy = service.subscribe({ kind: 'busy', status: 429, times: 1, retryAfter: '7' });
    const slow = service.subscribe({ kind: 'slow', ms: TIMEOUT_MS + 1000 });
    assert.deepEqual(await sender.send(target(gone), message(1)), { kind: 'gone', status: 410 });
    assert.deepEqual(await sender.send(target(busy), message(2)), { kind: 'later', reason: 'the push service answered 429', retryAfterMs: 7000 });
    const late = await sender.send(target(slow), message(3));
    assert.equal(late.kind, 'later');
    assert.match((late as { reason: string }).reason, new RegExp(`no answer within ${TIMEOUT_MS} ms`));
    // The connection is still good for the next message.
    assert.equal((await sender.send(target(service.subscribe()), message(4))).kind, 'sent');
  }
});

test('a push service that cannot be reached, or goes away, is "later"; the next message connects again', async () => {
  const gone = await startPushService();
  const subscription = gone.subscribe();
  assert.equal((await sender.send(target(subscription), message(1))).kind, 'sent');
  const origin = gone.origin;
  await gone.close();
  const lost = await sender.send(target(subscription), message(2));
  assert.equal(lost.kind, 'later', JSON.stringify(lost));
  assert.equal((await sender.send(target(subscription, `${origin}/push/x`), message(3))).kind, 'later');
});
