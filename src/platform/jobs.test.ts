// The durable job runner on the real database: due jobs only, retries with backoff, leases that
// run out, superseded jobs, and two workers on one database never running a job twice.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { openDatabase } from './db.ts';
import { Type } from 'typebox';
import { JobRunner } from './job-runner.ts';
import { backoffMs, defineJob, enqueue, jobBinding, type JobLogger, type JobType } from './jobs.ts';

let t: TestApp;
before(async () => {
  // The app's own worker stays off: these tests drive their runners by hand.
  t = await buildTestApp({}, { watchChanges: false });
});
after(() => t.close());

const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2030-01-01T10:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

let kindCounter = 0;
/** A job kind of its own per test, so tests do not run each other's jobs. */
const freshKind = () => `test.job-${++kindCounter}`;

/** The job type of a test kind (any payload), in the lane asked for. */
function typeOf(kind: string, lane = 'publishing'): JobType {
  return defineJob({ kind: kind as `${string}.${string}`, lane, payload: Type.Unknown() });
}

/** Registers work for a test kind. */
function on(jobs: JobRunner, kind: string, run: (payload: unknown) => Promise<void>, lane?: string): void {
  jobs.register(jobBinding(typeOf(kind, lane), run));
}

/** Work for a test kind that waits until released, then notes `name` in `order`; returns the release. */
function heldUntilReleased(jobs: JobRunner, kind: string, lane: string, order: string[], name: string): () => void {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  on(jobs, kind, async () => {
    await gate;
    order.push(name);
  }, lane);
  return release;
}

function runner(clock: { now(): Date }, db = t.database, options = {}) {
  return new JobRunner(db.db, db.engine, clock, quiet, options);
}

async function enqueueAt(kind: string, runAt: Date, payload: unknown, key?: string) {
  return t.database.db.transaction().execute((trx) => enqueue(trx, typeOf(kind), payload, { runAt, now: new Date(), dedupeKey: key }));
}

test('a job runs once its time has come, not before, and is marked done', async () => {
  const clock = manualClock();
  const kind = freshKind();
  const seen: unknown[] = [];
  const jobs = runner(clock);
  on(jobs, kind, async (payload) => void seen.push(payload));
  const id = await enqueueAt(kind, new Date(clock.now().getTime() + 60_000), { story: 7 });
  assert.deepEqual(await jobs.runDue(), []);
  assert.equal((await jobs.find(id))?.status, 'pending');
  clock.advance(60_000);
  const ran = await jobs.runDue();
  assert.deepEqual(ran.map((j) => j.id), [id]);
  assert.deepEqual(seen, [{ story: 7 }]);
  const job = await jobs.find(id);
  assert.equal(job?.status, 'done');
  assert.equal(job?.attempts, 1);
  assert.deepEqual(await jobs.runDue(), [], 'a done job is not run again');
});

test('a failing job records its error and is retried after a growing wait, then gives up', async () => {
  const clock = manualClock(Date.parse('2031-01-01T00:00:00Z'));
  const kind = freshKind();
  let calls = 0;
  const jobs = runner(clock, t.database, { maxAttempts: 3 });
  on(jobs, kind, async () => {
    calls++;
    throw new Error(`press jammed (${calls})`);
  });
  const id = await enqueueAt(kind, clock.now(), {});
  await jobs.runDue();
  let job = await jobs.find(id);
  assert.equal(job?.status, 'pending');
  assert.equal(job?.lastError, 'press jammed (1)');
  assert.equal(job?.runAt, new Date(clock.now().getTime() + backoffMs(1)).toISOString());
  assert.deepEqual(await jobs.runDue(), [], 'not retried before its backoff');
  clock.advance(backoffMs(1));
  await jobs.runDue();
  job = await jobs.find(id);
  assert.equal(job?.attempts, 2);
  assert.equal(job?.runAt, new Date(clock.now().getTime() + backoffMs(2)).toISOString());
  assert.ok(backoffMs(2) > backoffMs(1));
  clock.advance(backoffMs(2));
  await jobs.runDue();
  job = await jobs.find(id);
  assert.equal(job?.status, 'failed');
  assert.equal(job?.lastError, 'press jammed (3)');
  clock.advance(24 * 3600_000);
  await jobs.runDue();
  assert.equal(calls, 3, 'a failed job stays failed');
});

test('a job whose worker died is claimed again once its lease runs out; the late worker cannot overwrite the outcome', async () => {
  const clock = manualClock(Date.parse('2032-01-01T00:00:00Z'));
  const kind = freshKind();
  let releaseStuck!: () => void;
  const stuck = runner(clock, t.database, { leaseMs: 60_000 });
  on(stuck, kind, () => new Promise<void>((resolve) => (releaseStuck = resolve)));
  const id = await enqueueAt(kind, clock.now(), {});
  const stuckRound = stuck.runDue();
  // Wait until the stuck worker holds the job.
  while ((await stuck.find(id))?.status !== 'running') await new Promise((r) => setImmediate(r));

  const rescuer = runner(clock, t.database, { leaseMs: 60_000 });
  let rescued = 0;
  on(rescuer, kind, async () => void rescued++);
  assert.deepEqual(await rescuer.runDue(), [], 'the lease still holds');
  clock.advance(60_001);
  await rescuer.runDue();
  assert.equal(rescued, 1);
  assert.equal((await rescuer.find(id))?.status, 'done');
  assert.equal((await rescuer.find(id))?.attempts, 2);

  releaseStuck();
  await stuckRound;
  assert.equal((await rescuer.find(id))?.status, 'done', 'the late worker left the outcome alone');
});

test('a job with the same dedupe key supersedes the pending one', async () => {
  const clock = manualClock(Date.parse('2033-01-01T00:00:00Z'));
  const kind = freshKind();
  const seen: unknown[] = [];
  const jobs = runner(clock);
  on(jobs, kind, async (payload) => void seen.push(payload));
  const first = await enqueueAt(kind, clock.now(), { at: 1 }, `${kind}:story-1`);
  const second = await enqueueAt(kind, clock.now(), { at: 2 }, `${kind}:story-1`);
  await jobs.runDue();
  assert.deepEqual(seen, [{ at: 2 }]);
  assert.equal((await jobs.find(first))?.status, 'cancelled');
  assert.equal((await jobs.find(second))?.status, 'done');
});

test('two workers on separate connections claiming at once run each job exactly once', async () => {
  const clock = manualClock(Date.parse('2035-01-01T00:00:00Z'));
  const kind = freshKind();
  const second = await openDatabase(t.config.database);
  try {
    const runs = new Map<number, number>();
    const handler = async (payload: unknown) => {
      const n = (payload as { n: number }).n;
      runs.set(n, (runs.get(n) ?? 0) + 1);
      // Yield so that the two workers interleave.
      await new Promise((r) => setImmediate(r));
    };
    const a = runner(clock, t.database, { batch: 3 });
    const b = runner(clock, second, { batch: 3 });
    on(a, kind, handler);
    on(b, kind, handler);
    for (let n = 0; n < 40; n++) await enqueueAt(kind, clock.now(), { n });
    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
    assert.equal(ranA.length + ranB.length, 40);
    assert.equal(runs.size, 40);
    assert.ok([...runs.values()].every((count) => count === 1), 'no job ran twice');
    assert.ok((await a.list(kind)).every((job) => job.status === 'done'));
  } finally {
    await second.close();
  }
});

test('at start, jobs that fell due while no worker ran are run and logged', async () => {
  const clock = manualClock(Date.parse('2036-01-01T00:00:00Z'));
  const kind = freshKind();
  const id = await enqueueAt(kind, new Date(clock.now().getTime() - 3600_000), { late: true });
  const warnings: object[] = [];
  const jobs = new JobRunner(t.database.db, t.database.engine, clock, { ...quiet, warn: (details) => void warnings.push(details) });
  on(jobs, kind, async () => undefined);
  const missed = await jobs.start().caughtUp;
  await jobs.stop();
  assert.deepEqual(missed.map((j) => j.id), [id]);
  assert.deepEqual(warnings, [{ job: id, kind, runAt: new Date(clock.now().getTime() - 3600_000).toISOString() }]);
  assert.equal((await jobs.find(id))?.status, 'done');
});

test('at start, a backlog does not wait to be drained: polling begins at once, so a job queued meanwhile runs', async () => {
  const clock = manualClock(Date.parse('2037-01-01T00:00:00Z'));
  const backlogKind = freshKind();
  const laterKind = freshKind();
  const jobs = runner(clock, t.database, { pollMs: 20 });
  const order: string[] = [];
  const release = heldUntilReleased(jobs, backlogKind, 'media', order, 'backlog');
  on(jobs, laterKind, async () => void order.push('later'));
  await enqueueAt(backlogKind, new Date(clock.now().getTime() - 60_000), {});
  const { caughtUp } = jobs.start();
  try {
    // Queued after the first rounds have looked: only the poll can find it.
    await new Promise((r) => setTimeout(r, 150));
    await enqueueAt(laterKind, clock.now(), {});
    for (let i = 0; i < 300 && !order.includes('later'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(order, ['later'], 'the job queued during the backlog ran while the backlog was still held');
  } finally {
    release();
    await caughtUp;
    await jobs.stop();
  }
  assert.deepEqual(order, ['later', 'backlog']);
});

test('at start, lanes of kinds marked beforeServing are drained first; the rest goes on behind', async () => {
  const clock = manualClock(Date.parse('2038-01-01T00:00:00Z'));
  const slowKind = freshKind();
  const firstKind = freshKind();
  const jobs = runner(clock);
  const order: string[] = [];
  const release = heldUntilReleased(jobs, slowKind, 'media', order, 'backlog');
  jobs.register(jobBinding({ ...typeOf(firstKind, `first-${firstKind}`), beforeServing: true }, async () => void order.push('first')));
  await enqueueAt(slowKind, new Date(clock.now().getTime() - 60_000), {});
  const id = await enqueueAt(firstKind, new Date(clock.now().getTime() - 60_000), {});
  const { beforeServing, caughtUp } = jobs.start();
  try {
    const first = await beforeServing;
    assert.deepEqual(first.map((job) => job.id), [id]);
    assert.deepEqual(order, ['first'], 'ready to serve while the other lane is still held');
  } finally {
    release();
    await caughtUp;
    await jobs.stop();
  }
  assert.deepEqual(order, ['first', 'backlog']);
});

test('lanes: a long job in one lane does not hold back a due job in another', async () => {
  const clock = manualClock(Date.parse('2033-01-01T00:00:00Z'));
  const slowKind = freshKind();
  const urgentKind = freshKind();
  const jobs = runner(clock);
  const order: string[] = [];
  const releaseSlow = heldUntilReleased(jobs, slowKind, 'media', order, 'slow');
  on(jobs, urgentKind, async () => void order.push('urgent'));
  await enqueueAt(slowKind, clock.now(), {});
  await enqueueAt(urgentKind, clock.now(), {});
  const all = jobs.runDue();
  // The urgent job finishes while the slow one is still held: they run side by side.
  for (let i = 0; i < 200 && !order.includes('urgent'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(order, ['urgent']);
  releaseSlow();
  assert.equal((await all).length, 2);
  assert.deepEqual(order, ['urgent', 'slow']);
});
