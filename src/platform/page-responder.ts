// Serves reader pages through the page cache: a hit is written straight from memory; a miss is
// rendered once (concurrent requests for the same page share that render) and stored, unless the
// data changed while it rendered.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CachedPage, writePage, type PageCache } from './page-cache.ts';

export interface PageResult {
  status?: number;
  contentType?: string;
  body: string;
  tags: readonly string[];
  /** Defaults to the reader-page policy below. */
  cacheControl?: string;
}

/**
 * Browsers may keep a page a short while; shared caches (a CDN, Varnish) keep it for s-maxage,
 * added per site (sharedCachePolicy), and both may serve it stale while they refresh it or when we
 * are down. Invalidation here and the purges sent to caches in front (src/edge-cache/) keep them honest.
 */
export const READER_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=300, stale-if-error=86400';
/**
 * A story may be unpublished or corrected at any moment: a cache in front that cannot reach us
 * keeps serving it for ten minutes, not a day (fronts and lists may stay stale longer).
 */
export const STORY_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=300, stale-if-error=600';
export const ERROR_CACHE_CONTROL = 'public, max-age=10';

/**
 * A public page's policy with the shared caches' lifetime added after the browsers' max-age: long
 * when purges tell those caches of every change (SHARED_MAX_AGE_SECONDS), short when nothing does.
 * A policy that already names s-maxage, or is not public, stays as it is.
 */
export function sharedCachePolicy(cacheControl: string, sharedMaxAgeSeconds: number): string {
  if (!/^public\b/.test(cacheControl) || /\bs-maxage=/.test(cacheControl)) return cacheControl;
  return cacheControl.replace(/\bmax-age=\d+/, (maxAge) => `${maxAge}, s-maxage=${sharedMaxAgeSeconds}`);
}

export class PageResponder {
  private readonly inFlight = new Map<string, Promise<CachedPage>>();
  private generation = 0;

  constructor(
    readonly cache: PageCache,
    private readonly baseHeaders: Readonly<Record<string, string>>,
    /** How long shared caches may keep a page (s-maxage); see sharedCachePolicy. */
    private readonly sharedMaxAgeSeconds = 60,
  ) {}

  /** Call on every change: drops the tagged pages and marks renders in progress as stale. */
  invalidate(tags: readonly string[]): void {
    this.generation++;
    this.cache.invalidate(tags);
    // A render that began before the change may show what changed: requests from now on start a
    // fresh one instead of sharing it (its own waiters still get it; it is not stored).
    this.inFlight.clear();
  }

  /** The fast path, before any routing: true when the request was answered from the cache. */
  tryServe(req: IncomingMessage, res: ServerResponse): boolean {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url) return false;
    const page = this.cache.get(req.url);
    if (!page) return false;
    this.cache.hits++;
    writePage(this.cache, req.url, page, req, res, this.baseHeaders, 'HIT');
    return true;
  }

  async respond(request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<PageResult>): Promise<void> {
    let page = this.cache.get(key);
    const state = page ? 'HIT' : 'MISS';
    if (!page) {
      this.cache.misses++;
      page = await this.renderOnce(key, render);
    }
    reply.hijack();
    writePage(this.cache, key, page, request.raw, reply.raw, this.baseHeaders, state);
  }

  private renderOnce(key: string, render: () => Promise<PageResult>): Promise<CachedPage> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const generation = this.generation;
    const promise = render()
      .then((result) => {
        const failed = result.status !== undefined && result.status >= 400;
        const policy = result.cacheControl ?? (failed ? ERROR_CACHE_CONTROL : READER_CACHE_CONTROL);
        const page = new CachedPage({
          status: result.status,
          contentType: result.contentType ?? 'text/html; charset=utf-8',
          body: result.body,
          // An error page stays briefly everywhere: the story behind a 404 may be published any moment.
          cacheControl: failed ? policy : sharedCachePolicy(policy, this.sharedMaxAgeSeconds),
          tags: result.tags,
        });
        // Error pages are cheap to render and unbounded in number (any URL can 404): not stored.
        if (generation === this.generation && page.status === 200) this.cache.set(key, page);
        return page;
      })
      .finally(() => {
        if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      });
    this.inFlight.set(key, promise);
    return promise;
  }
}
