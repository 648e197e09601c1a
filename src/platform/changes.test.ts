// The change feed's memory of ids it applied itself: a polling process keeps them (so its poll
// does not apply its own change twice); one that never polls (a CLI run) keeps none.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { ChangeFeed } from './changes.ts';
import { systemClock } from './clock.ts';

const remembered = (feed: ChangeFeed) => (feed as unknown as { seen: Map<number, number> }).seen.size;

describe('ChangeFeed', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const recordOne = async (feed: ChangeFeed) => {
    const change = await t.database.db.transaction().execute((trx) => feed.record(trx, ['test:1']));
    feed.applied(change);
  };

  it('a polling process applies its own change once', async () => {
    const feed = new ChangeFeed(t.database.db, 60_000, systemClock);
    await feed.start();
    const heard: string[][] = [];
    feed.onChange((tags) => heard.push([...tags]));
    await recordOne(feed);
    await feed.poll();
    feed.stop();
    assert.deepEqual(heard, [['test:1']]);
    assert.equal(remembered(feed), 1);
  });

  it('a process that never polls keeps no ids, however many changes it makes', async () => {
    const feed = new ChangeFeed(t.database.db, 60_000, systemClock);
    let heard = 0;
    feed.onChange(() => heard++);
    for (let i = 0; i < 50; i++) await recordOne(feed);
    assert.equal(heard, 50, 'its own listeners still hear every change');
    assert.equal(remembered(feed), 0);
  });
});
