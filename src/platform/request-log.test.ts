// Request logs (LOG_REQUESTS=on) never hold a one-time link's secret: the setup, invitation and
// password-reset addresses are logged without the token's value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import { dropTestSchema, testEnv } from '../../test/helpers/build-test-app.ts';
import { startBuiltServer } from '../../test/helpers/built-server.ts';
import { withoutSecrets } from './platform.ts';

test('addresses lose the value of their token, and only that', () => {
  assert.equal(withoutSecrets('/newsroom/setup?token=abc123'), '/newsroom/setup?token=…');
  assert.equal(withoutSecrets('/newsroom/password?next=/x&token=abc&y=1'), '/newsroom/password?next=/x&token=…&y=1');
  assert.equal(withoutSecrets('/national/story?page=2'), '/national/story?page=2');
});

test('the running site logs a request for its setup link without the secret', async () => {
  const env = testEnv({ LOG_LEVEL: 'info', LOG_REQUESTS: 'on', LOG_FORMAT: 'json' });
  const server = await startBuiltServer(env, { waitFor: /\/newsroom\/setup\?token=/ });
  try {
    const link = /(https?:\/\/\S+\/newsroom\/setup\?token=\S+)/.exec(server.stdout())![1]!;
    const secret = new URL(link).searchParams.get('token')!;
    const logsBefore = server.stdout().length;
    assert.equal((await fetch(`${server.url}/newsroom/setup?token=${secret}`)).status, 200);
    // The log line is written after the answer: wait for it (at most 10 s).
    for (let i = 0; i < 200 && !server.stdout().slice(logsBefore).includes('"url":"/newsroom/setup'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = server.stdout().slice(logsBefore);
    assert.match(logged, /"url":"\/newsroom\/setup\?token=…"/);
    assert.ok(!logged.includes(secret), 'the secret is not in the log');
  } finally {
    await server.stop();
    await dropTestSchema(env);
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
  }
});
