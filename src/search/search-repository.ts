// All SQL of the search index, for both engines: the same folded words go into SQLite's FTS5 table
// or PostgreSQL's tsvector column (search-text.ts), and the same query comes back as an FTS5 MATCH
// or a tsquery (search-query.ts). The relevance each engine computes (FTS5's bm25, PostgreSQL's
// ts_rank) weighs headline above dek above body, and is boosted the same way for recency.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db.ts';
import { fts5Match, tsqueryLiteral, type ParsedQuery } from './search-query.ts';
import { tsvectorLiteral, vocabularyOf, type IndexedText } from './search-text.ts';

type SearchTables = {
  search_documents: {
    article_id: number;
    section_id: number;
    slug: string;
    published_at: string;
    published_epoch: number;
    headline: string;
    dek: string;
    body: string;
  };
  search_terms: { term: string; documents: number };
};

/** A story as the index keeps it: its text as readers see it, where and when it was published. */
export interface SearchDocument {
  articleId: number;
  sectionId: number;
  /** The story's slug; its section's comes from the section, so a link is always current. */
  slug: string;
  publishedAt: string;
  headline: string;
  dek: string;
  body: string;
}

export interface SearchFilter {
  sectionId?: number;
  /** ISO instants: published at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** Only stories published by now are found (embargoed ones wait for their time). */
  now: Date;
}

export interface SearchHit extends SearchDocument {
  score: number;
}

/**
 * The recency boost: relevance times 1 + 1/(1 + age in 30-day months). A story from today counts
 * up to twice one from last year with the same words; relevance still decides between the two
 * when one matches far better.
 */
const MONTH_SECONDS = 2592000;
const WEIGHTS = { headline: 10, dek: 4, body: 1 };
const VOCABULARY_CHUNK = 400;
/** Matches ranked, at most (the most recent ones): results past this are not shown. */
export const RANKED_CANDIDATES = 1000;

export class SearchRepository {
  private readonly db: Kysely<SearchTables>;

  constructor(
    rawDb: Db,
    private readonly engine: 'sqlite' | 'postgres',
  ) {
    this.db = rawDb.withTables<SearchTables>();
  }

  /** Runs `fn` in one transaction (what a save's hook gets from the articles service). */
  transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(trx as unknown as Db));
  }

  /** The same repository on the caller's transaction. */
  on(trx: Db): SearchRepository {
    return new SearchRepository(trx, this.engine);
  }

  async find(articleId: number): Promise<SearchDocument | undefined> {
    const row = await this.db.selectFrom('search_documents').selectAll().where('article_id', '=', articleId).executeTakeFirst();
    return row && toDocument(row);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Writes (or rewrites) a story's entry; `before` is its current words, whose counts it replaces. */
  async put(document: SearchDocument, text: IndexedText, before: IndexedText | undefined): Promise<void> {
    const row = {
      article_id: document.articleId,
      section_id: document.sectionId,
      slug: document.slug,
      published_at: document.publishedAt,
      published_epoch: Math.floor(Date.parse(document.publishedAt) / 1000),
      headline: document.headline,
      dek: document.dek,
      body: document.body,
    };
    if (this.engine === 'postgres') {
      const vector = sql`cast(${tsvectorLiteral(text)} as tsvector)`;
      await this.db
        .insertInto('search_documents')
        .values({ ...row, document: vector } as never)
        .onConflict((oc) => oc.column('article_id').doUpdateSet({ ...withoutKey(row), document: vector } as never))
        .execute();
    } else {
      await this.db
        .insertInto('search_documents')
        .values(row)
        .onConflict((oc) => oc.column('article_id').doUpdateSet(withoutKey(row)))
        .execute();
      await sql`delete from search_fts where rowid = ${document.articleId}`.execute(this.db);
      await sql`insert into search_fts (rowid, headline, dek, body) values (${document.articleId}, ${text.headline.join(' ')}, ${text.dek.join(' ')}, ${text.body.join(' ')})`.execute(this.db);
    }
    await this.recount(before ? vocabularyOf(before) : new Set(), vocabularyOf(text));
  }

  /**
   * Adds many stories not yet in the index, in a few statements (a generated corpus, an index
   * built from nothing): the same rows and counts as put() one at a time.
   */
  async putNew(entries: { document: SearchDocument; text: IndexedText }[]): Promise<void> {
    for (const batch of chunks(entries, 100)) {
      const rows = batch.map(({ document, text }) => ({
        article_id: document.articleId,
        section_id: document.sectionId,
        slug: document.slug,
        published_at: document.publishedAt,
        published_epoch: Math.floor(Date.parse(document.publishedAt) / 1000),
        headline: document.headline,
        dek: document.dek,
        body: document.body,
        ...(this.engine === 'postgres' && { document: sql`cast(${tsvectorLiteral(text)} as tsvector)` }),
      }));
      await this.db.insertInto('search_documents').values(rows as never).execute();
      if (this.engine === 'sqlite') {
        const values = batch.map(({ document, text }) => sql`(${document.articleId}, ${text.headline.join(' ')}, ${text.dek.join(' ')}, ${text.body.join(' ')})`);
        await sql`insert into search_fts (rowid, headline, dek, body) values ${sql.join(values)}`.execute(this.db);
      }
    }
    const counts = new Map<string, number>();
    for (const { text } of entries) for (const term of vocabularyOf(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const chunk of chunks([...counts])) {
      await this.db
        .insertInto('search_terms')
        .values(chunk.map(([term, documents]) => ({ term, documents })))
        .onConflict((oc) => oc.column('term').doUpdateSet({ documents: sql`search_terms.documents + excluded.documents` }))
        .execute();
    }
  }

  /** Takes a story out of the index; `before` is its words, to count them out of the vocabulary. */
  async remove(articleId: number, before: IndexedText): Promise<void> {
    await this.db.deleteFrom('search_documents').where('article_id', '=', articleId).execute();
    if (this.engine === 'sqlite') await sql`delete from search_fts where rowid = ${articleId}`.execute(this.db);
    await this.recount(vocabularyOf(before), new Set());
  }

  /**
   * How many stories match, and the page of them asked for, best first. Only the most recent
   * RANKED_CANDIDATES matches are ranked: ranking reads each match's whole entry, and a name in
   * the news matches tens of thousands of stories, of which readers want the recent ones.
   */
  async search(query: ParsedQuery, filter: SearchFilter, page: { limit: number; offset: number }): Promise<{ total: number; hits: SearchHit[] }> {
    const nowEpoch = Math.floor(filter.now.getTime() / 1000);
    const boost = sql`(1.0 + 1.0 / (1.0 + (${nowEpoch} - d.published_epoch) / ${sql.raw(`${MONTH_SECONDS}.0`)}))`;
    const postgres = this.engine === 'postgres';
    const tsquery = sql`cast(${tsqueryLiteral(query)} as tsquery)`;
    const matchFrom = postgres ? sql`search_documents d` : sql`search_fts join search_documents d on d.article_id = search_fts.rowid`;
    const matches = postgres ? sql`d.document @@ ${tsquery}` : sql`search_fts match ${fts5Match(query)}`;
    const where = sql.join([matches, ...this.conditions(filter)], sql` and `);
    const counted = await sql<{ n: number | string }>`select count(*) as n from ${matchFrom} where ${where}`.execute(this.db);
    const total = Number(counted.rows[0]?.n ?? 0);
    if (total === 0 || page.offset >= Math.min(total, RANKED_CANDIDATES)) return { total, hits: [] };
    const candidates = sql`select d.article_id from ${matchFrom} where ${where} order by d.published_at desc, d.article_id desc limit ${RANKED_CANDIDATES}`;
    const score = postgres
      ? sql`ts_rank(d.document, ${tsquery})`
      : sql`(-bm25(search_fts, ${sql.lit(WEIGHTS.headline)}, ${sql.lit(WEIGHTS.dek)}, ${sql.lit(WEIGHTS.body)}))`;
    // FTS5 computes bm25 only in the query that matches, so SQLite matches again, within the candidates.
    const ranked = postgres
      ? sql`select d.article_id, ${score} * ${boost} as score, d.published_at from (${candidates}) c join search_documents d on d.article_id = c.article_id`
      : sql`select d.article_id, ${score} * ${boost} as score, d.published_at from ${matchFrom} where ${matches} and d.article_id in (${candidates})`;
    const rows = await sql<SearchTables['search_documents'] & { score: number | string }>`
      select d.article_id, d.section_id, d.slug, d.published_at, d.published_epoch, d.headline, d.dek, d.body, r.score
      from (${ranked} order by score desc, published_at desc, article_id desc limit ${page.limit} offset ${page.offset}) r
      join search_documents d on d.article_id = r.article_id
      order by r.score desc, d.published_at desc, d.article_id desc`.execute(this.db);
    return { total, hits: rows.rows.map((row) => ({ ...toDocument(row), score: Number(row.score) })) };
  }

  /** Vocabulary words near `word` in length that share its first letter, most used first. */
  async vocabularyNear(word: string, edits: number, limit = 5000): Promise<{ term: string; documents: number }[]> {
    const first = String.fromCodePoint(word.codePointAt(0)!);
    const next = String.fromCodePoint(first.codePointAt(0)! + 1);
    const length = [...word].length;
    const rows = await this.db
      .selectFrom('search_terms')
      .select(['term', 'documents'])
      .where('term', '>=', first)
      .where('term', '<', next)
      .where(sql`length(term)`, '>=', Math.max(1, length - edits))
      .where(sql`length(term)`, '<=', length + edits)
      .orderBy('documents', 'desc')
      .orderBy('term')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ term: r.term, documents: Number(r.documents) }));
  }

  private conditions(filter: SearchFilter): RawBuilder<unknown>[] {
    const out = [sql`d.published_at <= ${filter.now.toISOString()}`];
    if (filter.sectionId !== undefined) out.push(sql`d.section_id = ${filter.sectionId}`);
    if (filter.from) out.push(sql`d.published_at >= ${filter.from}`);
    if (filter.to) out.push(sql`d.published_at < ${filter.to}`);
    return out;
  }

  /** Moves the vocabulary's story counts from the old words to the new ones. */
  private async recount(before: Set<string>, after: Set<string>): Promise<void> {
    const gone = [...before].filter((w) => !after.has(w));
    const added = [...after].filter((w) => !before.has(w));
    for (const chunk of chunks(added)) {
      await this.db
        .insertInto('search_terms')
        .values(chunk.map((term) => ({ term, documents: 1 })))
        .onConflict((oc) => oc.column('term').doUpdateSet({ documents: sql`search_terms.documents + 1` }))
        .execute();
    }
    for (const chunk of chunks(gone)) {
      await this.db.updateTable('search_terms').set({ documents: sql`documents - 1` }).where('term', 'in', chunk).execute();
      await this.db.deleteFrom('search_terms').where('term', 'in', chunk).where('documents', '<=', 0).execute();
    }
  }
}

function withoutKey<T extends { article_id: number }>(row: T): Omit<T, 'article_id'> {
  const { article_id: _id, ...rest } = row;
  return rest;
}

function chunks<T>(list: T[], size = VOCABULARY_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function toDocument(row: SearchTables['search_documents']): SearchDocument {
  return { articleId: row.article_id, sectionId: row.section_id, slug: row.slug, publishedAt: row.published_at, headline: row.headline, dek: row.dek, body: row.body };
}
