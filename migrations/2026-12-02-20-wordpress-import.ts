// WordPress imports: which story each WordPress post became (and the version the import left it
// at, so a story edited since in the newsroom is left alone), which library image each uploaded
// file became, and the old addresses (post links, ?p=ID, category paths) that answer 301.
import type { Kysely } from 'kysely';
import { withId } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wordpress_posts')
    .addColumn('source_key', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('article_version', 'integer', (c) => c.notNull())
    .addColumn('imported_status', 'text', (c) => c.notNull())
    // What the import wrote, hashed: a re-run over an unchanged post writes nothing.
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('wordpress_media')
    .addColumn('source_url', 'text', (c) => c.primaryKey())
    .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // One target per row: a story (followed to wherever it lives now) or a section.
  await withId(db, db.schema.createTable('legacy_redirects'))
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('cascade'))
    .addColumn('section_id', 'integer', (c) => c.references('sections.id').onDelete('cascade'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('legacy_redirects_article').on('legacy_redirects').column('article_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['legacy_redirects', 'wordpress_media', 'wordpress_posts']) await db.schema.dropTable(table).execute();
}
