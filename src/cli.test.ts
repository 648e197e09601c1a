// The `bulletin` command as the README gives it: `npx bulletin …` from the project folder, which runs
// bin/bulletin.js (the package's own bin) on the sources.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { dropTestSchema, testEnv } from '../test/helpers/build-test-app.ts';
import { childEnvironment } from '../test/helpers/built-server.ts';
import { PROJECT_ROOT } from './platform/paths.ts';

const run = promisify(execFile);

/** `npx --no bulletin …` (never from the registry) with the given environment; its exit code and output. */
async function npxBulletin(args: string[], env: Record<string, string> = {}) {
  const childEnv = childEnvironment(env);
  try {
    const { stdout, stderr } = await run('npx', ['--no', 'bulletin', ...args], { cwd: PROJECT_ROOT, env: childEnv, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('npx bulletin runs the command from the project folder: help, migrate, and an unknown command', async () => {
  const help = await npxBulletin(['help']);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: bulletin <command>/);

  const env = testEnv();
  try {
    const migrated = await npxBulletin(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /^applied: 2026-11-26-01-platform, /);
    const again = await npxBulletin(['migrate'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'the schema is up to date\n');
  } finally {
    await dropTestSchema(env);
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
  }

  const unknown = await npxBulletin(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: unknown command "frobnicate"/);
});
