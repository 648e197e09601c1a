// An alert an editor attaches to a scheduled story: sent once, when the story goes live, and
// dropped if the story is unpublished (or taken back to draft) before then. One per story.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alerts_when_live')
    .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // JSON: ["*"] for everyone, or section slugs.
    .addColumn('sections', 'text', (c) => c.notNull())
    .addColumn('armed_by', 'text', (c) => c.notNull())
    .addColumn('armed_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alerts_when_live').execute();
}
