// The public Content API (/api/v1): stories, sections, topics and authors as JSON for other
// programs, read-only, with no token. Its answers are pages in a cache of its own (an eighth of
// the page-cache budget, so API traffic cannot push story pages out), dropped by the same
// changes as the site's pages; search answers have a smaller cache whose entries expire after a
// minute, like the search page's. Cached answers are served before routing, as pages are, after
// the client's rate limit is counted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Articles } from '../articles/articles-feature.ts';
import { tags as articleTags } from '../articles/change-tags.ts';
import type { Media } from '../media/media-feature.ts';
import type { Feature } from '../platform/feature.ts';
import { PageCache } from '../platform/page-cache.ts';
import { PageResponder } from '../platform/page-responder.ts';
import type { FrontDoor, Platform } from '../platform/platform.ts';
import type { Search } from '../search/search-feature.ts';
import { AUTHORS_INDEX_TAG, ContentAnswers, SEARCH_TAG, TOPICS_INDEX_TAG } from './content-answers.ts';
import { API_BASE } from './content-json.ts';
import { registerContentRoutes } from './content-routes.ts';
import { clientAddressOf, RateLimiter } from './rate-limit.ts';

export const API_SEARCH_TTL_MS = 60_000;

/** Any origin may read the API from a browser; it is public and takes no credentials. */
export const CORS_HEADERS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag, Retry-After, X-Cache' };

export interface ContentApi {
  /** The site's front door with the API's cached answers added behind it. */
  front: FrontDoor;
  responder: PageResponder;
  limiter: RateLimiter;
}

export function contentApiFeature(platform: Platform, deps: { articles: Articles; media: Media; search: Search; front: FrontDoor }): Feature<ContentApi> {
  const { config, changes, clock } = platform;
  const { articles } = deps.articles;
  const headers = { ...deps.front.headers, ...CORS_HEADERS };
  const responder = new PageResponder(new PageCache(Math.floor(config.pageCacheBytes / 8)), headers);
  const searchResponder = new PageResponder(new PageCache(Math.floor(config.pageCacheBytes / 32), { ttlMs: API_SEARCH_TTL_MS, now: () => clock.now().getTime() }), headers);
  changes.onChange((changed) => {
    const dropped = [...changed];
    // A new or renamed author or topic changes the lists of them; a change to what readers can see, any search.
    if (changed.some((tag) => /^author:\d+$/.test(tag))) dropped.push(AUTHORS_INDEX_TAG);
    if (changed.some((tag) => /^list:topic:\d+$/.test(tag))) dropped.push(TOPICS_INDEX_TAG);
    if (changed.includes(articleTags.sitemaps)) dropped.push(SEARCH_TAG);
    responder.invalidate(dropped);
    searchResponder.invalidate(dropped);
  });
  const answers = new ContentAnswers({ articles, search: deps.search.search, images: deps.media.images, siteUrl: config.siteUrl, now: () => clock.now() });
  const limiter = new RateLimiter(config.contentApiRatePerMinute, () => clock.now().getTime());
  const addressOf = clientAddressOf(config.trustProxy);
  /** Requests the fast path has counted already, so the route does not count them again. */
  const counted = new WeakSet<IncomingMessage>();

  const refuse = (res: ServerResponse, retryAfter: number) => {
    const body = JSON.stringify({ errors: [{ code: 'rate_limited', message: `Too many requests from your address: try again in ${retryAfter} seconds.` }] });
    res.writeHead(429, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'retry-after': String(retryAfter), 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  };

  const isApi = (url: string | undefined): url is string => !!url && (url.startsWith(`${API_BASE}/`) || url.startsWith(`${API_BASE}?`));

  const tryServe = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!isApi(req.url) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    counted.add(req);
    const wait = limiter.take(addressOf(req));
    if (wait > 0) {
      refuse(res, wait);
      return true;
    }
    return responder.tryServe(req, res) || searchResponder.tryServe(req, res);
  };

  return {
    name: 'content-api',
    api: {
      front: { ...deps.front, tryServe: (req, res) => deps.front.tryServe(req, res) || tryServe(req, res) },
      responder,
      limiter,
    },
    routes: (app) =>
      registerContentRoutes(app, {
        answers,
        articles,
        responder,
        searchResponder,
        corsHeaders: CORS_HEADERS,
        limit(request, reply) {
          if (request.method === 'OPTIONS' || counted.has(request.raw)) return false;
          const wait = limiter.take(request.ip);
          if (wait === 0) return false;
          reply.hijack();
          refuse(reply.raw, wait);
          return true;
        },
      }),
  };
}
