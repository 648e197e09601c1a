// Many alert recipients at once, written straight to the alerts tables in chunks (signing up
// 20,000 readers one by one through the forms would test the forms, not the fan-out): confirmed
// email subscribers and browser push subscriptions, all following every section.
import type { Db } from '../../src/platform/db.ts';

type Tables = {
  alert_subscribers: { id?: number; email: string; status: string; created_at: string; updated_at: string; confirmed_at: string | null };
  alert_subscriber_sections: { subscriber_id: number; section: string };
  alert_push_subscriptions: { id?: number; endpoint: string; p256dh: string; auth: string; created_at: string; updated_at: string };
  alert_push_sections: { subscription_id: number; section: string };
};

const CHUNK = 400;

/** `count` confirmed subscribers `reader<i>@<domain>` of all breaking news. */
export async function addEmailSubscribers(db: Db, count: number, domain = 'crowd.test'): Promise<void> {
  const t = db.withTables<Tables>();
  const now = new Date().toISOString();
  for (let i = 0; i < count; i += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, count - i) }, (_, j) => ({ email: `reader${i + j}@${domain}`, status: 'active', created_at: now, updated_at: now, confirmed_at: now }));
    const ids = await t.insertInto('alert_subscribers').values(rows).returning('id').execute();
    await t.insertInto('alert_subscriber_sections').values(ids.map(({ id }) => ({ subscriber_id: id!, section: '*' }))).execute();
  }
}

/** These browser subscriptions, each following all breaking news. */
export async function addPushSubscriptions(db: Db, subscriptions: { endpoint: string; keys: { p256dh: string; auth: string } }[]): Promise<void> {
  const t = db.withTables<Tables>();
  const now = new Date().toISOString();
  for (let i = 0; i < subscriptions.length; i += CHUNK) {
    const rows = subscriptions.slice(i, i + CHUNK).map((s) => ({ endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth, created_at: now, updated_at: now }));
    const ids = await t.insertInto('alert_push_subscriptions').values(rows).returning('id').execute();
    await t.insertInto('alert_push_sections').values(ids.map(({ id }) => ({ subscription_id: id!, section: '*' }))).execute();
  }
}
