// Feeds and sitemaps: RSS for the site and each section, the sitemap index, story sitemaps and the
// Google News sitemap, served through the reader site's page cache (its responder).
import type { Articles } from '../articles/articles-feature.ts';
import type { Media } from '../media/media-feature.ts';
import type { Feature } from '../platform/feature.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { Platform } from '../platform/platform.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import { FeedPages } from './feed-pages.ts';
import { registerFeedRoutes } from './routes.ts';
import { SitemapPages } from './sitemap-pages.ts';

/** `media`: the clips behind feed enclosures and the video sitemap. */
export function feedsFeature(platform: Platform, deps: { articles: Articles; settings: SettingsService; responder: PageResponder; media?: Media }): Feature<null> {
  const { articles } = deps.articles;
  const { siteUrl } = platform.config;
  const feeds = new FeedPages(articles, deps.settings, siteUrl, deps.media?.videos);
  const sitemaps = new SitemapPages(articles, deps.settings, siteUrl, () => platform.clock.now(), deps.media?.videos);
  return { name: 'feeds', api: null, routes: (app) => registerFeedRoutes(app, feeds, sitemaps, deps.responder) };
}
