// Full-page cache: rendered reader pages kept in memory, bounded by bytes, with their compressed
// variants made once on first demand. Each page carries tags naming the data it shows
// ("article:12", "list:section:3", …); a change drops exactly the pages holding one of its tags.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Encoding = 'br' | 'gzip' | 'identity';

export interface PageInput {
  status?: number;
  contentType: string;
  body: string | Buffer;
  cacheControl: string;
  tags: readonly string[];
}

export class CachedPage {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  readonly etag: string;
  readonly cacheControl: string;
  readonly tags: readonly string[];
  private br: Buffer | undefined;
  private gzip: Buffer | undefined;
  /** Set on every hit; eviction gives a referenced page a second chance (CLOCK, cheaper than LRU). */
  referenced = false;
  /** When the cache stored it (ms), for caches whose pages expire. */
  storedAt = 0;
  /** The response head for each encoding and cache state, built once: hits only write bytes. */
  private readonly heads = new Map<string, string[]>();

  constructor(input: PageInput) {
    this.status = input.status ?? 200;
    this.contentType = input.contentType;
    this.body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
    this.cacheControl = input.cacheControl;
    this.tags = input.tags;
    // Weak: the br, gzip and identity variants are the same page, so one validator serves all.
    this.etag = `W/"${createHash('sha1').update(this.body).digest('base64url')}"`;
  }

  get size(): number {
    return this.body.length + (this.br?.length ?? 0) + (this.gzip?.length ?? 0) + 256;
  }

  variant(encoding: Encoding): Buffer {
    if (encoding === 'br') {
      this.br ??= brotliCompressSync(this.body, {
        params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: this.body.length },
      });
      return this.br;
    }
    if (encoding === 'gzip') return (this.gzip ??= gzipSync(this.body, { level: 6 }));
    return this.body;
  }

  /** The response headers as the flat list `writeHead` takes, for one encoding and cache state. */
  head(baseHeaders: Readonly<Record<string, string>>, encoding: Encoding | 'none', cacheState: string): string[] {
    const key = `${encoding}:${cacheState}`;
    let head = this.heads.get(key);
    if (!head) {
      head = [
        ...Object.entries(baseHeaders).flat(),
        'content-type', this.contentType,
        'cache-control', this.cacheControl,
        'etag', this.etag,
        'vary', 'Accept-Encoding',
        'surrogate-key', this.surrogateKey,
        'cache-tag', this.cacheTag,
        'x-cache', cacheState,
      ];
      if (encoding !== 'identity' && encoding !== 'none') head.push('content-encoding', encoding);
      if (encoding !== 'none') head.push('content-length', String(this.variant(encoding).length));
      this.heads.set(key, head);
    }
    return head;
  }

  /** The Surrogate-Key header (Fastly, Varnish xkey): the page's tags as keys, separated by spaces. */
  get surrogateKey(): string {
    return this.tags.map(surrogateKeyOf).join(' ');
  }

  /** The Cache-Tag header (Cloudflare): the same keys, separated by commas. */
  get cacheTag(): string {
    return this.tags.map(surrogateKeyOf).join(',');
  }
}

/**
 * A cache tag as caches in front know it: characters outside letters, digits, `:`, `_` and `-`
 * (none today; a future tag's) become `_`. Purges send the same spelling (src/edge-cache/).
 */
export function surrogateKeyOf(tag: string): string {
  return tag.replace(/[^A-Za-z0-9:_-]/g, '_');
}

export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly keysByTag = new Map<string, Set<string>>();
  private bytes = 0;
  hits = 0;
  misses = 0;
  /** Pages dropped to make room (not those dropped by a change). */
  evictions = 0;

  /**
   * `ttlMs`, when set, is how long a page stays (the search page: a page per query cannot be
   * invalidated by what it does not show yet, such as an embargoed story whose time comes).
   */
  constructor(
    readonly maxBytes: number,
    private readonly expiry: { ttlMs: number; now: () => number } | undefined = undefined,
  ) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get count(): number {
    return this.pages.size;
  }

  get(key: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (page && this.expiry && this.expiry.now() - page.storedAt >= this.expiry.ttlMs) {
      this.delete(key);
      return undefined;
    }
    if (page) page.referenced = true;
    return page;
  }

  set(key: string, page: CachedPage): void {
    if (!this.enabled || page.size > this.maxBytes / 4) return;
    this.delete(key);
    if (this.expiry) page.storedAt = this.expiry.now();
    this.pages.set(key, page);
    this.bytes += page.size;
    for (const tag of page.tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    this.evict();
  }

  /** Drops every page that carries one of the tags; returns how many went. */
  invalidate(tags: Iterable<string>): number {
    let dropped = 0;
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) if (this.delete(key)) dropped++;
    }
    return dropped;
  }

  clear(): void {
    this.pages.clear();
    this.keysByTag.clear();
    this.bytes = 0;
  }

  /** Re-counts a page whose compressed variants were added after it was stored. */
  grew(key: string, before: number, page: CachedPage): void {
    if (this.pages.get(key) !== page) return;
    this.bytes += page.size - before;
    this.evict();
  }

  private delete(key: string): boolean {
    const page = this.pages.get(key);
    if (!page) return false;
    this.pages.delete(key);
    this.bytes -= page.size;
    for (const tag of page.tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
    return true;
  }

  /**
   * Drops pages, oldest stored first, until the cache fits; a page used since it was last looked at
   * here goes to the back of the queue once instead (second chance). Reordering on every hit, as a
   * strict LRU does, would cost the hot path.
   */
  private evict(): void {
    while (this.bytes > this.maxBytes) {
      const oldest = this.pages.entries().next();
      if (oldest.done) break;
      const [key, page] = oldest.value;
      if (page.referenced) {
        page.referenced = false;
        this.pages.delete(key);
        this.pages.set(key, page);
      } else {
        this.delete(key);
        this.evictions++;
      }
    }
  }
}

const ACCEPTS_BR = /(?:^|,)\s*br\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*(?:,|$)/i;
const ACCEPTS_GZIP = /(?:^|,)\s*gzip\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*(?:,|$)/i;

/** Picks the best encoding the client accepts; brotli first, then gzip. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  const accepts = (pattern: RegExp) => {
    const match = pattern.exec(acceptEncoding);
    return match !== null && (match[1] === undefined || Number(match[1]) > 0);
  };
  if (accepts(ACCEPTS_BR)) return 'br';
  if (accepts(ACCEPTS_GZIP)) return 'gzip';
  return 'identity';
}

/** True when the request's If-None-Match names this page's ETag (weak comparison). */
export function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/**
 * Writes a cached page straight to the socket. This is the hot path for readers, so it bypasses the
 * framework's reply pipeline; `baseHeaders` are the security headers every response carries.
 */
export function writePage(
  cache: PageCache,
  key: string,
  page: CachedPage,
  req: IncomingMessage,
  res: ServerResponse,
  baseHeaders: Readonly<Record<string, string>>,
  cacheState: 'HIT' | 'MISS',
): void {
  if (page.status === 200 && isNotModified(req.headers['if-none-match'], page.etag)) {
    res.writeHead(304, page.head(baseHeaders, 'none', cacheState));
    res.end();
    return;
  }
  // With the cache off, compressing every response would cost more than rendering it; a front
  // proxy or CDN compresses instead.
  const encoding = cache.enabled ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
  const before = page.size;
  const body = page.variant(encoding);
  if (page.size !== before) cache.grew(key, before, page);
  res.writeHead(page.status, page.head(baseHeaders, encoding, cacheState));
  res.end(req.method === 'HEAD' ? undefined : body);
}
