// Durable jobs: work that must happen later (a scheduled publication) or must survive a crash.
// A job is a row; workers claim due rows with a lease (locked_until), so a job whose worker died
// is claimed again once the lease runs out. This file is what features use: job types, queueing
// in the caller's transaction, cancelling, the counts, a long job's heartbeat. The worker that
// claims and runs them is job-runner.ts.
import { PostgresAdapter, sql, type Generated } from 'kysely';
import type { Static, TSchema } from 'typebox';
import type { Db } from './db.ts';
import { currentRequestId } from './request-context.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
export type JobTables = {
  jobs: {
    id: Generated<number>;
    kind: string;
    run_at: string;
    payload: string;
    status: string;
    attempts: number;
    locked_until: string | null;
    last_error: string | null;
    dedupe_key: string | null;
    created_at: string;
    updated_at: string;
    request_id: string | null;
  };
};

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: number;
  kind: string;
  runAt: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  lastError: string | null;
  /** The request that queued it (its id in the request log), when one did. */
  requestId: string | null;
}

export interface JobLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * A kind of job, defined once and used both to enqueue and to run it: its kind (`feature.action`),
 * its lane, and the schema of its payload (checked when it runs: a row is input we did not write
 * in this process).
 */
export interface JobType<S extends TSchema = TSchema> {
  kind: `${string}.${string}`;
  /**
   * Jobs in one lane run one after another, lanes side by side: a burst of image encodes must not
   * hold back a scheduled publication. Lanes: `publishing`, `media`, `alerts`, `comments`.
   */
  lane: string;
  payload: S;
  /** How long a claimed job of this kind is its worker's (default: the runner's lease). */
  leaseMs?: number;
  /**
   * Its lane starts at once when a change commits, not at the next tick: for work that follows
   * changes and is waited for (purging caches in front). Other lanes keep to the tick.
   */
  wakesOnChange?: boolean;
  /**
   * At start, its lane is drained before the server listens: a story whose schedule fell due
   * while no worker ran must not answer 404 to the first reader. Kept to small, quick kinds; every
   * other lane catches up in the background.
   */
  beforeServing?: boolean;
}

export function defineJob<S extends TSchema>(type: JobType<S>): JobType<S> {
  return type;
}

/** A job type with the work it does, as a feature hands it to the runner. */
export interface JobBinding<S extends TSchema = TSchema> {
  type: JobType<S>;
  run(payload: Static<S>, job: Job): Promise<void>;
}

/** Binds a job type to its work; the payload reaches `run` checked against the type's schema. */
export function jobBinding<S extends TSchema>(type: JobType<S>, run: (payload: Static<S>, job: Job) => Promise<void>): JobBinding {
  return { type, run } as unknown as JobBinding;
}

export interface JobRunnerOptions {
  /** How long a claimed job is ours; past it another worker may run it again. */
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  /** Jobs claimed per round. */
  batch?: number;
  /** Told of every job run: its type, how it ended and how long it took (the metrics' histogram). */
  observe?: (type: JobType, outcome: 'done' | 'retry' | 'failed', seconds: number) => void;
}

export const tables = (db: Db) => db.withTables<JobTables>();

export interface EnqueueOptions {
  /** When it may run; `now` when not given. */
  runAt?: Date;
  /** The caller's clock reading (job times follow the injected clock). */
  now: Date;
  /** Supersedes the earlier job with this key. */
  dedupeKey?: string;
}

/**
 * Adds a job inside the caller's transaction, so it exists exactly when the change that asked for
 * it commits. A `dedupeKey` supersedes the earlier job with that key: a pending one is cancelled;
 * a running one is left to finish (handlers re-check their preconditions, so it does nothing stale).
 */
export async function enqueue<S extends TSchema>(trx: Db, type: JobType<S>, payload: Static<S>, options: EnqueueOptions): Promise<number> {
  const { dedupeKey } = options;
  const now = options.now.toISOString();
  const kind = type.kind;
  const runAt = options.runAt ?? options.now;
  if (dedupeKey !== undefined) {
    await lockDedupeKey(trx, dedupeKey);
    await cancel(trx, dedupeKey, options.now);
  }
  const row = await tables(trx)
    .insertInto('jobs')
    .values({
      kind,
      run_at: runAt.toISOString(),
      payload: JSON.stringify(payload ?? null),
      status: 'pending',
      attempts: 0,
      dedupe_key: dedupeKey ?? null,
      created_at: now,
      updated_at: now,
      request_id: currentRequestId(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * On PostgreSQL two transactions enqueuing the same key at once would each see no pending job, and
 * the second insert would then fail on the key's unique index. A lock held until the transaction
 * ends queues them: the second one's cancel sees the first one's job once it has committed.
 * (SQLite runs one writing transaction at a time already.)
 */
async function lockDedupeKey(trx: Db, dedupeKey: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`bulletin.job:${dedupeKey}`}))`.execute(trx);
}

/** Cancels the pending job with this key (if any) and frees the key. */
export async function cancel(trx: Db, dedupeKey: string, at: Date): Promise<void> {
  const db = tables(trx);
  const now = at.toISOString();
  await db
    .updateTable('jobs')
    .set({ status: 'cancelled', dedupe_key: null, updated_at: now })
    .where('dedupe_key', '=', dedupeKey)
    .where('status', '=', 'pending')
    .execute();
  await db.updateTable('jobs').set({ dedupe_key: null, updated_at: now }).where('dedupe_key', '=', dedupeKey).execute();
}

/** Per kind: jobs waiting (due now), running and failed for good, and how long the oldest due one has waited. */
export interface JobCounts {
  kind: string;
  due: number;
  running: number;
  failed: number;
  oldestDueSeconds: number;
}

/** The job table as the metrics and readiness check see it, read when asked (every node sees the same). */
export async function jobCounts(db: Db, now: Date): Promise<JobCounts[]> {
  const nowIso = now.toISOString();
  const rows = await tables(db)
    .selectFrom('jobs')
    .select((eb) => [
      'kind',
      eb.fn.sum<number | string>(eb.case().when(eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', nowIso)])).then(1).else(0).end()).as('due'),
      eb.fn.sum<number | string>(eb.case().when('status', '=', 'running').then(1).else(0).end()).as('running'),
      eb.fn.sum<number | string>(eb.case().when('status', '=', 'failed').then(1).else(0).end()).as('failed'),
      eb.fn.min<string | null>(eb.case().when(eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', nowIso)])).then(eb.ref('run_at')).end()).as('oldest'),
    ])
    .where('status', 'in', ['pending', 'running', 'failed'])
    .groupBy('kind')
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    due: Number(row.due ?? 0),
    running: Number(row.running ?? 0),
    failed: Number(row.failed ?? 0),
    oldestDueSeconds: row.oldest ? Math.max(0, (now.getTime() - Date.parse(row.oldest)) / 1000) : 0,
  }));
}

/** Waits before retry n (1-based): 30 s, 1 min, 2 min … at most an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Keeps a long job's lease alive (its heartbeat): while the worker runs it, the job stays its own
 * for `leaseMs` more; a worker that died stops beating, and the job is claimable once that runs
 * out, rather than after a lease long enough for the slowest run. False when the job is no longer
 * this attempt's (another worker took it over).
 */
export async function extendLease(db: Db, job: Pick<Job, 'id' | 'attempts'>, leaseMs: number, now: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('jobs')
    .set({ locked_until: new Date(now.getTime() + leaseMs).toISOString(), updated_at: now.toISOString() })
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
