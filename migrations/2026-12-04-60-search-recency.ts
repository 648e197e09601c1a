// PostgreSQL finds a query's most recent matches a slice of time at a time (search-repository.ts):
// the GIN index's matches are intersected with the stories of the slice through this index on the
// publication second, so only those are read from the table. SQLite needs none: its FTS5 rowid is
// already the publication second.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create index search_documents_epoch on search_documents (published_epoch)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`drop index search_documents_epoch`.execute(db);
}
