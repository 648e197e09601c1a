// /readyz (beside the platform's /healthz, which says only that the process answers): this node can do its work: the database answers, its schema is the one this build
// expects, due jobs are not piling up, the media store answers (for a load balancer that sends
// traffic only to ready nodes). Neither is ever cached, and neither says more than ok or not: no
// versions, addresses or error text an outsider could use.
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { MediaStore } from '../media/store/media-store.ts';
import type { Clock } from '../platform/clock.ts';
import { pendingMigrations, type Database } from '../platform/db.ts';
import { jobCounts } from '../platform/jobs.ts';

export interface ReadinessDeps {
  database: Database;
  clock: Clock;
  store: MediaStore;
  /** Due jobs waiting longer than this make the node not ready (READY_JOB_LAG_SECONDS). */
  maxJobLagMs: number;
  log: { warn(details: object, message: string): void };
}

type Check = { ok: boolean; [detail: string]: unknown };

const NO_STORE = 'no-store';
/** A check that does not answer within this is a failed check: a readiness probe must not hang. */
const CHECK_TIMEOUT_MS = 2000;

export function registerHealthRoutes(app: FastifyInstance, deps: ReadinessDeps): void {
  app.get('/readyz', async (_request, reply) => {
    const checks = await readiness(deps);
    const ready = Object.values(checks).every((check) => check.ok);
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', NO_STORE)
      .send({ status: ready ? 'ready' : 'not ready', checks });
  });
}

export async function readiness(deps: ReadinessDeps): Promise<Record<'database' | 'migrations' | 'jobs' | 'media', Check>> {
  const [database, migrations, jobs, media] = await Promise.all([
    check(deps, 'database', async () => {
      await sql`select 1`.execute(deps.database.db);
      return { ok: true };
    }),
    check(deps, 'migrations', async () => {
      const pending = (await pendingMigrations(deps.database)).length;
      return { ok: pending === 0, pending };
    }),
    check(deps, 'jobs', async () => {
      const oldest = Math.max(0, ...(await jobCounts(deps.database.db, deps.clock.now())).map((row) => row.oldestDueSeconds));
      return { ok: oldest * 1000 <= deps.maxJobLagMs, oldestDueSeconds: Math.round(oldest) };
    }),
    check(deps, 'media', async () => {
      await deps.store.hasFolder('images');
      return { ok: true };
    }),
  ]);
  return { database, migrations, jobs, media };
}

/** Runs one check with a time limit; its error goes to the log, never into the answer. */
async function check(deps: ReadinessDeps, name: string, run: () => Promise<Check>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    deps.log.warn({ err, check: name }, 'readiness check failed');
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
