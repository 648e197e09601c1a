// buildApp(config): opens the database, wires platform, features, site and feeds into one Fastify app.
import fs from 'node:fs';
import http from 'node:http';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { AdsRepository } from './ads/repository.ts';
import { registerAdsRoutes } from './ads/routes.ts';
import { AdsService } from './ads/service.ts';
import { ArticlesRepository } from './articles/repository.ts';
import { ArticlesService, type Clock } from './articles/service.ts';
import { FeedPages } from './feeds/feed-pages.ts';
import { registerFeedRoutes } from './feeds/routes.ts';
import { VideoRepository } from './media/video-repository.ts';
import { VideoService } from './media/video-service.ts';
import { ChangeFeed } from './platform/changes.ts';
import type { Config } from './platform/config.ts';
import { migrate, openDatabase, type Database } from './platform/db.ts';
import { installErrorHandlers } from './platform/http-errors.ts';
import { prettyLogStream } from './platform/log-format.ts';
import { PageCache } from './platform/page-cache.ts';
import { PageResponder } from './platform/page-responder.ts';
import { projectFile } from './platform/paths.ts';
import { cspHash, securityHeaders } from './platform/security.ts';
import { SettingsService } from './settings/service.ts';
import { SitePages } from './site/pages.tsx';
import { registerSiteRoutes } from './site/routes.ts';

export interface Services {
  articles: ArticlesService;
  videos: VideoService;
  ads: AdsService;
  settings: SettingsService;
  changes: ChangeFeed;
  pages: SitePages;
  responder: PageResponder;
}

export interface BulletinApp {
  app: FastifyInstance;
  services: Services;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
  /** Start polling for changes written by other processes (off for one-shot CLI commands). */
  watchChanges?: boolean;
}

const systemClock: Clock = { now: () => new Date() };

/** The reader stylesheet, inlined into every page (one request, no render-blocking CSS). */
export function readerCss(): string {
  const raw = fs.readFileSync(projectFile('src/site/styles.css'), 'utf8');
  return raw.replace(/\n+/g, '').trim();
}

/** The services alone, without HTTP: what the CLI needs. */
export async function buildServices(config: Config, options: BuildOptions = {}): Promise<{ services: Services; database: Database; css: string }> {
  const database = await openDatabase(config.database);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const { db } = database;
  const changes = new ChangeFeed(db, config.changePollMs);
  const articles = new ArticlesService(new ArticlesRepository(db, database.engine), changes, clock);
  const videos = new VideoService(new VideoRepository(db));
  const ads = new AdsService(new AdsRepository(db), changes);
  const settings = new SettingsService(db, changes, { siteName: config.siteName, tagline: '', adsTxt: '' });
  const css = readerCss();
  const responder = new PageResponder(new PageCache(config.pageCacheBytes), securityHeaders({ inlineStyleHashes: [cspHash(css)] }));
  changes.onChange((tags) => responder.invalidate(tags));
  const pages = new SitePages({ articles, videos, ads, settings, siteUrl: config.siteUrl, timeZone: config.timeZone, css });
  return { services: { articles, videos, ads, settings, changes, pages, responder }, database, css };
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<BulletinApp> {
  const { services, database, css } = await buildServices(config, options);
  const { responder, pages, settings } = services;
  const baseHeaders = securityHeaders({ inlineStyleHashes: [cspHash(css)] });

  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, ...(config.logFormat === 'pretty' && { stream: prettyLogStream() }) },
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    // Cached pages are answered before routing, straight from memory: the reader hot path.
    serverFactory: (handler) =>
      http.createServer((req, res) => {
        if (!responder.tryServe(req, res)) handler(req, res);
      }),
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(baseHeaders)) if (!reply.hasHeader(name)) reply.header(name, value);
    return payload;
  });

  installErrorHandlers(app, {
    notFound: () => pages.notFound(),
    serverError: () => pages.serverError(config.siteName),
    badRequest: (message) => pages.badRequest(config.siteName, message),
  });
  registerSiteRoutes(app, pages, responder);
  registerFeedRoutes(app, new FeedPages(services.articles, settings, config.siteUrl), responder);
  registerAdsRoutes(app, settings, responder);

  if (options.watchChanges !== false) await services.changes.start();
  const pruneTimer = setInterval(() => void services.changes.prune().catch(() => undefined), 3600_000);
  pruneTimer.unref();

  return {
    app,
    services,
    database,
    config,
    async close() {
      clearInterval(pruneTimer);
      services.changes.stop();
      await app.close();
      await database.close();
    },
  };
}
