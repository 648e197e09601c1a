// A worker process stopped by SIGTERM gives its jobs back (the one it was running, after the grace,
// and those it had claimed but not started, at once), so another worker runs them without waiting
// for a lease; one killed by SIGKILL loses nothing either: its lease runs out and another takes it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Type } from 'typebox';
import { testEnv, dropTestSchema } from '../../test/helpers/build-test-app.ts';
import { childEnvironment } from '../../test/helpers/built-server.ts';
import { systemClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { migrate, openDatabase, type Database } from './db.ts';
import { JobRunner } from './job-runner.ts';
import { defineJob, enqueue, jobBinding } from './jobs.ts';
import { PROJECT_ROOT } from './paths.ts';
import fs from 'node:fs';

const SLOW_JOB = defineJob({ kind: 'test.slow', lane: 'test', payload: Type.Object({ n: Type.Integer() }) });
const env = testEnv();
let database: Database;

before(async () => {
  database = await openDatabase(loadConfig(env, env.DATA_DIR).database);
  await migrate(database);
});
after(async () => {
  await database?.close();
  await dropTestSchema(env);
  fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
});

/** The worker process, and a promise of the first job id it prints as started. */
function startWorker(extra: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/job-worker-process.ts'], { cwd: PROJECT_ROOT, env: childEnvironment({ ...env, ...extra }), stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /started (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`the worker exited before starting a job: ${out}`)));
  });
  return { child, exited, started };
}

const rowsOf = async (ids: number[]) => {
  const runner = new JobRunner(database.db, database.engine, systemClock, { info() {}, warn() {}, error() {} });
  return Promise.all(ids.map(async (id) => (await runner.find(id))!));
};

/** Another worker (this process) that finishes test.slow jobs at once. */
function rescuer() {
  const runner = new JobRunner(database.db, database.engine, systemClock, { info() {}, warn() {}, error() {} });
  runner.register(jobBinding(SLOW_JOB, async () => undefined));
  return runner;
}

test('SIGTERM: the running job after the grace, and the claimed ones at once, go back to pending; the process exits 0', async () => {
  const now = new Date();
  const ids = [await enqueue(database.db, SLOW_JOB, { n: 1 }, { now }), await enqueue(database.db, SLOW_JOB, { n: 2 }, { now }), await enqueue(database.db, SLOW_JOB, { n: 3 }, { now })];
  // A lease of an hour: only giving the jobs back can free them soon.
  const worker = startWorker({ JOB_LEASE_MS: '3600000', JOB_GRACE_MS: '200' });
  const running = await worker.started;
  assert.equal(running, ids[0]);
  assert.deepEqual((await rowsOf(ids)).map((job) => job.status), ['running', 'running', 'running'], 'the batch is claimed');
  worker.child.kill('SIGTERM');
  assert.equal(await worker.exited, 0);
  const back = await rowsOf(ids);
  assert.deepEqual(back.map((job) => [job.status, job.attempts]), [['pending', 0], ['pending', 0], ['pending', 0]], 'given back as if never claimed');

  const ran = await rescuer().runDue();
  assert.deepEqual(ran.map((job) => job.id).sort(), ids.sort());
  assert.deepEqual((await rowsOf(ids)).map((job) => job.status), ['done', 'done', 'done']);
});

test('SIGKILL: nothing is lost; once the dead worker’s lease runs out another worker takes the job', async () => {
  const id = await enqueue(database.db, SLOW_JOB, { n: 4 }, { now: new Date() });
  const worker = startWorker({ JOB_LEASE_MS: '3000' });
  assert.equal(await worker.started, id);
  worker.child.kill('SIGKILL');
  await worker.exited;
  const [held] = await rowsOf([id]);
  assert.equal(held!.status, 'running', 'the killed worker still holds it');

  const runner = rescuer();
  assert.deepEqual(await runner.runDue(), [], 'not while the lease lasts');
  let ran: { id: number }[] = [];
  const deadline = Date.now() + 15_000;
  while (ran.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    ran = await runner.runDue();
  }
  assert.deepEqual(ran.map((job) => job.id), [id]);
  const [done] = await rowsOf([id]);
  assert.equal(done!.status, 'done');
  assert.equal(done!.attempts, 2, 'the killed attempt counts');
});
