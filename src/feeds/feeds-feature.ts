// Feeds and sitemaps: RSS, Atom and JSON Feed for the site and each section, author and topic,
// the sitemap index, story sitemaps and the Google News sitemap, served through the reader
// site's page cache (its responder), so they are dropped by the same changes as the pages.
import type { Articles } from '../articles/articles-feature.ts';
import type { Media } from '../media/media-feature.ts';
import type { Feature } from '../platform/feature.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { Platform } from '../platform/platform.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import { FeedPages } from './feed-pages.ts';
import { registerFeedRoutes } from './routes.ts';
import { SitemapPages } from './sitemap-pages.ts';

/** `media`: pictures for feed items; the clips behind enclosures and the video sitemap. */
export function feedsFeature(platform: Platform, deps: { articles: Articles; media: Media; settings: SettingsService; responder: PageResponder }): Feature<null> {
  const { articles } = deps.articles;
  const { siteUrl } = platform.config;
  const now = () => platform.clock.now();
  const feeds = new FeedPages({ articles, settings: deps.settings, images: deps.media.images, videos: deps.media.videos, siteUrl, now });
  const sitemaps = new SitemapPages(articles, deps.settings, siteUrl, now, deps.media.videos);
  return { name: 'feeds', api: null, routes: (app) => registerFeedRoutes(app, feeds, sitemaps, deps.responder) };
}
