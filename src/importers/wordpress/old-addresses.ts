// Old addresses of imported sites answer 301 to where the story or section lives now: a post's
// permalink path (/2026/10/10/some-story/), its short link (/?p=ID, /?page_id=ID) and a category's
// (/category/news/, /?cat=ID). The target is looked up at request time, so a story moved or
// renamed since the import is still found; a story not visible now gets no redirect (the address
// then answers like any unknown one). Live pages always win: cached ones are answered before
// routing, and an old address equal to a section's own is never redirected.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleService } from '../../articles/article-service.ts';
import { isVisible } from '../../articles/change-tags.ts';
import { articlePath } from '../../articles/model.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db.ts';
import { WordpressLedger, type LegacyRedirectRow } from './wordpress-ledger.ts';
import { normaliseOldPath } from './wp-plan.ts';

/** Old addresses are permanent, but their targets can change: caches keep the answer a while only. */
export const OLD_ADDRESS_CACHE_CONTROL = 'public, max-age=300';

/** Addresses of the site's own machinery, never an imported site's. */
const OWN_PREFIXES = ['/newsroom', '/api/', '/assets/', '/media/'];

/** WordPress short links: only these queries name content. */
const SHORT_LINK = /^(p|page_id|cat)=(\d{1,10})$/;

export class OldAddresses {
  private readonly ledger: WordpressLedger;
  private known: { any: boolean; checkedAt: number } = { any: false, checkedAt: -Infinity };

  constructor(
    db: Db,
    private readonly articles: ArticleService,
    private readonly clock: Clock,
  ) {
    this.ledger = new WordpressLedger(db);
  }

  /** The table's key for a request URL, or undefined when the URL cannot be an old address. */
  static keyFor(url: string): string | undefined {
    const [pathname = '/', query = ''] = url.split('?', 2);
    if (OWN_PREFIXES.some((p) => pathname.startsWith(p))) return undefined;
    if (pathname === '/' || pathname === '') {
      const found = query.split('&').map((pair) => SHORT_LINK.exec(pair)).find(Boolean);
      return found ? `/?${found[1]}=${Number(found[2])}` : undefined;
    }
    return normaliseOldPath(pathname);
  }

  /** Where the old address leads now, or undefined. */
  async resolve(url: string): Promise<string | undefined> {
    const key = OldAddresses.keyFor(url);
    if (!key || !(await this.anyRedirects())) return undefined;
    const row = await this.ledger.redirect(key);
    if (!row) return undefined;
    const target = await this.targetOf(row);
    // A section whose address is the old one is a live page: it is shown, not redirected.
    if (!target || target === key) return undefined;
    if ((await this.articles.sections()).some((s) => `/${s.slug}` === key)) return undefined;
    return target;
  }

  /** The newsroom's view of the table: each old address with where it leads now. */
  async list(options: { limit: number; offset: number; search?: string }): Promise<{ rows: (LegacyRedirectRow & { target: string | undefined })[]; total: number }> {
    const { rows, total } = await this.ledger.listRedirects(options);
    const withTargets = [];
    for (const row of rows) withTargets.push({ ...row, target: await this.targetOf(row) });
    return { rows: withTargets, total };
  }

  private async targetOf(row: LegacyRedirectRow): Promise<string | undefined> {
    if (row.articleId !== null) {
      const article = await this.articles.findById(row.articleId);
      return isVisible(article, this.clock.now()) ? articlePath(article!) : undefined;
    }
    if (row.sectionId !== null) {
      const section = (await this.articles.sections()).find((s) => s.id === row.sectionId);
      return section ? `/${section.slug}` : undefined;
    }
    return undefined;
  }

  /** Sites that never imported pay no look-up; the answer is re-read every ten seconds until it is yes. */
  private async anyRedirects(): Promise<boolean> {
    if (this.known.any) return true;
    const now = this.clock.now().getTime();
    if (now - this.known.checkedAt < 10_000) return false;
    this.known = { any: await this.ledger.hasRedirects(), checkedAt: now };
    return this.known.any;
  }
}

/** Answers old addresses before routing (pages the cache holds never get this far). */
export function registerOldAddressHook(app: FastifyInstance, addresses: OldAddresses): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const location = await addresses.resolve(request.url);
    if (location) return reply.code(301).header('location', location).header('cache-control', OLD_ADDRESS_CACHE_CONTROL).send();
  });
}
