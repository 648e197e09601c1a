// All SQL for alert subscribers: who they are, which sections they follow ('*' = all breaking
// news), the suppression list, and the sign-up attempts the per-client limit counts.
import type { Generated, Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';

export type SubscriberStatus = 'pending' | 'active' | 'paused' | 'unsubscribed';

export type SubscriberTables = {
  alert_subscribers: {
    id: Generated<number>;
    email: string;
    status: SubscriberStatus;
    created_at: string;
    updated_at: string;
    confirmed_at: string | null;
    confirm_sent_at: string | null;
  };
  alert_subscriber_sections: { subscriber_id: number; section: string };
  alert_suppressions: { email: string; reason: string; at: string };
  alert_signup_attempts: { client: string; at: string };
};

export interface Subscriber {
  id: number;
  email: string;
  status: SubscriberStatus;
  /** Section slugs, or ['*'] for all breaking news. */
  sections: string[];
  confirmSentAt: string | null;
}

export class SubscriberRepository {
  private readonly db: Kysely<SubscriberTables>;

  constructor(db: Db) {
    this.db = db.withTables<SubscriberTables>();
  }

  transaction<T>(fn: (repo: SubscriberRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new SubscriberRepository(trx as unknown as Db), trx as unknown as Db));
  }

  async byEmail(email: string): Promise<Subscriber | undefined> {
    const row = await this.db.selectFrom('alert_subscribers').selectAll().where('email', '=', email).executeTakeFirst();
    return row && this.hydrate(row);
  }

  async byId(id: number): Promise<Subscriber | undefined> {
    const row = await this.db.selectFrom('alert_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.hydrate(row);
  }

  async insert(email: string, now: string): Promise<number> {
    const row = await this.db
      .insertInto('alert_subscribers')
      .values({ email, status: 'pending', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async setStatus(id: number, status: SubscriberStatus, now: string, extra: { confirmedAt?: string } = {}): Promise<void> {
    await this.db
      .updateTable('alert_subscribers')
      .set({ status, updated_at: now, ...(extra.confirmedAt ? { confirmed_at: extra.confirmedAt } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async setSections(id: number, sections: string[]): Promise<void> {
    await this.db.deleteFrom('alert_subscriber_sections').where('subscriber_id', '=', id).execute();
    if (sections.length) await this.db.insertInto('alert_subscriber_sections').values(sections.map((section) => ({ subscriber_id: id, section }))).execute();
  }

  /** Records a confirmation mail, unless one went out since `since`: false then (nothing sent). */
  async claimConfirmationSlot(id: number, now: string, since: string): Promise<boolean> {
    const result = await this.db
      .updateTable('alert_subscribers')
      .set({ confirm_sent_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('confirm_sent_at', 'is', null), eb('confirm_sent_at', '<', since)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (await this.db.selectFrom('alert_suppressions').select('email').where('email', '=', email).executeTakeFirst()) !== undefined;
  }

  async suppress(email: string, reason: string, now: string): Promise<void> {
    await this.db.deleteFrom('alert_suppressions').where('email', '=', email).execute();
    await this.db.insertInto('alert_suppressions').values({ email, reason, at: now }).execute();
  }

  /** A new, confirmed opt-in lifts an earlier unsubscribe. */
  async unsuppress(email: string): Promise<void> {
    await this.db.deleteFrom('alert_suppressions').where('email', '=', email).execute();
  }

  async countAttempts(client: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('alert_signup_attempts')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('client', '=', client)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async recordAttempt(client: string, at: string): Promise<void> {
    await this.db.insertInto('alert_signup_attempts').values({ client, at }).execute();
  }

  async pruneAttempts(before: string): Promise<void> {
    await this.db.deleteFrom('alert_signup_attempts').where('at', '<', before).execute();
  }

  private async hydrate(row: { id: number; email: string; status: SubscriberStatus; confirm_sent_at: string | null }): Promise<Subscriber> {
    const sections = await this.db.selectFrom('alert_subscriber_sections').select('section').where('subscriber_id', '=', row.id).orderBy('section').execute();
    return { id: row.id, email: row.email, status: row.status, sections: sections.map((s) => s.section), confirmSentAt: row.confirm_sent_at };
  }
}
