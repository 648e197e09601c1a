// Feeds and sitemaps: RSS for the site and each section, the sitemap index, story sitemaps and the
// Google News sitemap, served through the reader site's page cache (its responder).
import type { Articles } from '../articles/articles-feature.ts';
import type { Feature } from '../platform/feature.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { Platform } from '../platform/platform.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import { FeedPages } from './feed-pages.ts';
import { registerFeedRoutes } from './routes.ts';
import { SitemapPages } from './sitemap-pages.ts';

export function feedsFeature(platform: Platform, deps: { articles: Articles; settings: SettingsService; responder: PageResponder }): Feature<null> {
  const { articles } = deps.articles;
  const { siteUrl } = platform.config;
  const feeds = new FeedPages(articles, deps.settings, siteUrl);
  const sitemaps = new SitemapPages(articles, deps.settings, siteUrl, () => platform.clock.now());
  return { name: 'feeds', api: null, routes: (app) => registerFeedRoutes(app, feeds, sitemaps, deps.responder) };
}
