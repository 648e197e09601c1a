// The search index (src/search/): one row per published story (where and when it was published;
// its text as readers see it in a table of its own), the engine's full-text structure over the
// folded words (SQLite: an FTS5 table; PostgreSQL: a tsvector column with a GIN index), and the
// vocabulary with how many stories use each word, for "Did you mean". Stories published before
// this migration are indexed by the search feature's catch-up task.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  let documents = db.schema
    .createTable('search_documents')
    .addColumn('article_id', 'integer', (c) => c.primaryKey())
    .addColumn('section_id', 'integer', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_epoch', 'bigint', (c) => c.notNull());
  if (postgres) documents = documents.addColumn('document', sql`tsvector`, (c) => c.notNull());
  await documents.execute();
  // The text as readers see it, for snippets: apart, so that matching and sorting read small rows.
  await db.schema
    .createTable('search_texts')
    .addColumn('article_id', 'integer', (c) => c.primaryKey())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('dek', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_documents_published').on('search_documents').columns(['published_at']).execute();
  if (postgres) {
    await sql`create index search_documents_document on search_documents using gin (document)`.execute(db);
    // Byte order, as SQLite compares text: the suggestion scan reads a range of words by their first letter.
    await sql`create table search_terms (term text collate "C" primary key, documents integer not null)`.execute(db);
  } else {
    await sql`create virtual table search_fts using fts5(headline, dek, body, tokenize = 'ascii', prefix = '2 3')`.execute(db);
    await sql`create table search_terms (term text primary key, documents integer not null)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('search_terms').execute();
  if (!isPostgres(db)) await sql`drop table search_fts`.execute(db);
  await db.schema.dropTable('search_texts').execute();
  await db.schema.dropTable('search_documents').execute();
}
