// buildApp(config): opens the database, wires platform, features, site and feeds into one Fastify app.
import fs from 'node:fs';
import http from 'node:http';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { AuditLog } from './accounts/audit.ts';
import { installAuth, requirePermission } from './accounts/http.ts';
import { AccountsRepository } from './accounts/repository.ts';
import { AccountsService } from './accounts/service.ts';
import { TokensService } from './accounts/tokens.ts';
import { AdsRepository } from './ads/repository.ts';
import { registerAdsRoutes } from './ads/routes.ts';
import { AdsService } from './ads/service.ts';
import { ArticlesRepository } from './articles/repository.ts';
import { registerArticleJobs } from './articles/scheduler.ts';
import { AuthorProfiles } from './articles/author-profiles.ts';
import { registerAuthorsAdminApi } from './articles/authors-admin-api.ts';
import { ArticlesService, type Clock } from './articles/service.ts';
import { FeedPages } from './feeds/feed-pages.ts';
import { registerFeedRoutes } from './feeds/routes.ts';
import { SitemapPages } from './feeds/sitemap-pages.ts';
import { registerImageJobs } from './media/image-avif-job.ts';
import { ImagesRepository } from './media/image-repository.ts';
import { registerImageRoutes } from './media/image-routes.ts';
import { ImagesService } from './media/image-service.ts';
import { ImageStorage } from './media/image-storage.ts';
import { VideoRepository } from './media/video-repository.ts';
import { VideoService } from './media/video-service.ts';
import { NewsroomPages } from './newsroom/layout.tsx';
import { registerNewsroomRoutes } from './newsroom/routes.ts';
import { PresenceService } from './newsroom/presence.ts';
import { registerStoryRoutes } from './newsroom/story-routes.tsx';
import { clientAssetsForThisBuild, registerClientAssetRoutes } from './platform/client-assets.ts';
import { ChangeFeed } from './platform/changes.ts';
import type { Config } from './platform/config.ts';
import { migrate, openDatabase, type Database } from './platform/db.ts';
import { installErrorHandlers } from './platform/http-errors.ts';
import { installOpenApi } from './platform/openapi.tsx';
import { registerArticlesAdminApi } from './articles/admin-api.ts';
import { registerImagesAdminApi } from './media/image-admin-api.ts';
import { registerMediaRoutes } from './newsroom/media/media-routes.tsx';
import { registerVideoPickerRoutes } from './newsroom/media/video-picker-routes.ts';
import { JobRunner } from './platform/jobs.ts';
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
  authors: AuthorProfiles;
  videos: VideoService;
  images: ImagesService;
  ads: AdsService;
  settings: SettingsService;
  changes: ChangeFeed;
  pages: SitePages;
  responder: PageResponder;
  accounts: AccountsService;
  tokens: TokensService;
  audit: AuditLog;
}

export interface BulletinApp {
  app: FastifyInstance;
  services: Services;
  database: Database;
  config: Config;
  /** Durable jobs (scheduled publishing, AVIF image variants); started with the change watcher. */
  jobs: JobRunner;
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
  /** Start polling for changes written by other processes (off for one-shot CLI commands). */
  watchChanges?: boolean;
  /** Run the job worker (default: when watching changes); off for a process beside a running site. */
  runJobs?: boolean;
}

const systemClock: Clock = { now: () => new Date() };

/** The API's version is the package's. */
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(projectFile('package.json'), 'utf8')) as { version: string }).version;

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
  const images = new ImagesService(new ImagesRepository(db, database.engine), new ImageStorage(config.dataDir), changes, { maxUploadBytes: config.mediaMaxUploadBytes });
  const audit = new AuditLog(db, clock);
  const articlesRepository = new ArticlesRepository(db, database.engine);
  const articles = new ArticlesService(articlesRepository, changes, clock, images, (trx, entry) => audit.record(trx, entry));
  const authors = new AuthorProfiles(articlesRepository, changes, images);
  const videos = new VideoService(new VideoRepository(db, database.engine));
  const ads = new AdsService(new AdsRepository(db), changes);
  const settings = new SettingsService(db, changes, { siteName: config.siteName, tagline: '', adsTxt: '' }, images);
  const css = readerCss();
  const responder = new PageResponder(new PageCache(config.pageCacheBytes), securityHeaders({ inlineStyleHashes: [cspHash(css)] }));
  changes.onChange((tags) => responder.invalidate(tags));
  const pages = new SitePages({ articles, videos, images, ads, settings, siteUrl: config.siteUrl, timeZone: config.timeZone, css });
  const accountsRepo = new AccountsRepository(db);
  const accounts = new AccountsService(accountsRepo, audit, clock, config.siteUrl);
  const tokens = new TokensService(accountsRepo, audit, clock);
  return { services: { articles, authors, videos, images, ads, settings, changes, pages, responder, accounts, tokens, audit }, database, css };
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
    // A field a schema does not know is an error to report (a typo in an API call), not to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
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
  // Before any route: the gate lists and guards every /newsroom and /api/admin/v1 route.
  const secureCookies = config.siteUrl.startsWith('https:');
  const newsroomPages = new NewsroomPages(settings);
  await installAuth(app, { ...services, secureCookies, forbiddenPage: (request, reply) => newsroomPages.forbidden(request, reply) });
  await installOpenApi(app, { siteUrl: config.siteUrl, version: PACKAGE_VERSION, css });
  registerArticlesAdminApi(app, services.articles, config.siteUrl);
  registerAuthorsAdminApi(app, services.authors, config.siteUrl);
  registerImagesAdminApi(app, services.images, config.siteUrl);
  registerSiteRoutes(app, pages, responder, services.articles, config.siteUrl);
  const sitemaps = new SitemapPages(services.articles, settings, config.siteUrl, () => (options.clock ?? systemClock).now());
  registerFeedRoutes(app, new FeedPages(services.articles, settings, config.siteUrl), sitemaps, responder);
  registerAdsRoutes(app, settings, responder);
  registerImageRoutes(app, { images: services.images }, requirePermission('canUploadMedia'));
  // Island scripts (story editor, media library, image fields): built with the server by scripts/build.mjs.
  const clientAssets = clientAssetsForThisBuild();
  registerNewsroomRoutes(app, { ...services, pages: newsroomPages, assets: clientAssets, secureCookies, timeZone: config.timeZone, now: () => (options.clock ?? systemClock).now() });
  registerMediaRoutes(app, { images: services.images, pages: newsroomPages, assets: clientAssets, accounts: services.accounts });
  registerVideoPickerRoutes(app, services.videos);
  registerClientAssetRoutes(app, clientAssets);
  registerStoryRoutes(app, {
    articles: services.articles,
    pages: newsroomPages,
    site: pages,
    assets: clientAssets,
    images: services.images,
    presence: new PresenceService(database.db, () => (options.clock ?? systemClock).now()),
    timeZone: config.timeZone,
  });

  const jobs = new JobRunner(database.db, database.engine, options.clock ?? systemClock, app.log);
  registerArticleJobs(jobs, services.articles);
  registerImageJobs(jobs, services.images);
  if (options.watchChanges !== false) await services.changes.start();
  if (options.runJobs ?? options.watchChanges !== false) await jobs.start();
  const pruneTimer = setInterval(() => {
    void services.changes.prune().catch(() => undefined);
    void services.accounts.prune().catch(() => undefined);
  }, 3600_000);
  pruneTimer.unref();

  return {
    app,
    services,
    database,
    config,
    jobs,
    async close() {
      clearInterval(pruneTimer);
      services.changes.stop();
      await jobs.stop();
      await app.close();
      await database.close();
    },
  };
}
