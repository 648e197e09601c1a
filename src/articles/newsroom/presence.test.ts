import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { PRESENCE_WINDOW_MS, PresenceService, presenceMessage } from './presence-service.ts';

let t: TestApp;
let clock = new Date('2026-11-26T12:00:00Z');
let presence: PresenceService;

before(async () => {
  t = await buildTestApp();
  presence = new PresenceService(t.database.db, () => clock);
});
after(() => t.close());

test('an editor sees the others who have the story open, not themselves', async () => {
  assert.deepEqual(await presence.heartbeat(1, 10, 'Ada'), []);
  const others = await presence.heartbeat(1, 11, 'Ben');
  assert.deepEqual(others.map((e) => e.name), ['Ada']);
  assert.deepEqual((await presence.heartbeat(1, 10, 'Ada')).map((e) => e.name), ['Ben']);
  assert.deepEqual(await presence.heartbeat(2, 12, 'Cy'), [], 'other stories do not count');
});

test('people drop out when their heartbeats stop, or when they leave', async () => {
  await presence.heartbeat(3, 10, 'Ada');
  await presence.heartbeat(3, 11, 'Ben');
  clock = new Date(clock.getTime() + PRESENCE_WINDOW_MS + 1000);
  assert.deepEqual(await presence.heartbeat(3, 11, 'Ben'), []);
  await presence.heartbeat(3, 10, 'Ada');
  await presence.leave(3, 10);
  assert.deepEqual(await presence.heartbeat(3, 11, 'Ben'), []);
});

test('the message names everyone else', () => {
  assert.equal(presenceMessage([]), '');
  assert.equal(presenceMessage([{ userId: 1, name: 'Ada', seenAt: '' }]), 'Ada is also editing this story.');
  assert.equal(
    presenceMessage(['Ada', 'Ben', 'Cy'].map((name, userId) => ({ userId, name, seenAt: '' }))),
    'Ada, Ben and Cy are also editing this story.',
  );
});
