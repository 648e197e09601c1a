// Sections, authors, topics, articles with bylines and credits, and their revisions.
// Times are ISO-8601 UTC text (sorts correctly, reads the same on both engines); JSON is text.
import type { Kysely } from 'kysely';
import { withId } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('sections'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await withId(db, db.schema.createTable('authors'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await withId(db, db.schema.createTable('topics'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('articles'))
    .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('dek', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('credit_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('credit_contributors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('credit_agencies', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('lead_image_url', 'text')
    .addColumn('lead_image_alt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lead_image_caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lead_image_credit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source_key', 'text', (c) => c.unique())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('articles_section_slug', ['section_id', 'slug'])
    .execute();
  await db.schema.createIndex('articles_listing').on('articles').columns(['status', 'published_at']).execute();
  await db.schema
    .createIndex('articles_section_listing')
    .on('articles')
    .columns(['section_id', 'status', 'published_at'])
    .execute();

  await db.schema
    .createTable('article_authors')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'author_id'])
    .execute();
  await db.schema.createIndex('article_authors_author').on('article_authors').column('author_id').execute();

  await db.schema
    .createTable('article_topics')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_topics_pk', ['article_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('article_topics_topic').on('article_topics').column('topic_id').execute();

  await withId(db, db.schema.createTable('article_revisions'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('article_revisions_version', ['article_id', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['article_revisions', 'article_topics', 'article_authors', 'articles', 'topics', 'authors', 'sections']) {
    await db.schema.dropTable(table).execute();
  }
}
