// A job remembers the request that queued it (the request id in the logs), so an operator can
// follow a publish or an upload from its request line to the job lines it led to. NULL for jobs
// queued outside a request (timers, other jobs, the CLI) and for every job queued before this.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('request_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('request_id').execute();
}
