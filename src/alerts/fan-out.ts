// The fan-out of one alert, run by the durable job (fan-out-job.ts). Its first run writes the
// ledger: a queued row per recipient and channel. Each run then drains every channel side by
// side for a few seconds: claims a batch of due rows, sends them (bounded concurrency per route:
// the mail server, or one push service), and writes the batch's outcomes in one transaction.
// A crash loses only the batch in flight (sent, not yet written): those are sent again on the next
// run with the same Message-ID / Topic, so inboxes and push services collapse them. A route that
// says "later" (a mail server's 4xx, a push service's 429 or 5xx, a timeout) is paused for this
// run: its rows wait for the Retry-After (or a backoff) while the other routes go on.
import type { Clock } from '../platform/clock.ts';
import type { Alert, AlertRepository, Channel, DeliveryResult } from './alert-repository.ts';
import { GONE } from './alert-repository.ts';
import { enqueueFanOut } from './fan-out-job.ts';
import type { FanOutMetrics } from './fan-out-metrics.ts';

/** What one delivery came to. `later`: try again after `retryAfterMs` (or a backoff). */
export type Outcome =
  | { kind: 'sent' }
  | { kind: 'suppressed'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'gone'; reason: string }
  | { kind: 'later'; reason: string; retryAfterMs?: number };

/** One way alerts go out (email, push): how its due rows are read and each one is delivered. */
export interface DeliveryChannel<Row extends { subscriberId: number; attempts: number } = { subscriberId: number; attempts: number }> {
  name: Channel;
  /** Rows claimed and written together: also the most a crash can send twice on this channel. */
  batch: number;
  /** Deliveries in flight at once per route. */
  concurrency: number;
  /** "Later" answers a delivery may get before it is failed. */
  maxAttempts: number;
  queued(alertId: number, limit: number, now: string): Promise<Row[]>;
  /** What backs off together: the mail server for email, one push service (origin) for push. */
  route(row: Row): string;
  /** Work done once per alert and run (the rendered payload, the site's name). */
  prepare(alert: Alert): Promise<Deliverer<Row>>;
}

export interface Deliverer<Row> {
  deliver(row: Row): Promise<Outcome>;
}

/** How long one run drains before handing over to the next run (well inside the job's lease). */
export const RUN_BUDGET_MS = 5_000;

/** Waits before retry n of a delivery: 5 s, 10 s, 20 s … at most 10 minutes. */
export function deliveryBackoffMs(attempt: number): number {
  return Math.min(600_000, 5_000 * 2 ** Math.max(0, attempt - 1));
}

/** The most a Retry-After is honoured for: a push service asking for a day is asked again sooner. */
const MAX_RETRY_AFTER_MS = 3600_000;

export class FanOut {
  constructor(
    private readonly repo: AlertRepository,
    private readonly channels: readonly DeliveryChannel[],
    private readonly clock: Clock,
    private readonly metrics: FanOutMetrics,
  ) {}

  /** The most deliveries a crash can send twice: every channel's batch in flight at once. */
  get inFlightBound(): number {
    return this.channels.reduce((sum, c) => sum + c.batch, 0);
  }

  /** One run: 'more' when it queued the next run, 'complete' when every row is accounted for. */
  async run(alertId: number): Promise<'more' | 'complete' | 'gone'> {
    const found = await this.repo.byId(alertId);
    if (!found) return 'gone';
    if (found.status === 'complete') return 'complete';
    const now = () => this.clock.now().toISOString();
    if (found.status === 'queued') await this.repo.transaction((repo) => repo.buildLedger(found, now()));
    const alert = (await this.repo.byId(alertId))!;
    const until = performance.now() + RUN_BUDGET_MS;
    await Promise.all(this.channels.map((channel) => this.drain(alert, channel, until)));
    return this.repo.transaction(async (repo, trx) => {
      const next = await repo.nextWork(alertId, now());
      if (next === null) {
        await repo.complete(alertId, now());
        return 'complete';
      }
      await enqueueFanOut(trx, alertId, this.clock.now(), new Date(next));
      return 'more';
    });
  }

  private async drain(alert: Alert, channel: DeliveryChannel, until: number): Promise<void> {
    const deliverer = await channel.prepare(alert);
    /** Routes that said "later" in this run, and until when (ms since the epoch). */
    const paused = new Map<string, number>();
    while (performance.now() < until) {
      const nowMs = this.clock.now().getTime();
      const rows = await channel.queued(alert.id, channel.batch, new Date(nowMs).toISOString());
      if (rows.length === 0) return;
      const results: DeliveryResult[] = [];
      const gone: number[] = [];
      const byRoute = new Map<string, typeof rows>();
      for (const row of rows) {
        const route = channel.route(row);
        const list = byRoute.get(route);
        if (list) list.push(row);
        else byRoute.set(route, [row]);
      }
      await Promise.all(
        [...byRoute].map(([route, routeRows]) =>
          pool(routeRows, channel.concurrency, async (row) => {
            const pausedUntil = paused.get(route);
            if (pausedUntil !== undefined) {
              // Not tried: the route asked for time; the row keeps its attempts.
              results.push({ subscriberId: row.subscriberId, status: 'queued', reason: 'waiting: the server asked for time', retryAt: new Date(pausedUntil).toISOString(), tried: false });
              return;
            }
            const outcome = await deliverer.deliver(row).catch((error: unknown): Outcome => ({ kind: 'later', reason: error instanceof Error ? error.message : String(error) }));
            results.push(this.result(channel, row, outcome, nowMs, (at) => paused.set(route, Math.max(at, paused.get(route) ?? 0)), gone));
          }),
        ),
      );
      await this.repo.record(alert.id, channel.name, results, this.clock.now().toISOString(), gone);
      for (const r of results) {
        if (r.status === 'queued') this.metrics.count(channel.name, 'retried', r.tried === false ? 0 : 1);
        else if (r.status === 'failed' && r.reason.startsWith(GONE)) this.metrics.count(channel.name, 'removed');
        else this.metrics.count(channel.name, r.status);
      }
      // Every route of this channel is waiting: nothing more to do in this run.
      if (results.every((r) => r.status === 'queued') && [...byRoute.keys()].every((route) => paused.has(route))) return;
    }
  }

  private result(channel: DeliveryChannel, row: { subscriberId: number; attempts: number }, outcome: Outcome, nowMs: number, pause: (untilMs: number) => void, gone: number[]): DeliveryResult {
    const id = row.subscriberId;
    switch (outcome.kind) {
      case 'sent':
        return { subscriberId: id, status: 'sent', reason: '' };
      case 'suppressed':
        return { subscriberId: id, status: 'suppressed', reason: outcome.reason };
      case 'failed':
        return { subscriberId: id, status: 'failed', reason: outcome.reason };
      case 'gone':
        gone.push(id);
        return { subscriberId: id, status: 'failed', reason: `${GONE}: ${outcome.reason}; the subscription was removed` };
      case 'later': {
        const attempt = row.attempts + 1;
        if (attempt >= channel.maxAttempts) return { subscriberId: id, status: 'failed', reason: `gave up after ${channel.maxAttempts} tries: ${outcome.reason}` };
        const wait = Math.min(MAX_RETRY_AFTER_MS, outcome.retryAfterMs ?? deliveryBackoffMs(attempt));
        pause(nowMs + wait);
        return { subscriberId: id, status: 'queued', reason: outcome.reason, retryAt: new Date(nowMs + wait).toISOString() };
      }
    }
  }
}

/** Runs `work` over `items`, at most `limit` at a time, in order of start. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
