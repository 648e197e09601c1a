import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { openDatabase } from './db.ts';

// A second process on the same SQLite file (a CLI import beside the server, a test beside the built
// site) stands in here as a worker thread with its own connection: better-sqlite3 blocks its
// thread while it waits for a lock, so the other writer cannot share our event loop.
const OTHER_WRITER = `
  const { parentPort, workerData } = require('node:worker_threads');
  const SQLite = require(workerData.driver);
  const db = new SQLite(workerData.file);
  db.pragma('busy_timeout = 5000');
  parentPort.once('message', () => {
    db.prepare('insert into t (n) values (2)').run();
    db.close();
    parentPort.postMessage('done');
  });
`;

test('a transaction that reads and then writes survives another process committing in between (SQLite)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-sqlite-tx-'));
  const file = path.join(dir, 'bulletin.db');
  const database = await openDatabase({ engine: 'sqlite', file });
  const worker = new Worker(OTHER_WRITER, {
    eval: true,
    workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  try {
    await sql`create table t (n integer not null)`.execute(database.db);
    const otherDone = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await database.db.transaction().execute(async (trx) => {
      await sql`select count(*) as c from t`.execute(trx);
      worker.postMessage('write');
      // Long enough for the other writer to commit, had it not been made to wait for our lock.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sql`insert into t (n) values (1)`.execute(trx);
    });
    await otherDone;
    const rows = await sql<{ n: number }>`select n from t order by rowid`.execute(database.db);
    // Both writes kept, ours first: the other writer waited for our commit.
    assert.deepEqual(
      rows.rows.map((r) => r.n),
      [1, 2],
    );
  } finally {
    await worker.terminate();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
