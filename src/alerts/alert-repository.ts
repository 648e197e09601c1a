// All SQL for sent alerts and their per-recipient ledger: (alert, subscriber, channel) → queued,
// sent, failed or suppressed, with the reason. For channel 'email' the subscriber is a row of
// alert_subscribers; for 'push', a row of alert_push_subscriptions.
import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { PushTables } from './push/push-subscription-repository.ts';
import type { SubscriberTables } from './subscriber-repository.ts';

export type AlertStatus = 'queued' | 'sending' | 'complete';
export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'suppressed';
export type Channel = 'email' | 'push';
export const CHANNELS: readonly Channel[] = ['email', 'push'];
/** The reason a delivery to a subscription the push service said is gone (404/410) starts with. */
export const GONE = 'gone';

type AlertTables = SubscriberTables &
  PushTables & {
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
      audience: string | null;
    };
    alert_deliveries: {
      alert_id: number;
      subscriber_id: number;
      channel: string;
      status: DeliveryStatus;
      reason: string;
      attempts: number;
      updated_at: string;
      retry_at: string | null;
    };
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
  /** Recipients per channel, fixed when the ledger was written (null before). */
  audience: Record<Channel, number> | null;
}

/** Where a channel's deliveries stand; `removed`: push subscriptions the push service said are gone. */
export type DeliveryCounts = Record<DeliveryStatus | 'removed', number>;

interface Queued {
  subscriberId: number;
  attempts: number;
}

export interface QueuedEmail extends Queued {
  /** Null when the subscriber row is gone. */
  email: string | null;
  /** The subscriber's state now: one who unsubscribed or paused since the ledger was built is not sent to. */
  subscriberStatus: string | null;
  suppressed: boolean;
}

export interface QueuedPush extends Queued {
  /** Null when the browser unsubscribed (or its subscription was dropped) since the ledger was built. */
  endpoint: string | null;
  p256dh: string;
  auth: string;
}

/** What became of one delivery; `queued` with `retryAt` is a "later". */
export interface DeliveryResult {
  subscriberId: number;
  status: DeliveryStatus;
  reason: string;
  retryAt?: string;
  /** False for a row not tried this time (its route asked for time): its attempts stay. */
  tried?: boolean;
}

export class AlertRepository {
  private readonly db: Kysely<AlertTables>;

  constructor(db: Db) {
    this.db = db.withTables<AlertTables>();
  }

  transaction<T>(fn: (repo: AlertRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new AlertRepository(trx as unknown as Db), trx as unknown as Db));
  }

  async insert(alert: Omit<Alert, 'id' | 'status' | 'completedAt' | 'audience'>): Promise<number> {
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

  /** Active email subscribers and push subscriptions the alert's sections reach (everyone for ['*']). */
  async audienceCount(sections: string[]): Promise<Record<Channel, number>> {
    const [email, push] = await Promise.all([
      this.emailAudience(sections).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      this.pushAudience(sections).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { email: Number(email.n), push: Number(push.n) };
  }

  /**
   * Writes the ledger: a queued delivery for every email subscriber and every push subscription
   * the alert reaches, one statement per channel (run it in a transaction: a crash leaves all or
   * none), then marks the alert sending with the audience it was written for.
   */
  async buildLedger(alert: Alert, now: string): Promise<void> {
    const row = (channel: Channel, id: 'alert_subscribers.id' | 'alert_push_subscriptions.id') =>
      [
        sql<number>`cast(${alert.id} as integer)`.as('alert_id'),
        sql<number>`${sql.ref(id)}`.as('subscriber_id'),
        sql<string>`cast(${channel} as text)`.as('channel'),
        sql<DeliveryStatus>`'queued'`.as('status'),
        sql<string>`''`.as('reason'),
        sql<number>`0`.as('attempts'),
        sql<string>`cast(${now} as text)`.as('updated_at'),
      ] as const;
    const columns = ['alert_id', 'subscriber_id', 'channel', 'status', 'reason', 'attempts', 'updated_at'] as const;
    await this.db.insertInto('alert_deliveries').columns(columns).expression(this.emailAudience(alert.sections).select(row('email', 'alert_subscribers.id'))).execute();
    await this.db.insertInto('alert_deliveries').columns(columns).expression(this.pushAudience(alert.sections).select(row('push', 'alert_push_subscriptions.id'))).execute();
    const counted = await this.db
      .selectFrom('alert_deliveries')
      .select(['channel', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('alert_id', '=', alert.id)
      .groupBy('channel')
      .execute();
    const audience: Record<Channel, number> = { email: 0, push: 0 };
    for (const c of counted) audience[c.channel as Channel] = Number(c.n);
    await this.db.updateTable('alerts').set({ status: 'sending', audience: JSON.stringify(audience) }).where('id', '=', alert.id).where('status', '=', 'queued').execute();
  }

  /** The next email deliveries due, lowest subscriber first (a resumed run goes on where it stopped). */
  async queuedEmail(alertId: number, limit: number, now: string): Promise<QueuedEmail[]> {
    const rows = await this.due(alertId, 'email', now)
      .leftJoin('alert_subscribers', 'alert_subscribers.id', 'alert_deliveries.subscriber_id')
      .leftJoin('alert_suppressions', 'alert_suppressions.email', 'alert_subscribers.email')
      .select(['alert_deliveries.subscriber_id as subscriberId', 'alert_deliveries.attempts', 'alert_subscribers.email', 'alert_subscribers.status as subscriberStatus', 'alert_suppressions.reason as suppression'])
      .orderBy('alert_deliveries.subscriber_id')
      .limit(limit)
      .execute();
    return rows.map(({ suppression, ...row }) => ({ ...row, suppressed: suppression !== null }));
  }

  /** The next push deliveries due, lowest subscription first. */
  async queuedPush(alertId: number, limit: number, now: string): Promise<QueuedPush[]> {
    const rows = await this.due(alertId, 'push', now)
      .leftJoin('alert_push_subscriptions', 'alert_push_subscriptions.id', 'alert_deliveries.subscriber_id')
      .select(['alert_deliveries.subscriber_id as subscriberId', 'alert_deliveries.attempts', 'alert_push_subscriptions.endpoint', 'alert_push_subscriptions.p256dh', 'alert_push_subscriptions.auth'])
      .orderBy('alert_deliveries.subscriber_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ ...row, p256dh: row.p256dh ?? '', auth: row.auth ?? '' }));
  }

  /**
   * Writes a batch's outcomes in one transaction (one statement for all the plain "sent"), and
   * drops the push subscriptions the push service said are gone, in the same transaction.
   */
  async record(alertId: number, channel: Channel, results: DeliveryResult[], now: string, goneSubscriptions: number[] = []): Promise<void> {
    if (results.length === 0) return;
    await this.transaction(async (repo) => {
      const sent = results.filter((r) => r.status === 'sent' && !r.reason).map((r) => r.subscriberId);
      for (let i = 0; i < sent.length; i += 500) {
        await repo.db
          .updateTable('alert_deliveries')
          .set((eb) => ({ status: 'sent', reason: '', retry_at: null, updated_at: now, attempts: eb('attempts', '+', 1) }))
          .where('alert_id', '=', alertId)
          .where('channel', '=', channel)
          .where('subscriber_id', 'in', sent.slice(i, i + 500))
          .execute();
      }
      for (const r of results) {
        if (r.status === 'sent' && !r.reason) continue;
        await repo.db
          .updateTable('alert_deliveries')
          .set((eb) => ({ status: r.status, reason: r.reason.slice(0, 300), retry_at: r.retryAt ?? null, updated_at: now, attempts: eb('attempts', '+', r.tried === false ? 0 : 1) }))
          .where('alert_id', '=', alertId)
          .where('channel', '=', channel)
          .where('subscriber_id', '=', r.subscriberId)
          .execute();
      }
      if (channel === 'push' && goneSubscriptions.length) await repo.db.deleteFrom('alert_push_subscriptions').where('id', 'in', goneSubscriptions).execute();
    });
  }

  /** When the alert has work again: now (a delivery is due), the earliest retry, or null (none queued). */
  async nextWork(alertId: number, now: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('alert_deliveries')
      .select((eb) => eb.fn.min('retry_at').as('next'))
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .select(sql<string | number>`sum(case when retry_at is null or retry_at <= ${now} then 1 else 0 end)`.as('due'))
      .where('alert_id', '=', alertId)
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) return null;
    return Number(row.due) > 0 ? now : (row.next as string);
  }

  async complete(alertId: number, now: string): Promise<void> {
    await this.db.updateTable('alerts').set({ status: 'complete', completed_at: now }).where('id', '=', alertId).execute();
  }

  async counts(alertId: number): Promise<Record<Channel, DeliveryCounts>> {
    const rows = await this.db
      .selectFrom('alert_deliveries')
      .select(['channel', 'status', (eb) => eb.fn.countAll<string | number>().as('n'), sql<string | number>`sum(case when reason like ${`${GONE}%`} then 1 else 0 end)`.as('gone')])
      .where('alert_id', '=', alertId)
      .groupBy(['channel', 'status'])
      .execute();
    const counts = { email: emptyCounts(), push: emptyCounts() };
    for (const row of rows) {
      const channel = counts[row.channel as Channel];
      if (!channel) continue;
      const gone = row.status === 'failed' ? Number(row.gone) : 0;
      channel.removed += gone;
      channel[row.status] += Number(row.n) - gone;
    }
    return counts;
  }

  /** Deliveries that ended as sent, per channel and second (for the chart of deliveries over time). */
  async sentPerSecond(alertId: number): Promise<{ channel: Channel; second: string; n: number }[]> {
    const second = sql<string>`substr(updated_at, 1, 19)`;
    const rows = await this.db
      .selectFrom('alert_deliveries')
      .select(['channel', second.as('second'), (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('alert_id', '=', alertId)
      .where('status', '=', 'sent')
      .groupBy(['channel', second])
      .orderBy(second)
      .execute();
    return rows.map((r) => ({ channel: r.channel as Channel, second: r.second, n: Number(r.n) }));
  }

  /** Queued deliveries of the alerts still sending, per channel (the fan-out's queue depth). */
  async queueDepth(): Promise<Record<Channel, number>> {
    const rows = await this.db
      .selectFrom('alert_deliveries')
      .innerJoin('alerts', 'alerts.id', 'alert_deliveries.alert_id')
      .select(['alert_deliveries.channel', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('alerts.status', '!=', 'complete')
      .where('alert_deliveries.status', '=', 'queued')
      .groupBy('alert_deliveries.channel')
      .execute();
    const depth: Record<Channel, number> = { email: 0, push: 0 };
    for (const r of rows) depth[r.channel as Channel] = Number(r.n);
    return depth;
  }

  /**
   * Who was not reached, and why (failed or suppressed), for the newsroom and the API: the
   * address for email; for push only the push service's host (the endpoint itself is a secret).
   */
  async notReached(alertId: number, limit: number): Promise<{ channel: Channel; recipient: string; status: DeliveryStatus; reason: string }[]> {
    const email = await this.db
      .selectFrom('alert_deliveries')
      .leftJoin('alert_subscribers', 'alert_subscribers.id', 'alert_deliveries.subscriber_id')
      .select(['alert_subscribers.email', 'alert_deliveries.subscriber_id', 'alert_deliveries.status', 'alert_deliveries.reason'])
      .where('alert_deliveries.alert_id', '=', alertId)
      .where('alert_deliveries.channel', '=', 'email')
      .where('alert_deliveries.status', 'in', ['failed', 'suppressed'])
      .orderBy('alert_deliveries.subscriber_id')
      .limit(limit)
      .execute();
    const push = await this.db
      .selectFrom('alert_deliveries')
      .leftJoin('alert_push_subscriptions', 'alert_push_subscriptions.id', 'alert_deliveries.subscriber_id')
      .select(['alert_push_subscriptions.endpoint', 'alert_deliveries.subscriber_id', 'alert_deliveries.status', 'alert_deliveries.reason'])
      .where('alert_deliveries.alert_id', '=', alertId)
      .where('alert_deliveries.channel', '=', 'push')
      .where('alert_deliveries.status', 'in', ['failed', 'suppressed'])
      .orderBy('alert_deliveries.subscriber_id')
      .limit(Math.max(0, limit - email.length))
      .execute();
    return [
      ...email.map((r) => ({ channel: 'email' as const, recipient: r.email ?? `subscriber ${r.subscriber_id} (deleted)`, status: r.status, reason: r.reason })),
      ...push.map((r) => ({ channel: 'push' as const, recipient: `browser ${r.subscriber_id}${r.endpoint ? ` via ${hostOf(r.endpoint)}` : ''}`, status: r.status, reason: r.reason })),
    ];
  }

  private due(alertId: number, channel: Channel, now: string) {
    return this.db
      .selectFrom('alert_deliveries')
      .where('alert_deliveries.alert_id', '=', alertId)
      .where('alert_deliveries.channel', '=', channel)
      .where('alert_deliveries.status', '=', 'queued')
      .where((eb) => eb.or([eb('alert_deliveries.retry_at', 'is', null), eb('alert_deliveries.retry_at', '<=', now)]));
  }

  private emailAudience(sections: string[]) {
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

  private pushAudience(sections: string[]) {
    let query = this.db.selectFrom('alert_push_subscriptions');
    if (!sections.includes('*')) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('alert_push_sections')
            .select('alert_push_sections.subscription_id')
            .whereRef('alert_push_sections.subscription_id', '=', 'alert_push_subscriptions.id')
            .where('alert_push_sections.section', 'in', ['*', ...sections]),
        ),
      );
    }
    return query;
  }
}

const emptyCounts = (): DeliveryCounts => ({ queued: 0, sent: 0, failed: 0, suppressed: 0, removed: 0 });

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return 'an unreadable endpoint';
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
    audience: row.audience ? (JSON.parse(row.audience) as Record<Channel, number>) : null,
  };
}
