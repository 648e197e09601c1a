// Reader comments and what their moderation keeps: the comments themselves (status, thread, who
// wrote them, the reasons of every automatic decision), per-story open/closed, the moderation
// settings, recent posting attempts (rate limits that hold across processes), used form tokens,
// and the word counts of the spam classifier learnt from moderators' decisions.
import type { Kysely } from 'kysely';
import { withId } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('comments'))
    .addColumn('article_id', 'integer', (c) => c.notNull())
    .addColumn('parent_id', 'integer')
    // The top-level comment of its thread (itself for a top-level one): a story page loads its
    // first threads whole without reading the rest of a long discussion.
    .addColumn('thread_id', 'integer')
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    // Lower-cased; never shown to readers.
    .addColumn('author_email', 'text', (c) => c.notNull())
    .addColumn('author_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'text', (c) => c.notNull())
    // Normalised text's hash, for duplicate detection.
    .addColumn('body_hash', 'text', (c) => c.notNull())
    // Kept for spam defence only; set to null after the retention period.
    .addColumn('ip', 'text')
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('spam_score', 'real')
    // What the classifier learnt from this comment ('spam' | 'ham' | null), so a reversal unlearns it.
    .addColumn('trained_as', 'text')
    // 'newsroom' for a reply written by staff (shown as the newsroom's), else 'reader'.
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('reader'))
    // 1 when an editor featured it ("Editor's pick", shown above the thread).
    .addColumn('picked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_thread').on('comments').columns(['article_id', 'status', 'id']).execute();
  await db.schema.createIndex('comments_threads').on('comments').columns(['thread_id', 'status']).execute();
  await db.schema.createIndex('comments_status').on('comments').columns(['status', 'id']).execute();
  await db.schema.createIndex('comments_email').on('comments').columns(['author_email', 'status']).execute();
  await db.schema.createIndex('comments_ip').on('comments').columns(['ip', 'created_at']).execute();
  await db.schema.createIndex('comments_hash').on('comments').columns(['body_hash', 'created_at']).execute();

  await db.schema
    .createTable('comment_threads')
    .addColumn('article_id', 'integer', (c) => c.primaryKey())
    // 1 open, 0 closed by the newsroom; no row = open until the auto-close period ends.
    .addColumn('open', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('comment_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('comment_attempts'))
    // 'ip:<address>' or 'email:<address>'.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_attempts_subject').on('comment_attempts').columns(['subject', 'at']).execute();

  await db.schema
    .createTable('comment_form_tokens')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('used_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('comment_words')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .addColumn('spam', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ham', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['comment_words', 'comment_form_tokens', 'comment_attempts', 'comment_settings', 'comment_threads', 'comments']) {
    await db.schema.dropTable(table).execute();
  }
}
