// Comments, second part: readers' reports (their own queue), the comment text's HTML stored when
// it is written (a story with thousands of comments draws without re-parsing each one), indexes for
// a story's top-level threads and (partial) its editor's picks, approved counts per story, and rate limits kept as one
// counter row per subject and minute (a refused post costs one upsert, not a new row).
import { sql, type Kysely } from 'kysely';
import { withId } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // null: written before this column existed; drawn from the text when read.
  await db.schema.alterTable('comments').addColumn('body_html', 'text').execute();
  // A story's top-level threads from the index alone (IS NULL counts as an equality for SQLite).
  await db.schema.createIndex('comments_tops').on('comments').columns(['article_id', 'status', 'parent_id', 'id']).execute();
  // Partial: only the few picks are in it, so a story's picks are found without reading its thread.
  await db.schema.createIndex('comments_picked').on('comments').columns(['article_id', 'status', 'id']).where(sql.ref('picked'), '=', 1).execute();

  // Approved comments per story, kept by every write that changes them: the heading and the cards
  // read one row instead of counting a long discussion.
  await db.schema
    .createTable('comment_counts')
    .addColumn('article_id', 'integer', (c) => c.primaryKey())
    .addColumn('approved', 'integer', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO comment_counts (article_id, approved) SELECT article_id, count(*) FROM comments WHERE status = 'approved' GROUP BY article_id`.execute(db);

  await withId(db, db.schema.createTable('comment_reports'))
    .addColumn('comment_id', 'integer', (c) => c.notNull())
    // A keyed hash of the reporter's address: one report per reader and comment, no address kept.
    .addColumn('reporter', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // null while open; then when and how a moderator settled it ('dismissed' | 'acted').
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema.createIndex('comment_reports_once').on('comment_reports').columns(['comment_id', 'reporter']).unique().execute();
  await db.schema.createIndex('comment_reports_open').on('comment_reports').columns(['resolved_at', 'comment_id']).execute();

  await db.schema
    .createTable('comment_rate')
    // 'ip:<address>', 'email:<address>', 'report:<address>'.
    .addColumn('subject', 'text', (c) => c.notNull())
    // The minute it counts (ISO, to the minute).
    .addColumn('minute', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_rate_key', ['subject', 'minute'])
    .execute();
  await db.schema.dropTable('comment_attempts').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('comment_attempts'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_attempts_subject').on('comment_attempts').columns(['subject', 'at']).execute();
  await db.schema.dropTable('comment_rate').execute();
  await db.schema.dropTable('comment_reports').execute();
  await db.schema.dropTable('comment_counts').execute();
  await db.schema.dropIndex('comments_picked').execute();
  await db.schema.dropIndex('comments_tops').execute();
  await db.schema.alterTable('comments').dropColumn('body_html').execute();
}
