// Related Articles (src/search/related-*): each visible story's weighted terms (its strongest words
// and its topics) as postings, so the stories sharing them are found from an index instead of by
// reading every story; each story's stored list with why each item is on it; and the editors'
// pins and exclusions. Stories published before this migration are computed by the feature's
// catch-up task.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('related_documents')
    .addColumn('article_id', 'integer', (c) => c.primaryKey())
    .addColumn('published_epoch', 'bigint', (c) => c.notNull())
    // JSON: the story's vector, [[term, weight], …], strongest first (topics as "topic:<id>").
    .addColumn('vector', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();
  // Postings: each story's terms with their weights, keyed by term.
  await db.schema
    .createTable('related_terms')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer', (c) => c.notNull())
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('related_terms_pk', ['term', 'article_id'])
    .execute();
  await db.schema.createIndex('related_terms_article').on('related_terms').column('article_id').execute();
  // A term's postings strongest first: candidates are read from the top of each list.
  await db.schema.createIndex('related_terms_impact').on('related_terms').columns(['term', 'weight', 'article_id']).execute();
  await db.schema
    .createTable('related_lists')
    .addColumn('article_id', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('related_id', 'integer', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    // JSON: { pinned, topics: [names], terms: [words], topicScore, textScore, ageDays }.
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('related_lists_pk', ['article_id', 'position'])
    .execute();
  await db.schema.createIndex('related_lists_related').on('related_lists').column('related_id').execute();
  await db.schema
    .createTable('related_choices')
    .addColumn('article_id', 'integer', (c) => c.notNull())
    .addColumn('related_id', 'integer', (c) => c.notNull())
    // 'pin' (shown first, in pin order) or 'exclude' (never shown under this story).
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('chosen_by', 'text', (c) => c.notNull())
    .addColumn('chosen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('related_choices_pk', ['article_id', 'related_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['related_choices', 'related_lists', 'related_terms', 'related_documents']) await db.schema.dropTable(table).execute();
}
