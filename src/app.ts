// The whole system on one page: the platform and the audit log (every feature writes to it), then
// each feature built from the ones it names, then mounted in order (the newsroom shell and accounts
// first: their form schemas and gate must see every staff route). A new feature is a folder
// exporting one function, and one line here (ADR 005).
import { accountsFeature } from './accounts/accounts-feature.ts';
import { auditLog } from './accounts/audit-service.ts';
import { adsFeature } from './ads/ads-feature.ts';
import { alertsFeature } from './alerts/alerts-feature.ts';
import { articlesFeature } from './articles/articles-feature.ts';
import { commentsFeature } from './comments/comments-feature.ts';
import { contentApiFeature } from './content-api/content-api-feature.ts';
import { edgeCacheFeature } from './edge-cache/edge-cache-feature.ts';
import { storyDesk } from './articles/newsroom/story-desk.ts';
import { feedsFeature } from './feeds/feeds-feature.ts';
import { oldAddressesFeature } from './importers/wordpress/old-addresses-feature.ts';
import { mediaFeature } from './media/media-feature.ts';
import { mediaScreens } from './media/newsroom/media-screens-feature.ts';
import { newsroomShell } from './newsroom/newsroom-shell.ts';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db.ts';
import type { JobRunner } from './platform/job-runner.ts';
import { openPlatform, type Platform, type PlatformOptions } from './platform/platform.ts';
import { relatedFeature } from './search/related-feature.ts';
import { operationsFeature } from './operations/operations-feature.ts';
import { searchFeature } from './search/search-feature.ts';
import { settingsScreens } from './settings/newsroom/settings-screens.ts';
import { settingsFeature } from './settings/settings-feature.ts';
import { siteSurface } from './site/site-surface.ts';
import type { FastifyInstance } from 'fastify';

export type BuildOptions = PlatformOptions;

/** Every feature of the site, built (nothing mounted yet). */
function buildFeatures(platform: Platform) {
  const audit = auditLog(platform);
  const media = mediaFeature(platform, { audit });
  const settings = settingsFeature(platform, { media: media.api });
  const newsroom = newsroomShell(platform, { settings: settings.api });
  const accounts = accountsFeature(platform, { newsroom: newsroom.api, settings: settings.api, audit });
  const articles = articlesFeature(platform, { media: media.api, audit });
  const ads = adsFeature(platform);
  const comments = commentsFeature(platform, { articles: articles.api, newsroom: newsroom.api, audit, staff: accounts.api.accounts, settings: settings.api });
  const site = siteSurface(platform, { articles: articles.api, media: media.api, ads: ads.api, settings: settings.api, comments: comments.api, islands: newsroom.api.islands });
  const search = searchFeature(platform, { articles: articles.api, settings: settings.api, front: site.api.front, cards: site.api.cards });
  const contentApi = contentApiFeature(platform, { articles: articles.api, media: media.api, search: search.api, front: site.api.front });
  const related = relatedFeature(platform, { articles: articles.api, media: media.api, pages: site.api.pages, newsroom: newsroom.api });
  const feeds = feedsFeature(platform, { articles: articles.api, media: media.api, settings: settings.api, responder: site.api.responder });
  const desk = storyDesk(platform, { articles: articles.api, media: media.api, newsroom: newsroom.api, preview: site.api.pages });
  const library = mediaScreens({ media: media.api, accounts: accounts.api.accounts, newsroom: newsroom.api });
  const alerts = alertsFeature(platform, { articles: articles.api.articles, topics: articles.api.topics, settings: settings.api, site: site.api, newsroom: newsroom.api, audit });
  const siteSettings = settingsScreens({ settings: settings.api, accounts: accounts.api, media: media.api, newsroom: newsroom.api });
  const oldAddresses = oldAddressesFeature(platform, { articles: articles.api, newsroom: newsroom.api });
  const edgeCache = edgeCacheFeature(platform);
  const features = [newsroom, accounts, media, settings, articles, ads, comments, site, search, contentApi, related, feeds, desk, library, alerts, siteSettings, oldAddresses, edgeCache];
  const jobTypes = () => features.flatMap((feature) => feature.jobs ?? []).map((binding) => binding.type);
  const operations = operationsFeature(platform, { articles: articles.api, media: media.api, alerts: alerts.api, cache: site.api.responder.cache, jobTypes });
  // Operations first: its request hooks (metrics) then see every route.
  const mounted = [operations, ...features];
  const services = {
    ...articles.api,
    ...media.api,
    ...accounts.api,
    ...alerts.api,
    ads: ads.api,
    settings: settings.api,
    comments: comments.api,
    search: search.api.search,
    related: related.api.related,
    topicSuggestions: related.api.topicSuggestions,
    changes: platform.changes,
    oldAddresses: oldAddresses.api,
    edgeCache: edgeCache.api,
    pages: site.api.pages,
    responder: site.api.responder,
    contentApi: contentApi.api,
  };
  // The site's cached pages answer first, then the Content API's cached answers.
  return { mounted, services, front: contentApi.api.front };
}

/** What tests, benchmarks and the CLI's seed and import commands call. */
export type Services = ReturnType<typeof buildFeatures>['services'];

export interface BulletinApp {
  app: FastifyInstance;
  services: Services;
  database: Database;
  config: Config;
  /** Durable jobs (scheduled publishing, AVIF image variants); started with the change watcher. */
  jobs: JobRunner;
  /** Stops gracefully: requests in flight and running jobs get `graceMs` (default SHUTDOWN_GRACE_SECONDS). */
  close(graceMs?: number): Promise<void>;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<BulletinApp> {
  const platform = await openPlatform(config, options);
  const { mounted, services, front } = buildFeatures(platform);
  const { app, jobs, close } = await platform.mount(mounted, front);
  return { app, services, database: platform.database, config, jobs, close };
}

/** The services alone, without HTTP, for scripts over the site's database (seed, import, benchmarks). */
export async function buildServices(config: Config, options: BuildOptions = {}): Promise<{ services: Services; database: Database }> {
  const platform = await openPlatform(config, { ...options, watchChanges: false });
  return { services: buildFeatures(platform).services, database: platform.database };
}
