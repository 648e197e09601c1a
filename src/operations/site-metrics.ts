// What /metrics reports beside the per-feature figures: requests by route pattern, the page cache,
// the change feed, the job table, story events and alert deliveries. Figures that live elsewhere
// (cache counters, the job table, the fan-out's counts) are read when Prometheus scrapes, so the
// reader's hot path pays nothing for them: a page served from the cache touches no metric.
import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Article } from '../articles/model.ts';
import type { FanOutMetrics } from '../alerts/fan-out-metrics.ts';
import type { ChangeFeed } from '../platform/changes.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { jobCounts, type JobType } from '../platform/jobs.ts';
import type { PageCache } from '../platform/page-cache.ts';

export interface SiteMetricSources {
  db: Db;
  clock: Clock;
  changes: ChangeFeed;
  cache: PageCache;
  /** The job types this process knows (their lanes), known once the app is mounted. */
  jobTypes: () => readonly JobType[];
  alerts: FanOutMetrics;
}

/** Requests answered through the router: counted and timed per route pattern (`/:section/:slug`), not per URL. */
export function instrumentRequests(app: FastifyInstance, registry: Registry): void {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'bulletin_http_requests_total', help: 'Requests answered through the router (page-cache hits are bulletin_page_cache_hits_total), by route pattern and status.', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'bulletin_http_request_duration_seconds',
    help: 'Time from request to response sent, through the router, by route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // An address no route matched is one label, not one per URL a scanner tries.
    const route = request.routeOptions.url ?? '(no route)';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}

/** Stories entering, leaving or changing on the reader site, counted as their saves are made. */
export function storyEventCounter(registry: Registry): (before: Article | undefined, after: Article) => void {
  const events = new Counter({ name: 'bulletin_story_events_total', help: 'Stories published, updated while published, and unpublished, on this process.', labelNames: ['event'] as const, registers: [registry] });
  return (before, after) => {
    const was = before?.status === 'published';
    const is = after.status === 'published';
    if (!was && is) events.inc({ event: 'published' });
    else if (was && is) events.inc({ event: 'updated' });
    else if (was && !is) events.inc({ event: 'unpublished' });
  };
}

/** The figures read at scrape time, and the process's own (CPU, memory, event loop, GC). */
export function registerSiteMetrics(registry: Registry, sources: SiteMetricSources): { newScrape(): void } {
  collectDefaultMetrics({ register: registry });
  const readings: (() => void)[] = [];
  const perScrape = <T>(read: () => Promise<T>): (() => Promise<T>) => {
    let value: Promise<T> | undefined;
    readings.push(() => (value = undefined));
    return () => (value ??= read());
  };
  const { cache } = sources;
  const counterOf = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counterOf('bulletin_page_cache_hits_total', 'Reader pages answered from the page cache.', () => cache.hits);
  counterOf('bulletin_page_cache_misses_total', 'Reader pages rendered because the cache did not hold them.', () => cache.misses);
  counterOf('bulletin_page_cache_evictions_total', 'Pages dropped from the page cache to make room (PAGE_CACHE_MB).', () => cache.evictions);
  new Gauge({ name: 'bulletin_page_cache_bytes', help: 'Bytes held by the page cache (every encoding of every page).', registers: [registry], collect() { this.set(cache.totalBytes); } });
  new Gauge({ name: 'bulletin_page_cache_pages', help: 'Pages held by the page cache.', registers: [registry], collect() { this.set(cache.count); } });

  const changeState = perScrape(() => sources.changes.lag());
  new Gauge({ name: 'bulletin_change_feed_lag_seconds', help: 'Age of the oldest change this process has not applied yet (0: up to date).', registers: [registry], async collect() { this.set((await changeState()).seconds); } });
  new Gauge({ name: 'bulletin_change_feed_behind', help: 'Changes recorded that this process has not applied yet.', registers: [registry], async collect() { this.set((await changeState()).behind); } });

  const jobState = perScrape(async () => {
    const lanes = new Map(sources.jobTypes().map((type) => [type.kind as string, type.lane]));
    const counts = new Map((await jobCounts(sources.db, sources.clock.now())).map((row) => [row.kind, row]));
    // Every known kind shows, at 0 when it has nothing waiting, so a dashboard has a line for each.
    for (const kind of counts.keys()) if (!lanes.has(kind)) lanes.set(kind, '(unknown)');
    return [...lanes].map(([kind, lane]) => ({ kind, lane, due: 0, running: 0, failed: 0, oldestDueSeconds: 0, ...counts.get(kind) }));
  });
  new Gauge({
    name: 'bulletin_jobs',
    help: 'Jobs in the job table (the same on every node) by lane, kind and state: due (waiting to run), running, failed (for good).',
    labelNames: ['lane', 'kind', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await jobState()) {
        for (const state of ['due', 'running', 'failed'] as const) this.set({ lane: row.lane, kind: row.kind, state }, row[state]);
      }
    },
  });
  new Gauge({
    name: 'bulletin_job_oldest_due_seconds',
    help: 'How long the oldest due job of each kind has waited to run.',
    labelNames: ['lane', 'kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await jobState()) this.set({ lane: row.lane, kind: row.kind }, row.oldestDueSeconds);
    },
  });

  const alertState = perScrape(() => sources.alerts.snapshot());
  new Counter({
    name: 'bulletin_alert_deliveries_total',
    help: 'Alert deliveries by channel and outcome (sent, failed, suppressed, retried, removed) on this process.',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
    async collect() {
      const snapshot = await alertState();
      this.reset();
      for (const outcome of ['sent', 'failed', 'suppressed', 'retried', 'removed'] as const) {
        for (const [channel, n] of Object.entries(snapshot[outcome])) this.inc({ channel, outcome }, n);
      }
    },
  });
  new Gauge({
    name: 'bulletin_alert_deliveries_queued',
    help: 'Alert deliveries still queued, by channel (from the ledger: the same on every node).',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [channel, n] of Object.entries((await alertState()).queued)) this.set({ channel }, n);
    },
  });
  // Each source is read once per scrape, however many figures it feeds: the route calls this first.
  return { newScrape: () => readings.forEach((forget) => forget()) };
}
