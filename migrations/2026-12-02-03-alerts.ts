// Breaking-news alerts: readers who subscribed by email (with the sections they follow), the
// addresses never to mail again, the alerts editors sent, and a ledger row per recipient, so an
// alert is complete only when every recipient ended as sent, failed or suppressed.
import type { Kysely } from 'kysely';
import { withId } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('alert_subscribers'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    // pending (not yet confirmed) | active | paused | unsubscribed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('confirm_sent_at', 'text')
    .execute();
  await db.schema.createIndex('alert_subscribers_status').on('alert_subscribers').columns(['status', 'id']).execute();
  await db.schema
    .createTable('alert_subscriber_sections')
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('alert_subscribers.id').onDelete('cascade'))
    // A section's slug, or '*' for all breaking news.
    .addColumn('section', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_subscriber_sections_pk', ['subscriber_id', 'section'])
    .execute();
  await db.schema.createIndex('alert_subscriber_sections_section').on('alert_subscriber_sections').columns(['section', 'subscriber_id']).execute();
  await db.schema
    .createTable('alert_suppressions')
    .addColumn('email', 'text', (c) => c.primaryKey())
    // unsubscribed | bounced | complained
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alert_signup_attempts')
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_signup_attempts_client').on('alert_signup_attempts').columns(['client', 'at']).execute();
  await db.schema
    .createTable('alert_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await withId(db, db.schema.createTable('alerts'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer')
    // JSON: ["*"] for everyone, or section slugs.
    .addColumn('sections', 'text', (c) => c.notNull())
    // sending | complete
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema
    .createTable('alert_deliveries')
    .addColumn('alert_id', 'integer', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    // queued | sent | failed | suppressed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_deliveries_pk', ['alert_id', 'subscriber_id', 'channel'])
    .execute();
  await db.schema.createIndex('alert_deliveries_status').on('alert_deliveries').columns(['alert_id', 'status', 'subscriber_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['alert_deliveries', 'alerts', 'alert_keys', 'alert_signup_attempts', 'alert_suppressions', 'alert_subscriber_sections', 'alert_subscribers']) {
    await db.schema.dropTable(table).execute();
  }
}
