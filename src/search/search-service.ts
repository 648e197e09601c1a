// The rules of search: what the index holds (published stories, as readers would read them), how a
// reader's words are searched, and "Did you mean" when they find little. Both engines answer
// through the repository with the same words, so the same data gives the same results.
import { blockText } from '../articles/body.ts';
import type { ArticleService } from '../articles/article-service.ts';
import type { Article } from '../articles/model.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { parseQuery, type ParsedQuery, type QueryPart } from './search-query.ts';
import { RANKED_CANDIDATES, type SearchDocument, type SearchFilter, type SearchRepository } from './search-repository.ts';
import { indexedText } from './search-text.ts';
import { highlight, snippet, type Segment } from './snippet.ts';
import { allowedEdits, closestWord } from './suggest.ts';

export const RESULTS_PER_PAGE = 10;
/** Fewer results than this, and the vocabulary is asked for a better spelling. */
const FEW_RESULTS = 3;
/** A word that exists is still replaced when the suggestion is this many times as common. */
const MUCH_MORE_COMMON = 10;

export interface SearchRequest {
  q: string;
  sectionId?: number;
  /** ISO instants (the route turns the reader's days into them). */
  from?: string;
  to?: string;
  page: number;
}

export interface SearchResult {
  articleId: number;
  sectionId: number;
  slug: string;
  publishedAt: string;
  headline: Segment[];
  snippet: Segment[];
}

export interface SearchAnswer {
  /** What was searched: the reader's words, or the suggestion when theirs found nothing. */
  total: number;
  /** False when there are more matches than are ranked: `total` is then an estimate (ADR 017). */
  exact: boolean;
  results: SearchResult[];
  page: number;
  pageCount: number;
  /** True when the query holds no word at all (only punctuation, symbols or spaces). */
  empty: boolean;
  /** A better spelling from the index's vocabulary, and whether `results` are its results. */
  suggestion?: { q: string; total: number; shown: boolean };
}

export class SearchService {
  constructor(
    private readonly repo: SearchRepository,
    private readonly articles: ArticleService,
    private readonly clock: Clock,
  ) {}

  /** Keeps a story's entry in step with a save, in the save's transaction (ArticleService.onSave). */
  async follow(trx: Db, _before: Article | undefined, after: Article): Promise<void> {
    const repo = this.repo.on(trx);
    const stored = await repo.find(after.id);
    const before = stored && indexedText(stored);
    if (after.status === 'published' && after.publishedAt) {
      const document = documentOf(after);
      await repo.put(document, indexedText(document), before);
    } else if (stored) {
      await repo.remove(after.id, before!);
    }
  }

  async search(request: SearchRequest): Promise<SearchAnswer> {
    const query = parseQuery(request.q);
    const pageCountOf = (total: number) => Math.max(1, Math.ceil(Math.min(total, RANKED_CANDIDATES) / RESULTS_PER_PAGE));
    if (query.parts.length === 0) return { total: 0, exact: true, results: [], page: 1, pageCount: 1, empty: true };
    const filter: SearchFilter = { sectionId: request.sectionId, from: request.from, to: request.to, now: this.clock.now() };
    const found = await this.run(query, filter, request.page);
    const answer: SearchAnswer = { ...found, page: request.page, pageCount: pageCountOf(found.total), empty: false };
    if (found.total >= FEW_RESULTS || request.page > 1) return answer;
    const better = await this.betterSpelling(query);
    if (!better) return answer;
    const theirs = await this.run(better.query, filter, 1);
    if (theirs.total <= found.total) return answer;
    if (found.total > 0) return { ...answer, suggestion: { q: better.q, total: theirs.total, shown: false } };
    return { ...theirs, page: 1, pageCount: pageCountOf(theirs.total), empty: false, suggestion: { q: better.q, total: theirs.total, shown: true } };
  }

  /** How many stories the index holds. */
  count(): Promise<number> {
    return this.repo.count();
  }

  /**
   * Indexes every story readers can see, when the index is empty but the site is not: a site that
   * had stories before search existed (new saves are indexed as they commit).
   */
  async catchUp(batch = 200): Promise<number> {
    if ((await this.repo.count()) > 0 || (await this.articles.countPublished({})) === 0) return 0;
    let indexed = 0;
    for (let offset = 0; ; offset += batch) {
      const summaries = await this.articles.listPublished({}, { limit: batch, offset });
      for (const summary of summaries) {
        const article = await this.articles.findById(summary.id);
        if (!article || article.status !== 'published' || !article.publishedAt) continue;
        await this.repo.transaction((trx) => this.follow(trx, undefined, article));
        indexed++;
      }
      if (summaries.length < batch) return indexed;
    }
  }

  private async run(query: ParsedQuery, filter: SearchFilter, page: number): Promise<{ total: number; exact: boolean; results: SearchResult[] }> {
    const { total, exact, hits } = await this.repo.search(query, filter, { limit: RESULTS_PER_PAGE, offset: (page - 1) * RESULTS_PER_PAGE });
    const results = hits.map((hit) => ({
      articleId: hit.articleId,
      sectionId: hit.sectionId,
      slug: hit.slug,
      publishedAt: hit.publishedAt,
      headline: highlight(hit.headline, query),
      // The dek when the words are there (it reads best), else the body around the first match.
      snippet: snippetOf(hit, query),
    }));
    return { total, exact, results };
  }

  /** The query with each doubtful word replaced by the closest common word of the vocabulary. */
  private async betterSpelling(query: ParsedQuery): Promise<{ q: string; query: ParsedQuery } | undefined> {
    const replacements = new Map<string, string>();
    const doubtful = query.words.filter((word) => [...word].length >= 3);
    const nearby = await Promise.all(doubtful.map((word) => this.repo.vocabularyNear(word, allowedEdits(word))));
    for (const [i, word] of doubtful.entries()) {
      const near = nearby[i]!;
      const closest = closestWord(word, near);
      if (!closest) continue;
      const own = near.find((c) => c.term === word)?.documents ?? 0;
      const theirs = near.find((c) => c.term === closest)!.documents;
      if (own === 0 || theirs >= own * MUCH_MORE_COMMON) replacements.set(word, closest);
    }
    if (replacements.size === 0) return undefined;
    const swap = (word: string) => replacements.get(word) ?? word;
    const parts: QueryPart[] = query.parts.map((part) =>
      part.kind === 'word' ? { kind: 'word', word: swap(part.word), prefix: false } : { kind: 'phrase', words: part.words.map(swap) },
    );
    const q = parts.map((part) => (part.kind === 'word' ? part.word : `"${part.words.join(' ')}"`)).join(' ');
    return { q, query: { parts, words: [...new Set(parts.flatMap((p) => (p.kind === 'word' ? [p.word] : p.words)))] } };
  }
}

function snippetOf(hit: SearchDocument, query: ParsedQuery): Segment[] {
  const inDek = highlight(hit.dek, query);
  if (inDek.some((s) => s.mark)) return inDek;
  const inBody = snippet(hit.body, query);
  return inBody.some((s) => s.mark) || !hit.dek ? inBody : inDek;
}

/** A story's searchable text: its headline, dek and every block of its body as plain text. */
export function documentOf(article: Article): SearchDocument {
  return {
    articleId: article.id,
    sectionId: article.section.id,
    slug: article.slug,
    publishedAt: article.publishedAt!,
    headline: article.headline,
    dek: article.dek,
    body: article.body.content.map(blockText).filter(Boolean).join('\n'),
  };
}
