// Tokens remember the person who made them (so a demotion or deactivation can revoke them) and may
// expire; staff accounts can be deactivated; a lock is remembered until its owner is told of it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('created_by_user_id', 'integer').execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  await db.schema.createIndex('api_tokens_maker').on('api_tokens').column('created_by_user_id').execute();
  await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('locked_at', 'text').execute();
  // Tokens made before now name their maker only in the label written then: "user:12 Ada Admin".
  const { rows } = await sql<{ id: number; created_by: string }>`SELECT id, created_by FROM api_tokens`.execute(db);
  for (const row of rows) {
    const maker = /^user:(\d+) /.exec(row.created_by)?.[1];
    if (maker) await sql`UPDATE api_tokens SET created_by_user_id = ${Number(maker)} WHERE id = ${row.id}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locked_at').execute();
  await db.schema.alterTable('users').dropColumn('deactivated_at').execute();
  await db.schema.dropIndex('api_tokens_maker').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('api_tokens').dropColumn('created_by_user_id').execute();
}
