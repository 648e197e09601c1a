// Web push for breaking-news alerts: one row per push endpoint (a browser that subscribes again
// replaces its row), with the sections it follows; the per-recipient ledger learns when a deferred
// delivery may be tried again (a push service's Retry-After, a mail server's "later"); and each
// alert keeps the audience it was given per channel, so it is complete only when its ledger rows
// add up to that audience, channel by channel. The ledger's rows are keyed (alert, subscriber,
// channel) already: for channel 'push' the subscriber is a row of alert_push_subscriptions.
import type { Kysely } from 'kysely';
import { withId } from './_engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('alert_push_subscriptions'))
    // The push service's URL for this browser: a capability (whoever holds it can push or unsubscribe).
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    // The browser's P-256 public key (65 bytes) and auth secret (16 bytes), base64url.
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alert_push_sections')
    .addColumn('subscription_id', 'integer', (c) => c.notNull().references('alert_push_subscriptions.id').onDelete('cascade'))
    // A section's slug, or '*' for all breaking news.
    .addColumn('section', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_push_sections_pk', ['subscription_id', 'section'])
    .execute();
  await db.schema.createIndex('alert_push_sections_section').on('alert_push_sections').columns(['section', 'subscription_id']).execute();
  await db.schema.alterTable('alert_deliveries').addColumn('retry_at', 'text').execute();
  await db.schema.createIndex('alert_deliveries_channel').on('alert_deliveries').columns(['alert_id', 'channel', 'status', 'subscriber_id']).execute();
  // JSON {"email": n, "push": m}: the recipients the ledger was written for, per channel.
  await db.schema.alterTable('alerts').addColumn('audience', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alerts').dropColumn('audience').execute();
  await db.schema.dropIndex('alert_deliveries_channel').execute();
  await db.schema.alterTable('alert_deliveries').dropColumn('retry_at').execute();
  await db.schema.dropTable('alert_push_sections').execute();
  await db.schema.dropTable('alert_push_subscriptions').execute();
}
