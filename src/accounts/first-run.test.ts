import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { start } from '../main.ts';
import { loadConfig } from '../platform/config.ts';
import { testEnv } from '../../test/helpers/build-test-app.ts';
import { buildServices } from '../app.ts';

/** Runs `start` on a fresh database and returns what it printed to stdout. */
async function startAndCapture(env: Record<string, string>): Promise<string> {
  const config = loadConfig(env, env.DATA_DIR);
  let printed = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const stop = await start(config);
    await stop();
  } finally {
    process.stdout.write = write;
  }
  return printed;
}

test('start on a database without an administrator prints a one-time setup link, and not after setup', async () => {
  const env = testEnv({ HOST: '127.0.0.1', PORT: '0' });
  try {
    const printed = await startAndCapture(env);
    const link = /(http:\/\/news\.test\/newsroom\/setup\?token=\S+)/.exec(printed)?.[1];
    assert.ok(link, printed);
    const { services, database } = await buildServices(loadConfig(env, env.DATA_DIR));
    try {
      assert.equal(await services.accounts.linkIsValid(new URL(link).searchParams.get('token')!, 'setup'), true);
      await services.accounts.addUser('cli', { email: 'chief@news.test', role: 'administrator' });
    } finally {
      await database.close();
    }
    assert.doesNotMatch(await startAndCapture(env), /newsroom\/setup/);
  } finally {
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
    if (env.DATABASE_URL?.startsWith('postgres')) {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`);
      await client.end();
    }
  }
});
