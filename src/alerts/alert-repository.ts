// All SQL for sent alerts and their per-recipient ledger (alert, subscriber, channel → queued,
// sent, failed or suppressed, with the reason).
import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { SubscriberTables } from './subscriber-repository.ts';

export type AlertStatus = 'queued' | 'sending' | 'complete';
export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'suppressed';

type AlertTables = SubscriberTables & {
  alerts: {
    id: Generated<number>;
    title: string;
    text: string;
    url: string;
    article_id: number | null;
    sections: string;
    status: AlertStatus;
    idempotency_key: string | null;
    created_by: string;
    created_at: string;
    completed_at: string | null;
  };
  alert_deliveries: { alert_id: number; subscriber_id: number; channel: string; status: DeliveryStatus; reason: string; attempts: number; updated_at: string };
};

export interface Alert {
  id: number;
  title: string;
  text: string;
  url: string;
  articleId: number | null;
  sections: string[];
  status: AlertStatus;
  idempotencyKey: string | null;
  createdBy: string;
  createdAt: string;
  completedAt: string | null;
}

export type DeliveryCounts = Record<DeliveryStatus, number>;

export interface QueuedDelivery {
  subscriberId: number;
  email: string;
  /** The subscriber's state now: one who unsubscribed or paused since the ledger was built is not sent to. */
  subscriberStatus: string;
  attempts: number;
}

export class AlertRepository {
  private readonly db: Kysely<AlertTables>;

  constructor(db: Db) {
    this.db = db.withTables<AlertTables>();
  }

  transaction<T>(fn: (repo: AlertRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new AlertRepository(trx as unknown as Db), trx as unknown as Db));
  }

  async insert(alert: Omit<Alert, 'id' | 'status' | 'completedAt'>): Promise<number> {
    const row = await this.db
      .insertInto('alerts')
      .values({
        title: alert.title,
        text: alert.text,
        url: alert.url,
        article_id: alert.articleId,
        sections: JSON.stringify(alert.sections),
        status: 'queued',
        idempotency_key: alert.idempotencyKey,
        created_by: alert.createdBy,
        created_at: alert.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async byId(id: number): Promise<Alert | undefined> {
    const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAlert(row);
  }

  async byIdempotencyKey(key: string): Promise<Alert | undefined> {
    const row = await this.db.selectFrom('alerts').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
    return row && toAlert(row);
  }

  async list(limit: number): Promise<Alert[]> {
    return (await this.db.selectFrom('alerts').selectAll().orderBy('id', 'desc').limit(limit).execute()).map(toAlert);
  }

  /** Active subscribers the alert's sections reach (everyone for ['*']). */
  async audienceCount(sections: string[]): Promise<number> {
    const row = await this.audience(sections).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Writes the ledger: a queued email delivery for every subscriber the alert reaches, in one
   * statement (a crash leaves all or none), and marks the alert sending.
   */
  async buildLedger(alert: Alert, now: string): Promise<void> {
    await this.db
      .insertInto('alert_deliveries')
      .columns(['alert_id', 'subscriber_id', 'channel', 'status', 'reason', 'attempts', 'updated_at'])
      .expression(
        this.audience(alert.sections).select([
          sql<number>`cast(${alert.id} as integer)`.as('alert_id'),
          'alert_subscribers.id as subscriber_id',
          sql<string>`'email'`.as('channel'),
          sql<DeliveryStatus>`'queued'`.as('status'),
          sql<string>`''`.as('reason'),
          sql<number>`0`.as('attempts'),
          sql<string>`cast(${now} as text)`.as('updated_at'),
        ]),
      )
      .execute();
    await this.db.updateTable('alerts').set({ status: 'sending' }).where('id', '=', alert.id).where('status', '=', 'queued').execute();
  }

  /** The next queued deliveries, lowest subscriber first (a resumed run goes on where it stopped). */
  async queued(alertId: number, limit: number): Promise<QueuedDelivery[]> {
    return this.db
      .selectFrom('alert_deliveries')
      .innerJoin('alert_subscribers', 'alert_subscribers.id', 'alert_deliveries.subscriber_id')
      .select(['alert_deliveries.subscriber_id as subscriberId', 'alert_subscribers.email', 'alert_subscribers.status as subscriberStatus', 'alert_deliveries.attempts'])
      .where('alert_deliveries.alert_id', '=', alertId)
      .where('alert_deliveries.status', '=', 'queued')
      .orderBy('alert_deliveries.subscriber_id')
      .limit(limit)
      .execute();
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (await this.db.selectFrom('alert_suppressions').select('email').where('email', '=', email).executeTakeFirst()) !== undefined;
  }

  async mark(alertId: number, subscriberId: number, status: DeliveryStatus, reason: string, now: string): Promise<void> {
    await this.db
      .updateTable('alert_deliveries')
      .set((eb) => ({ status, reason, updated_at: now, attempts: eb('attempts', '+', 1) }))
      .where('alert_id', '=', alertId)
      .where('subscriber_id', '=', subscriberId)
      .where('channel', '=', 'email')
      .execute();
  }

  /** A "not now" from the mail server: counted, still queued. */
  async deferred(alertId: number, subscriberId: number, reason: string, now: string): Promise<void> {
    await this.db
      .updateTable('alert_deliveries')
      .set((eb) => ({ reason, updated_at: now, attempts: eb('attempts', '+', 1) }))
      .where('alert_id', '=', alertId)
      .where('subscriber_id', '=', subscriberId)
      .where('channel', '=', 'email')
      .execute();
  }

  async complete(alertId: number, now: string): Promise<void> {
    await this.db.updateTable('alerts').set({ status: 'complete', completed_at: now }).where('id', '=', alertId).execute();
  }

  async counts(alertId: number): Promise<DeliveryCounts> {
    const rows = await this.db
      .selectFrom('alert_deliveries')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('alert_id', '=', alertId)
      .groupBy('status')
      .execute();
    const counts: DeliveryCounts = { queued: 0, sent: 0, failed: 0, suppressed: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  /** Who was not reached, and why (failed or suppressed), for the newsroom and the API. */
  async notReached(alertId: number, limit: number): Promise<{ email: string; status: DeliveryStatus; reason: string }[]> {
    return this.db
      .selectFrom('alert_deliveries')
      .innerJoin('alert_subscribers', 'alert_subscribers.id', 'alert_deliveries.subscriber_id')
      .select(['alert_subscribers.email', 'alert_deliveries.status', 'alert_deliveries.reason'])
      .where('alert_deliveries.alert_id', '=', alertId)
      .where('alert_deliveries.status', 'in', ['failed', 'suppressed'])
      .orderBy('alert_deliveries.subscriber_id')
      .limit(limit)
      .execute();
  }

  private audience(sections: string[]) {
    let query = this.db.selectFrom('alert_subscribers').where('alert_subscribers.status', '=', 'active');
    if (!sections.includes('*')) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('alert_subscriber_sections')
            .select('alert_subscriber_sections.subscriber_id')
            .whereRef('alert_subscriber_sections.subscriber_id', '=', 'alert_subscribers.id')
            .where('alert_subscriber_sections.section', 'in', ['*', ...sections]),
        ),
      );
    }
    return query;
  }
}

function toAlert(row: Selectable<AlertTables['alerts']>): Alert {
  return {
    id: row.id,
    title: row.title,
    text: row.text,
    url: row.url,
    articleId: row.article_id,
    sections: JSON.parse(row.sections) as string[],
    status: row.status,
    idempotencyKey: row.idempotency_key,
    createdBy: row.created_by,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}
