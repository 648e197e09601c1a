// TRUST_PROXY: behind a reverse proxy, the client it names is the one rate limits count (so one
// reader's flood does not lock out everyone the proxy serves); with the default, forwarded headers
// are ignored (a client cannot choose the address it is counted under).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../test/helpers/build-test-app.ts';
import { Browser } from '../../test/helpers/newsroom.ts';
import { ConfigError, loadConfig } from './config.ts';

async function signInAttempts(t: Awaited<ReturnType<typeof buildTestApp>>, forwardedFor: string, count: number): Promise<number[]> {
  const b = new Browser(t);
  await b.get('/newsroom/sign-in');
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await b.post('/newsroom/sign-in', { email: 'nobody@news.test', password: `wrong ${i}` }, { 'x-forwarded-for': forwardedFor })).statusCode);
  return statuses;
}

test('with TRUST_PROXY naming the proxy, each forwarded client has its own limit; without it, they share one', async () => {
  const behind = await buildTestApp({ TRUST_PROXY: '127.0.0.1' });
  try {
    assert.ok((await signInAttempts(behind, '203.0.113.7', 11)).includes(429), 'the flooding client is limited');
    assert.ok(!(await signInAttempts(behind, '198.51.100.9', 3)).includes(429), 'another client behind the same proxy is not');
  } finally {
    await behind.close();
  }
  const direct = await buildTestApp();
  try {
    assert.ok((await signInAttempts(direct, '203.0.113.7', 11)).includes(429));
    assert.ok((await signInAttempts(direct, '198.51.100.9', 1)).includes(429), 'a forged X-Forwarded-For changes nothing');
  } finally {
    await direct.close();
  }
});

test('TRUST_PROXY values: off, on, hop counts, address lists; anything else stops the start with a message', () => {
  const trust = (value: string) => loadConfig({ TRUST_PROXY: value }, '/tmp').trustProxy;
  assert.equal(trust('off'), false);
  assert.equal(trust('on'), true);
  assert.equal(trust('2'), 2);
  assert.deepEqual(trust('127.0.0.1, 10.0.0.0/8'), ['127.0.0.1', '10.0.0.0/8']);
  for (const bad of ['0', '11', 'everyone', '10.0.0.0/8;rm']) assert.throws(() => trust(bad), (e: unknown) => e instanceof ConfigError && /TRUST_PROXY must be/.test(e.message), bad);
});
