// Purges owed to the caches in front (Varnish, Fastly, Cloudflare): one row per change, written in
// the change's own transaction and deleted once every configured purger has accepted its keys.
import type { Kysely } from 'kysely';
import { withId } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('edge_purges'))
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
