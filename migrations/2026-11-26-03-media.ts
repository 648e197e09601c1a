// Video references: a clip's title and caption; the media fields fill in once a file is transcoded.
import type { Kysely } from 'kysely';
import { withId } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('videos'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('hls_url', 'text')
    .addColumn('poster_url', 'text')
    .addColumn('duration_seconds', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('videos_title').on('videos').column('title').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('videos').execute();
}
