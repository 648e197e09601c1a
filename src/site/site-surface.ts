// The reader site as the app builds it: pages composed from the features (front, sections,
// stories, authors, topics, errors), the page cache that answers before routing, and its routes.
// A change anywhere drops exactly the cached pages carrying its tags.
import fs from 'node:fs';
import path from 'node:path';
import type { AdService } from '../ads/ad-service.ts';
import { registerAdsRoutes } from '../ads/routes.ts';
import type { Articles } from '../articles/articles-feature.ts';
import type { Comments } from '../comments/comments-feature.ts';
import { registerCommentReaderRoutes } from '../comments/reader-routes.tsx';
import type { Media } from '../media/media-feature.ts';
import type { Feature } from '../platform/feature.ts';
import { installErrorHandlers } from '../platform/http-errors.ts';
import { PageCache } from '../platform/page-cache.ts';
import { PageResponder } from '../platform/page-responder.ts';
import { projectFile } from '../platform/paths.ts';
import type { FrontDoor, Platform } from '../platform/platform.ts';
import { cspHash, securityHeaders } from '../platform/security.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import { SitePages } from './pages.tsx';
import { registerSiteRoutes } from './routes.ts';
import { registerSocialCardRoutes, SocialCards } from './social-card.ts';

export interface Site {
  pages: SitePages;
  responder: PageResponder;
  /** What answers before routing (cached pages) and the headers every response carries. */
  front: FrontDoor;
  /** Link-preview cards, for reader pages other features draw in the site's layout. */
  cards: SocialCards;
}

/** The reader stylesheet, inlined into every page (one request, no render-blocking CSS). */
export function readerCss(): string {
  return fs.readFileSync(projectFile('src/site/styles.css'), 'utf8').replace(/\n+/g, '').trim();
}

/** `islands`: the built browser code, for the story page's video facade and player. */
export function siteSurface(platform: Platform, deps: { articles: Articles; media: Media; ads: AdService; settings: SettingsService; comments: Comments; islands?: { url(name: string): Promise<string> } }): Feature<Site> {
  const { config, changes } = platform;
  const css = readerCss();
  const headers = securityHeaders({ inlineStyleHashes: [cspHash(css)], https: config.siteUrl.startsWith('https:') });
  const responder = new PageResponder(new PageCache(config.pageCacheBytes), headers, config.sharedMaxAgeSeconds);
  changes.onChange((tags) => responder.invalidate(tags));
  const { articles } = deps.articles;
  const { images, videos } = deps.media;
  const { settings } = deps;
  const cards = new SocialCards(path.join(config.dataDir, 'social-cards'));
  const pages = new SitePages({ articles, videos, images, ads: deps.ads, settings, comments: deps.comments.story, topics: deps.articles.topics, siteUrl: config.siteUrl, timeZone: config.timeZone, css, cards,
    ...(deps.islands && { videoScripts: { facade: () => deps.islands!.url('video-facade'), player: () => deps.islands!.url('video-player') } }),
  });
  return {
    name: 'site',
    api: { pages, responder, cards, front: { tryServe: (req, res) => responder.tryServe(req, res), headers, css, errorPage: (message, status) => pages.badRequest(config.siteName, message, status) } },
    routes(app) {
      installErrorHandlers(app, {
        notFound: () => pages.notFound(),
        serverError: () => pages.serverError(config.siteName),
        badRequest: (message, status) => pages.badRequest(config.siteName, message, status),
      });
      registerSiteRoutes(app, pages, responder, articles, config.siteUrl, deps.comments.story);
      registerCommentReaderRoutes(app, { ...deps.comments, shell: { page: (meta, content) => pages.readerPage(meta, content) }, responder });
      registerAdsRoutes(app, settings, responder);
      registerSocialCardRoutes(app, cards);
    },
  };
}
