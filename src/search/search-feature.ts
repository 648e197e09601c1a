// Full-text search over published stories (headline, dek, body) on SQLite FTS5 or PostgreSQL
// tsvector, kept in step with every story save inside the save's transaction, and the /search page.
// The page has a cache of its own: every distinct query is a page, so a flood of them must not push
// story pages out of the site's cache (it gets an eighth of the page-cache budget, and its pages
// expire after a minute).
import type { Articles } from '../articles/articles-feature.ts';
import { tags as articleTags } from '../articles/change-tags.ts';
import type { Feature } from '../platform/feature.ts';
import { PageCache } from '../platform/page-cache.ts';
import { PageResponder } from '../platform/page-responder.ts';
import type { FrontDoor, Platform } from '../platform/platform.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { SocialCards } from '../site/social-card.ts';
import { SEARCH_TAG, SearchPages } from './search-pages.tsx';
import { SearchRepository } from './search-repository.ts';
import { registerSearchRoutes } from './search-routes.ts';
import { SearchService } from './search-service.ts';

export const SEARCH_PAGE_TTL_MS = 60_000;

export interface Search {
  search: SearchService;
  /** The search page's own cache (its budget and hits), apart from the site's. */
  responder: PageResponder;
}

export function searchFeature(platform: Platform, deps: { articles: Articles; settings: SettingsService; front: FrontDoor; cards: SocialCards }): Feature<Search> {
  const { db, engine, changes, clock, config } = platform;
  const { articles } = deps.articles;
  const search = new SearchService(new SearchRepository(db, engine), articles, clock);
  articles.onSave((trx, before, after) => search.follow(trx, before, after));
  const cache = new PageCache(Math.floor(config.pageCacheBytes / 8), { ttlMs: SEARCH_PAGE_TTL_MS, now: () => clock.now().getTime() });
  // Shared caches keep a search page no longer than we do: nothing purges what a query will find next.
  const responder = new PageResponder(cache, deps.front.headers, SEARCH_PAGE_TTL_MS / 1000);
  // A change to what readers can see (a publish, an update, an unpublish: it touches the sitemaps)
  // may change any search's results.
  changes.onChange((tags) => responder.invalidate(tags.includes(articleTags.sitemaps) ? [...tags, SEARCH_TAG] : tags));
  const pages = new SearchPages({ search, articles, settings: deps.settings, siteUrl: config.siteUrl, timeZone: config.timeZone, css: deps.front.css, cards: deps.cards });
  return {
    name: 'search',
    api: { search, responder },
    routes: (app) => registerSearchRoutes(app, pages, responder),
    // Stories published before search existed; a no-op once the index holds anything.
    maintenance: [{ name: 'search.catch-up', everyMs: 10 * 60_000, run: () => search.catchUp() }],
  };
}
