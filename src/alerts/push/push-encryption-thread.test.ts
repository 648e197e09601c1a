// The encryption thread on its own: many messages asked for at once, each for other browser keys,
// come back each encrypted for its own browser (a mix-up would hand one reader's message to keys
// that cannot read it); keys that cannot be encrypted for are refused, not retried; and a closed
// sender answers "later" for what it still held, so the fan-out keeps those rows.
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decrypt } from 'http_ece';
import { encryptionThread } from './push-encryption-thread.ts';
import type { EncryptionTask } from './push-encryption.ts';

function browser() {
  const keys = createECDH('prime256v1');
  keys.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  return { keys, auth, p256dh: keys.getPublicKey().toString('base64url') };
}

const task = (n: number, b: ReturnType<typeof browser>): EncryptionTask => ({
  endpoint: `https://push.example/${n}`,
  p256dh: b.p256dh,
  auth: b.auth,
  payload: JSON.stringify({ title: `Alert for reader ${n}` }),
  ttlSeconds: 600,
  topic: 'alert-7',
  authorization: 'vapid t=token, k=key',
});

test('messages asked for at once each come back encrypted for their own browser, with the headers', async () => {
  const thread = encryptionThread();
  try {
    const browsers = Array.from({ length: 120 }, browser);
    const answers = await Promise.all(browsers.map((b, n) => thread.encrypt(task(n, b))));
    answers.forEach((answer, n) => {
      assert.equal(answer.kind, 'ready');
      if (answer.kind !== 'ready') return;
      const plain = decrypt(Buffer.from(answer.body), { version: 'aes128gcm', privateKey: browsers[n]!.keys, authSecret: browsers[n]!.auth });
      assert.equal(JSON.parse(plain.toString()).title, `Alert for reader ${n}`);
      assert.equal(answer.headers.TTL, 600);
      assert.equal(answer.headers.Topic, 'alert-7');
      assert.equal(answer.headers.Urgency, 'high');
      assert.equal(answer.headers['Content-Encoding'], 'aes128gcm');
      assert.equal(answer.headers.Authorization, 'vapid t=token, k=key');
    });
  } finally {
    thread.close();
  }
});

test('keys that cannot be encrypted for are refused with a reason; the others in the batch still go', async () => {
  const thread = encryptionThread();
  try {
    const good = browser();
    const [short, fine] = await Promise.all([thread.encrypt({ ...task(1, good), p256dh: 'c2hvcnQ' }), thread.encrypt(task(2, good))]);
    assert.equal(short.kind, 'refused');
    assert.match(short.kind === 'refused' ? short.reason : '', /could not encrypt for this subscription: .*65 bytes/);
    assert.equal(fine.kind, 'ready');
  } finally {
    thread.close();
  }
});

test('closing answers "later" for messages it still held, and for any asked after', async () => {
  const thread = encryptionThread();
  const b = browser();
  const held = Promise.all(Array.from({ length: 50 }, (_, n) => thread.encrypt(task(n, b))));
  // The batch has gone to the thread (it goes at the end of this turn) but is not answered yet.
  await new Promise((resolve) => setImmediate(resolve));
  thread.close();
  const answers = await held;
  assert.ok(answers.every((a) => a.kind === 'later' || a.kind === 'ready'));
  assert.ok(answers.some((a) => a.kind === 'later'), 'the thread was stopped before it answered');
  const after = await thread.encrypt(task(99, b));
  assert.deepEqual(after, { kind: 'later', reason: 'the push sender is closed' });
});
