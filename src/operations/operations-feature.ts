// Seeing the site run: /readyz for load balancers (the platform answers /healthz on every node), /metrics for
// Prometheus (requests per route, the page cache, the change feed, jobs, story events, image work,
// alert deliveries, the process itself). Mounted first, so its request hooks see every route.
import type { Alerts } from '../alerts/alerts-feature.ts';
import type { Articles } from '../articles/articles-feature.ts';
import type { Media } from '../media/media-feature.ts';
import type { Feature } from '../platform/feature.ts';
import type { JobType } from '../platform/jobs.ts';
import type { PageCache } from '../platform/page-cache.ts';
import type { Platform } from '../platform/platform.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { registerMetricsRoute } from './metrics-route.ts';
import { instrumentRequests, registerSiteMetrics, storyEventCounter } from './site-metrics.ts';

export interface OperationsDeps {
  articles: Articles;
  media: Media;
  alerts: Pick<Alerts, 'alertMetrics'>;
  cache: PageCache;
  /** The job types of every mounted feature (their lanes), for the job figures. */
  jobTypes: () => readonly JobType[];
}

export function operationsFeature(platform: Platform, deps: OperationsDeps): Feature<Record<string, never>> {
  const { config, database, clock, changes, metrics } = platform;
  const { newScrape } = registerSiteMetrics(metrics, { db: database.db, clock, changes, cache: deps.cache, jobTypes: deps.jobTypes, alerts: deps.alerts.alertMetrics });
  const countStoryEvent = storyEventCounter(metrics);
  deps.articles.articles.onSave(async (_trx, before, after) => countStoryEvent(before, after));
  return {
    name: 'operations',
    api: {},
    // On every node, the worker's included: what operators watch is the same wherever it runs.
    operatorRoutes(app) {
      instrumentRequests(app, metrics);
      registerHealthRoutes(app, { database, clock, store: deps.media.store, maxJobLagMs: config.readyJobLagMs, log: app.log });
      registerMetricsRoute(app, metrics, config.metricsToken, newScrape);
    },
  };
}
