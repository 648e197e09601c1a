// Change notices: what a notice carries, and (PostgreSQL) a listening feed hearing a change
// committed by another connection at once, a long one by its id, a rolled-back one never.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testDatabaseUrl, testEnv, dropTestSchema } from '../../test/helpers/build-test-app.ts';
import { changeChannel, listenForChanges, noticePayload, parseNotice, sendChangeNotices } from './change-notices.ts';
import { ChangeFeed } from './changes.ts';
import { systemClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { migrate, openDatabase, type Database } from './db.ts';

test('a notice carries the id and the tags, or the id alone when they would not fit; junk is refused', () => {
  assert.deepEqual(parseNotice(noticePayload({ id: 7, tags: ['article:7', 'list:front'] })), { id: 7, tags: ['article:7', 'list:front'] });
  const long = Array.from({ length: 2000 }, (_, i) => `article:${i}`);
  assert.deepEqual(parseNotice(noticePayload({ id: 8, tags: long })), { id: 8 });
  for (const junk of ['', 'null', '{"id":"7"}', '{"tags":[]}', 'not json']) assert.equal(parseNotice(junk), undefined, junk);
  assert.equal(changeChannel('t_1_abc'), 'bulletin_changes_t_1_abc');
  assert.ok(changeChannel('x'.repeat(100)).length <= 63, 'PostgreSQL identifiers stop at 63 bytes');
});

const env = testEnv();
let writer: Database | undefined;
let reader: Database | undefined;

before(async () => {
  if (!testDatabaseUrl) return;
  const config = loadConfig(env, env.DATA_DIR);
  writer = await openDatabase(config.database);
  await migrate(writer);
  reader = await openDatabase(config.database);
});
after(async () => {
  await writer?.close();
  await reader?.close();
  await dropTestSchema(env);
});

test('PostgreSQL: a listening feed hears another connection’s commit at once (poll a minute away), long ones by id, rollbacks never', { skip: testDatabaseUrl ? false : 'NOTIFY is PostgreSQL’s: SQLite processes use the poll or the cluster relay' }, async () => {
  const config = loadConfig(env, env.DATA_DIR);
  if (config.database.engine !== 'postgres') throw new Error('expected PostgreSQL');
  const sending = new ChangeFeed(writer!.db, 60_000, systemClock);
  sendChangeNotices(sending, config.database.schema);
  const listening = new ChangeFeed(reader!.db, 60_000, systemClock);
  const heard: (readonly string[])[] = [];
  listening.onChange((tags) => heard.push(tags));
  await listening.start();
  const listener = await listenForChanges(listening, config.database, { warn() {} });
  const waitFor = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while (heard.length < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  try {
    await writer!.db.transaction().execute((trx) => sending.record(trx, ['article:1', 'list:front']));
    await waitFor(1);
    assert.deepEqual(heard, [['article:1', 'list:front']]);

    await assert.rejects(
      writer!.db.transaction().execute(async (trx) => {
        await sending.record(trx, ['article:rolled-back']);
        throw new Error('rollback');
      }),
    );
    const long = Array.from({ length: 2000 }, (_, i) => `article:${i}`);
    await writer!.db.transaction().execute((trx) => sending.record(trx, long));
    await waitFor(2);
    assert.equal(heard.length, 2);
    assert.deepEqual(heard[1], long, 'read back by id');
    await listening.poll();
    assert.equal(heard.length, 2, 'the poll does not apply them again');
  } finally {
    listening.stop();
    await listener.close();
  }
});
