// All SQL for push subscriptions: one row per push endpoint with the sections it follows ('*' =
// all breaking news). Subscribing again with the same endpoint updates that row (same id), so a
// browser is never two recipients.
import type { Generated, Kysely } from 'kysely';
import type { Db } from '../../platform/db.ts';

export type PushTables = {
  alert_push_subscriptions: { id: Generated<number>; endpoint: string; p256dh: string; auth: string; created_at: string; updated_at: string };
  alert_push_sections: { subscription_id: number; section: string };
};

export interface PushSubscriptionRecord {
  id: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  sections: string[];
}

export class PushSubscriptionRepository {
  private readonly db: Kysely<PushTables>;

  constructor(db: Db) {
    this.db = db.withTables<PushTables>();
  }

  /** Stores the subscription (replacing the row of the same endpoint, and of `replaces`), in one transaction. */
  async save(input: { endpoint: string; p256dh: string; auth: string; sections: string[]; replaces?: string }, now: string): Promise<{ id: number; created: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      if (input.replaces && input.replaces !== input.endpoint) await trx.deleteFrom('alert_push_subscriptions').where('endpoint', '=', input.replaces).execute();
      const existing = await trx.selectFrom('alert_push_subscriptions').select('id').where('endpoint', '=', input.endpoint).executeTakeFirst();
      let id: number;
      if (existing) {
        id = existing.id;
        await trx.updateTable('alert_push_subscriptions').set({ p256dh: input.p256dh, auth: input.auth, updated_at: now }).where('id', '=', id).execute();
        await trx.deleteFrom('alert_push_sections').where('subscription_id', '=', id).execute();
      } else {
        // Two requests for one new endpoint at once: the unique endpoint lets one in; the other updates it.
        const row = await trx
          .insertInto('alert_push_subscriptions')
          .values({ endpoint: input.endpoint, p256dh: input.p256dh, auth: input.auth, created_at: now, updated_at: now })
          .onConflict((oc) => oc.column('endpoint').doUpdateSet({ p256dh: input.p256dh, auth: input.auth, updated_at: now }))
          .returning('id')
          .executeTakeFirstOrThrow();
        id = row.id;
        await trx.deleteFrom('alert_push_sections').where('subscription_id', '=', id).execute();
      }
      await trx.insertInto('alert_push_sections').values(input.sections.map((section) => ({ subscription_id: id, section }))).execute();
      return { id, created: !existing };
    });
  }

  async byEndpoint(endpoint: string): Promise<PushSubscriptionRecord | undefined> {
    const row = await this.db.selectFrom('alert_push_subscriptions').selectAll().where('endpoint', '=', endpoint).executeTakeFirst();
    if (!row) return undefined;
    const sections = await this.db.selectFrom('alert_push_sections').select('section').where('subscription_id', '=', row.id).orderBy('section').execute();
    return { id: row.id, endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth, sections: sections.map((s) => s.section) };
  }

  /** Removes the subscription; true when there was one. */
  async remove(endpoint: string): Promise<boolean> {
    const result = await this.db.deleteFrom('alert_push_subscriptions').where('endpoint', '=', endpoint).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async removeIds(ids: number[]): Promise<void> {
    if (ids.length) await this.db.deleteFrom('alert_push_subscriptions').where('id', 'in', ids).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('alert_push_subscriptions').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
