// The worker side of durable jobs (jobs.ts holds what features define and queue): claims due
// rows per lane with a lease, runs them, retries with backoff, and on a stop gives unfinished
// work back. PostgreSQL: many workers, FOR UPDATE SKIP LOCKED; SQLite: one UPDATE … RETURNING.
import type { Kysely } from 'kysely';
import { Value } from 'typebox/value';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import { backoffMs, type Job, type JobBinding, type JobLogger, type JobRunnerOptions, type JobStatus, type JobTables, type JobType } from './jobs.ts';

export class JobRunner {
  private readonly db: Kysely<JobTables>;
  private readonly bindings = new Map<string, JobBinding>();
  /** Kinds by lane: each lane claims and runs its own kinds, independently of the others. */
  private readonly lanes = new Map<string, string[]>();
  /** Lanes holding a kind that `wakesOnChange`. */
  private readonly changeLanes = new Set<string>();
  /** Lanes holding a kind drained `beforeServing` at start. */
  private readonly firstLanes = new Set<string>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly batch: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly rounds = new Map<string, Promise<Job[]>>();
  /** Jobs claimed by this runner and not yet finished: what a stop gives back. */
  private readonly held = new Map<number, Job>();
  /** Bumped by stop(): a round started before it ends there; one started after (by hand) runs. */
  private generation = 0;
  private readonly observe: JobRunnerOptions['observe'];

  constructor(
    db: Db,
    private readonly engine: 'sqlite' | 'postgres',
    private readonly clock: Clock,
    private readonly log: JobLogger,
    options: JobRunnerOptions = {},
  ) {
    this.db = db.withTables<JobTables>();
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.pollMs = options.pollMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.batch = options.batch ?? 10;
    this.observe = options.observe;
  }

  /** The registered job types (kind and lane), for the metrics. */
  get types(): JobType[] {
    return [...this.bindings.values()].map((binding) => binding.type);
  }

  /** Runs jobs of the binding's type, in the type's lane. */
  register(binding: JobBinding): void {
    const { kind, lane } = binding.type;
    this.bindings.set(kind, binding);
    this.lanes.set(lane, [...(this.lanes.get(lane) ?? []).filter((k) => k !== kind), kind]);
    if (binding.type.wakesOnChange) this.changeLanes.add(lane);
    if (binding.type.beforeServing) this.firstLanes.add(lane);
  }

  /**
   * Claims due jobs every `pollMs` from now on, and at once runs what fell due while no worker was
   * running (logged: a schedule was missed). `beforeServing` settles when the lanes of kinds marked
   * `beforeServing` are drained (scheduled publishing: the server waits for it before listening);
   * `caughtUp` when every lane is. Nothing else waits for the backlog: a site restarted behind
   * thousands of due jobs answers requests meanwhile.
   */
  start(): { beforeServing: Promise<Job[]>; caughtUp: Promise<Job[]> } {
    // Each tick starts a round in every idle lane; a lane still busy is left to finish.
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    const logMissed = (missed: Job[]) => {
      for (const job of missed) {
        this.log.warn({ job: job.id, kind: job.kind, runAt: job.runAt }, 'job was due while no worker ran; ran it at start');
      }
      return missed;
    };
    const first = [...this.lanes.keys()].filter((lane) => this.firstLanes.has(lane));
    const beforeServing = Promise.all(first.map((lane) => this.runLane(lane))).then((ran) => logMissed(ran.flat()));
    const rest = [...this.lanes.keys()].filter((lane) => !this.firstLanes.has(lane));
    const others = Promise.all(rest.map((lane) => this.runLane(lane))).then((ran) => logMissed(ran.flat()));
    const caughtUp = Promise.all([beforeServing, others]).then((ran) => ran.flat());
    return { beforeServing, caughtUp };
  }

  /** Starts a round in every idle lane now, or in those named. */
  wake(lanes: Iterable<string> = this.lanes.keys()): void {
    if (!this.timer) return;
    for (const lane of lanes) {
      if (!this.rounds.has(lane)) void this.runLane(lane).catch((err: unknown) => this.log.error({ err, lane }, 'job round failed'));
    }
  }

  /** A change was committed: the lanes whose jobs follow changes start now (a purge it queued). */
  wakeForChange(): void {
    if (this.changeLanes.size > 0) this.wake(this.changeLanes);
  }

  /**
   * Stops claiming; claimed jobs not yet started go back at once, and running ones get `graceMs`
   * to finish before their leases are given back too, so another worker takes them without waiting
   * for the lease to run out. (A handler still running after that may finish, but its outcome is
   * not written: the job is no longer ours, and handlers are idempotent.)
   */
  async stop(graceMs = Infinity): Promise<void> {
    this.generation++;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const rounds = Promise.all([...this.rounds.values()].map((round) => round.catch(() => undefined)));
    let timer: NodeJS.Timeout | undefined;
    const grace = Number.isFinite(graceMs) ? new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))) : new Promise<void>(() => undefined);
    await Promise.race([rounds, grace]);
    clearTimeout(timer);
    await this.release([...this.held.values()]);
    // Stopped: the timer is gone and wake() does nothing, so only an explicit runDue() (a test
    // driving the jobs by hand) claims work from here on.
  }

  /** Gives claimed jobs back as they were before the claim (the attempt was never made). */
  private async release(jobs: Job[]): Promise<void> {
    for (const job of jobs) {
      this.held.delete(job.id);
      await this.db
        .updateTable('jobs')
        .set((eb) => ({ status: 'pending', locked_until: null, attempts: eb('attempts', '-', 1), updated_at: this.clock.now().toISOString() }))
        .where('id', '=', job.id)
        .where('attempts', '=', job.attempts)
        .where('status', '=', 'running')
        .execute();
      this.log.info({ job: job.id, kind: job.kind }, 'stopping: gave the job back');
    }
  }

  /** Claims and runs due jobs of every lane until none is left (lanes side by side). */
  async runDue(): Promise<Job[]> {
    const ran = await Promise.all([...this.lanes.keys()].map((lane) => this.runLane(lane)));
    return ran.flat();
  }

  /** One round in a lane: claims and runs its due jobs until none is left; one round per lane at a time. */
  private async runLane(lane: string): Promise<Job[]> {
    for (let busy = this.rounds.get(lane); busy; busy = this.rounds.get(lane)) await busy.catch(() => undefined);
    const kinds = this.lanes.get(lane) ?? [];
    const generation = this.generation;
    const stopped = () => generation !== this.generation;
    const round = (async () => {
      const ran: Job[] = [];
      while (!stopped()) {
        const jobs = await this.claim(kinds);
        if (jobs.length === 0) break;
        for (const job of jobs) this.held.set(job.id, job);
        for (const [i, job] of jobs.entries()) {
          if (stopped()) {
            await this.release(jobs.slice(i));
            break;
          }
          ran.push(await this.run(job));
          this.held.delete(job.id);
          // On SQLite every query resolves at once, so a round is one long chain of microtasks:
          // without a turn of the event loop between jobs, a backlog would starve every request.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      return ran;
    })();
    this.rounds.set(lane, round);
    try {
      return await round;
    } finally {
      this.rounds.delete(lane);
    }
  }

  async find(id: number): Promise<Job | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }

  async list(kind: string): Promise<Job[]> {
    const rows = await this.db.selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('id').execute();
    return rows.map(toJob);
  }

  /**
   * Due jobs of the given kinds (one lane's): pending ones whose time has come, and running ones
   * whose lease ran out.
   */
  private async claim(kinds: string[]): Promise<Job[]> {
    if (kinds.length === 0) return [];
    const now = this.clock.now();
    const nowIso = now.toISOString();
    // A lane's jobs share the shortest lease its kinds ask for (a short job's crash is noticed soon).
    const leaseMs = Math.min(...kinds.map((kind) => this.bindings.get(kind)?.type.leaseMs ?? this.leaseMs));
    const lease = { status: 'running', locked_until: new Date(now.getTime() + leaseMs).toISOString(), updated_at: nowIso };
    const due = (db: Kysely<JobTables>) =>
      db
        .selectFrom('jobs')
        .select('id')
        .where('kind', 'in', kinds)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', nowIso)]),
            eb.and([eb('status', '=', 'running'), eb('locked_until', '<', nowIso)]),
          ]),
        )
        .orderBy('run_at')
        .orderBy('id')
        .limit(this.batch);
    if (this.engine === 'postgres') {
      return this.db.transaction().execute(async (trx) => {
        const ids = (await due(trx).forUpdate().skipLocked().execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        const rows = await trx
          .updateTable('jobs')
          .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
          .where('id', 'in', ids)
          .returningAll()
          .execute();
        return rows.map(toJob).sort((a, b) => a.runAt.localeCompare(b.runAt) || a.id - b.id);
      });
    }
    const rows = await this.db
      .updateTable('jobs')
      .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due(this.db))
      .returningAll()
      .execute();
    return rows.map(toJob).sort((a, b) => a.runAt.localeCompare(b.runAt) || a.id - b.id);
  }

  private async run(job: Job): Promise<Job> {
    const binding = this.bindings.get(job.kind)!;
    const started = performance.now();
    // `reqId`: the request that queued the job, under the name Fastify's request lines use.
    const about = { job: job.id, kind: job.kind, ...(job.requestId && { reqId: job.requestId }) };
    try {
      if (!Value.Check(binding.type.payload, job.payload)) throw new Error(`${job.kind}: the payload does not fit its schema: ${JSON.stringify(job.payload)}`);
      await binding.run(job.payload, job);
      await this.finish(job, { status: 'done', locked_until: null, dedupe_key: null });
      const seconds = (performance.now() - started) / 1000;
      this.observe?.(binding.type, 'done', seconds);
      this.log.info({ ...about, ms: Math.round(seconds * 1000) }, 'job done');
      return { ...job, status: 'done' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retry = job.attempts < this.maxAttempts;
      const runAt = new Date(this.clock.now().getTime() + backoffMs(job.attempts)).toISOString();
      this.observe?.(binding.type, retry ? 'retry' : 'failed', (performance.now() - started) / 1000);
      this.log.error({ ...about, attempts: job.attempts, err: message }, retry ? 'job failed; will retry' : 'job failed for good');
      await this.finish(
        job,
        retry
          ? { status: 'pending', run_at: runAt, locked_until: null, last_error: message }
          : { status: 'failed', locked_until: null, last_error: message, dedupe_key: null },
      );
      return { ...job, status: retry ? 'pending' : 'failed', lastError: message };
    }
  }

  private async finish(job: Job, values: Partial<Omit<JobTables['jobs'], 'id'>>): Promise<void> {
    // Only while the job is still ours (the attempt count is our claim): a worker that outlived its
    // lease must not overwrite the outcome of the worker that took the job over.
    await this.db
      .updateTable('jobs')
      .set({ ...values, updated_at: this.clock.now().toISOString() })
      .where('id', '=', job.id)
      .where('attempts', '=', job.attempts)
      .where('status', '=', 'running')
      .execute();
  }
}

function toJob(row: {
  id: number;
  kind: string;
  run_at: string;
  payload: string;
  status: string;
  attempts: number;
  last_error: string | null;
  request_id: string | null;
}): Job {
  return {
    id: row.id,
    kind: row.kind,
    runAt: row.run_at,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status as JobStatus,
    attempts: row.attempts,
    lastError: row.last_error,
    requestId: row.request_id,
  };
}

