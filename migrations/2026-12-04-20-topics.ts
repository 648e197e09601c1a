// Topics as the newsroom keeps them: a kind (person, place, organization or subject, for
// suggestions and structured data), an editable description for the topic page, and aliases (other
// spellings of the name, "Zelensky" for "Volodymyr Zelenskyy", unique across topics so a spelling
// names one topic). Topic suggestions per story (src/search/topic-suggestion-*): the last ones
// computed, for the version they were computed for, and the ones editors rejected.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('topics').addColumn('kind', 'text', (c) => c.notNull().defaultTo('subject')).execute();
  await db.schema.alterTable('topics').addColumn('description', 'text', (c) => c.notNull().defaultTo(sql`''`)).execute();
  await db.schema
    .createTable('topic_aliases')
    .addColumn('alias_key', 'text', (c) => c.primaryKey())
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('topic_aliases_topic').on('topic_aliases').column('topic_id').execute();
  await db.schema
    .createTable('topic_suggestions')
    .addColumn('article_id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    // JSON: [{ name, kind, score, existing, variants }], best first.
    .addColumn('suggestions', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('topic_rejections')
    .addColumn('article_id', 'integer', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rejected_by', 'text', (c) => c.notNull())
    .addColumn('rejected_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('topic_rejections_pk', ['article_id', 'name_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['topic_rejections', 'topic_suggestions', 'topic_aliases']) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('topics').dropColumn('description').execute();
  await db.schema.alterTable('topics').dropColumn('kind').execute();
}
