// Builds the real app on a temporary database: SQLite in a temp folder by default, or a fresh
// PostgreSQL schema when TEST_DATABASE_URL is set (the PostgreSQL run of the same suite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp, type BuildOptions, type BulletinApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';

export type TestApp = BulletinApp & { dataDir: string; env: Record<string, string> };

export const testDatabaseUrl = process.env.TEST_DATABASE_URL;

/**
 * Skips a check in the PostgreSQL run when what it checks does not depend on the database engine
 * (markup, accessibility, image encoding): the SQLite run of the same suite already made it, and CI
 * time goes to what can differ between engines.
 */
export function sameOnEveryEngine(what: string): string | false {
  return testDatabaseUrl ? `${what} does not depend on the database engine: checked in the SQLite run` : false;
}

/** The environment a test app (or a CLI run against it) uses. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-test-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DEMO_CONTENT: 'off',
    LOG_LEVEL: 'silent',
    SITE_URL: 'http://news.test',
    SITE_NAME: 'Test Gazette',
    CHANGE_POLL_MS: '100',
  };
  if (testDatabaseUrl) {
    env.DATABASE_URL = testDatabaseUrl;
    env.DATABASE_SCHEMA = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  }
  return { ...env, ...overrides };
}

export async function buildTestApp(overrides: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestApp> {
  return buildAppOnSite(testEnv(overrides), options);
}

/** The app over the site `env` names (e.g. a running server's, from testEnv()); close() removes that site. */
export async function buildAppOnSite(env: Record<string, string>, options: BuildOptions = {}): Promise<TestApp> {
  const config = loadConfig(env, env.DATA_DIR);
  const bulletin = await buildApp(config, options);
  return {
    ...bulletin,
    dataDir: env.DATA_DIR!,
    env,
    async close() {
      await bulletin.close();
      await dropTestSchema(env);
      fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
    },
  };
}

export async function dropTestSchema(env: Record<string, string>): Promise<void> {
  if (!env.DATABASE_URL?.startsWith('postgres') || !env.DATABASE_SCHEMA) return;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`);
  } finally {
    await client.end();
  }
}
