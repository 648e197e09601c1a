// All SQL of the search index, for both engines: the same folded words go into SQLite's FTS5 table
// or PostgreSQL's tsvector column (search-text.ts), and the same query comes back as an FTS5 MATCH
// or a tsquery (search-query.ts). The relevance each engine computes (FTS5's bm25, PostgreSQL's
// ts_rank) weighs headline above dek above body, and is boosted the same way for recency.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db.ts';
import { fts5Match, tsqueryLiteral, type ParsedQuery } from './search-query.ts';
import { IndexFacts } from './search-index-facts.ts';
import { tsvectorLiteral, vocabularyOf, type IndexedText } from './search-text.ts';

type SearchTables = {
  search_documents: {
    article_id: number;
    section_id: number;
    slug: string;
    published_at: string;
    published_epoch: number;
  };
  search_texts: { article_id: number; headline: string; dek: string; body: string };
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
const MINUTE_SECONDS = 60;
const WEIGHTS = { headline: 10, dek: 4, body: 1 };
const VOCABULARY_CHUNK = 400;
/**
 * SQLite's FTS5 rowid for a story: its publication time in seconds (from 1970; earlier counts as
 * 1970) times 2³¹, plus its id (ids are below 2³¹). Computed in SQL, cast to integers (a bound
 * number may arrive as floating point): it exceeds JavaScript's exact integers, not SQLite's 64 bits.
 */
const FTS_KEY = 2147483648;
/** Matches ranked, at most (the most recent ones): results past this are not shown. */
export const RANKED_CANDIDATES = 200;
/**
 * A PostgreSQL slice of time is sized to hold this many times the matches wanted. Every match in
 * a slice is read from the table (a phrase's words too, to check it), so a first slice too large
 * reads many stories for nothing; but each slice also reads the words' whole entries in the GIN
 * index again (2.5 ms of a 4 ms slice for two words in a fifth of the stories), so a slice too
 * small costs a second one.
 */
const SLICE_MARGIN = 1.25;
/**
 * A later slice, sized from the rate of matches the one before it held, is sized for twice the
 * matches still wanted: it is usually a few dozen stories, and cheap next to a third slice.
 */
const NEXT_SLICE_MARGIN = 2;

type Candidate = { id: number; epoch: number; relevance: number };

export class SearchRepository {
  private readonly db: Kysely<SearchTables>;

  constructor(
    private readonly rawDb: Db,
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
    const row = await this.db
      .selectFrom('search_documents as d')
      .innerJoin('search_texts as t', 't.article_id', 'd.article_id')
      .select(['d.article_id', 'd.section_id', 'd.slug', 'd.published_at', 't.headline', 't.dek', 't.body'])
      .where('d.article_id', '=', articleId)
      .executeTakeFirst();
    return row && toDocument(row);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Writes (or rewrites) a story's entry; `before` is its current words, whose counts it replaces. */
  async put(document: SearchDocument, text: IndexedText, before: IndexedText | undefined): Promise<void> {
    if (before) await this.delete(document.articleId);
    await this.insert([{ document, text }]);
    await this.recount(before ? vocabularyOf(before) : new Set(), vocabularyOf(text));
  }

  /**
   * Adds many stories not yet in the index, in a few statements (a generated corpus, an index
   * built from nothing): the same rows and counts as put() one at a time.
   */
  async putNew(entries: { document: SearchDocument; text: IndexedText }[]): Promise<void> {
    for (const batch of chunks(entries, 100)) await this.insert(batch);
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
    await this.delete(articleId);
    await this.recount(vocabularyOf(before), new Set());
  }

  /**
   * The page of matches asked for, best first, and how many stories match. Only the most recent
   * RANKED_CANDIDATES matches are ranked: a name in the news matches thousands of stories, of
   * which readers want the recent ones, and this bounds what a search costs. Neither engine walks
   * every match: SQLite's FTS5 reads its matches newest first and stops; PostgreSQL reads them a
   * slice of time at a time (newestOnPostgres). So the count is exact when there are no more matches
   * than that, and an estimate beyond (`exact: false`), made the same way on both engines (ADR 017).
   */
  async search(query: ParsedQuery, filter: SearchFilter, page: { limit: number; offset: number }): Promise<{ total: number; exact: boolean; hits: SearchHit[] }> {
    const nowEpoch = Math.floor(filter.now.getTime() / 1000);
    const boost = (epoch: number) => 1 + 1 / (1 + (nowEpoch - epoch) / MONTH_SECONDS);
    // Publication seconds searched: [lower, upper).
    const upper = Math.min(nowEpoch + 1, filter.to ? Math.ceil(Date.parse(filter.to) / 1000) : Infinity);
    const lower = filter.from ? Math.floor(Date.parse(filter.from) / 1000) : -Infinity;
    // One more than are ranked, to know whether there are more.
    const wanted = RANKED_CANDIDATES + 1;
    let candidates: Candidate[];
    const facts = new IndexFacts(this.rawDb, query);
    if (this.engine === 'postgres') {
      candidates = await this.newestOnPostgres(query, filter, { lower, upper, now: nowEpoch }, wanted, facts);
    } else {
      // The FTS5 rowid is the story's publication second and id (ftsKey): FTS5 walks its matches in
      // rowid order, so the newest come first without a sort and the walk stops at the last one
      // wanted, the time filters are rowid ranges, and bm25 is computed for the candidates only.
      const weights = sql.raw(`${WEIGHTS.headline}, ${WEIGHTS.dek}, ${WEIGHTS.body}`);
      const key = sql.lit(FTS_KEY);
      const section = filter.sectionId === undefined ? sql`` : sql`join search_documents d on d.article_id = search_fts.rowid % ${key} and d.section_id = cast(${filter.sectionId} as integer)`;
      const { rows } = await sql<{ article_id: number; epoch: number; relevance: number }>`
        select search_fts.rowid % ${key} as article_id, search_fts.rowid / ${key} as epoch, -bm25(search_fts, ${weights}) as relevance
        from search_fts ${section}
        where search_fts match ${fts5Match(query, await facts.completions())} and search_fts.rowid >= cast(${Math.max(0, lower)} as integer) * ${key} and search_fts.rowid < cast(${upper} as integer) * ${key}
        order by search_fts.rowid desc limit ${wanted}`.execute(this.db);
      candidates = rows.map((r) => ({ id: Number(r.article_id), epoch: Number(r.epoch), relevance: Number(r.relevance) }));
    }
    const exact = candidates.length < wanted;
    const total = exact ? candidates.length : await this.estimate(candidates, lower, facts);
    const scored = candidates
      .slice(0, RANKED_CANDIDATES)
      .map((c) => ({ ...c, score: c.relevance * boost(c.epoch) }))
      .sort((a, b) => b.score - a.score || b.epoch - a.epoch || b.id - a.id)
      .slice(page.offset, page.offset + page.limit);
    if (scored.length === 0) return { total, exact, hits: [] };
    const texts = await this.db
      .selectFrom('search_documents as d')
      .innerJoin('search_texts as t', 't.article_id', 'd.article_id')
      .select(['d.article_id', 'd.section_id', 'd.slug', 'd.published_at', 't.headline', 't.dek', 't.body'])
      .where('d.article_id', 'in', scored.map((c) => c.id))
      .execute();
    const byId = new Map(texts.map((row) => [row.article_id, toDocument(row)]));
    return { total, exact, hits: scored.flatMap((c) => (byId.has(c.id) ? [{ ...byId.get(c.id)!, score: c.score }] : [])) };
  }

  /**
   * PostgreSQL's newest `wanted` matches, without reading every match from the table: a GIN index
   * knows which stories match but not when they were published, and reading thousands of rows to
   * sort them (and, for a phrase, each story's words to check it) is what made a common word slow.
   * So the matches are looked for a slice of time at a time, newest first: each slice's are the GIN
   * index's matches intersected with the slice's stories (the epoch index), so only those are read.
   * The first slice is sized from how many stories have the query's rarest part, to hold a quarter
   * more than are wanted, and the next from how many the last one held. (Sizing it for parts found
   * independently, as "trump" and "tariffs" nearly are, makes it far too wide for those always
   * found together, as "wildfire" and "evacuation": a second slice costs less than that.)
   */
  private async newestOnPostgres(
    query: ParsedQuery,
    filter: SearchFilter,
    range: { lower: number; upper: number; now: number },
    wanted: number,
    facts: IndexFacts,
  ): Promise<Candidate[]> {
    const [indexed, bound] = await Promise.all([facts.timeSpan(), facts.matchBound()]);
    if (indexed === undefined) return [];
    const oldest = Math.max(range.lower, indexed.oldest);
    // Nothing is newer than the newest story: the first slice starts there, not at now (a site
    // that published nothing this week would otherwise search an empty week first).
    const newest = Math.min(range.upper, indexed.newest + 1);
    if (oldest >= newest) return [];
    const conditions = sql.join(this.conditions(filter), sql` and `);
    const tsquery = sql`cast(${tsqueryLiteral(query)} as tsquery)`;
    const wordsOnly = sql`cast(${tsqueryLiteral(query, { wordsOnly: true })} as tsquery)`;
    const hasPhrase = query.parts.some((part) => part.kind === 'phrase');
    // The stories, and so the rarest part's, are taken as spread evenly over the time indexed.
    const span = Math.max(1, Math.min(range.now, indexed.newest) - indexed.oldest);
    // A word the vocabulary has no count for (it is kept with the index, so this is a safeguard)
    // makes the first slice all of the time searched.
    let width = bound > 0 ? Math.max(MINUTE_SECONDS, Math.ceil(span * Math.min(1, (SLICE_MARGIN * wanted) / bound))) : newest - oldest;
    let hi = newest;
    const found: Candidate[] = [];
    // A plain index scan would walk the epoch index checking each row's words (one read of the
    // row's words per row): bitmap scans only, so the intersection is made from the two indexes.
    return this.db.transaction().execute(async (trx) => {
      await sql`set local enable_indexscan = off`.execute(trx);
      for (;;) {
        const lo = Math.max(oldest, hi - width);
        const inSlice = sql`${conditions} and d.published_epoch >= ${lo} and d.published_epoch < ${hi}`;
        // A phrase is checked against each story's words, read from the table: so the slice's
        // stories are first found by their words alone (the planner, which cannot tell how common
        // a phrase is, would otherwise check every story with the words, of every year), and the
        // phrase is checked on those. Ranked outside, so that ts_rank reads the candidates' words only.
        const slice = hasPhrase
          ? sql`select s.article_id, s.published_epoch, d.document from (
                select d.ctid as row, d.article_id, d.published_epoch from search_documents d
                where d.document @@ ${wordsOnly} and ${inSlice} offset 0) s
              join search_documents d on d.ctid = s.row
              where d.document @@ ${tsquery}
              order by s.published_epoch desc, s.article_id desc limit ${wanted - found.length}`
          : sql`select d.article_id, d.published_epoch, d.document from search_documents d
              where d.document @@ ${tsquery} and ${inSlice}
              order by d.published_epoch desc, d.article_id desc limit ${wanted - found.length}`;
        const { rows } = await sql<{ article_id: number; published_epoch: number | string; relevance: number }>`
          select article_id, published_epoch, ts_rank(document, ${tsquery}) as relevance from (${slice}) slice
          order by published_epoch desc, article_id desc`.execute(trx);
        for (const r of rows) found.push({ id: r.article_id, epoch: Number(r.published_epoch), relevance: Number(r.relevance) });
        if (found.length >= wanted || lo <= oldest) return found;
        // At the rate of matches this slice held; eight times as wide when it held none.
        width = rows.length ? Math.max(MINUTE_SECONDS, Math.ceil((NEXT_SLICE_MARGIN * (wanted - found.length) * (hi - lo)) / rows.length)) : 8 * width;
        hi = lo;
      }
    });
  }

  /**
   * How many stories match, estimated from the newest ones found: as many per second as between
   * the newest and the last of them, over the time searched back to the oldest story, and never
   * more than have the query's rarest word. Rounded to two figures: it is an estimate, said so.
   */
  private async estimate(newest: Candidate[], lower: number, facts: IndexFacts): Promise<number> {
    const first = newest[0]!.epoch;
    const last = newest.at(-1)!.epoch;
    const oldest = Math.max(lower, (await facts.timeSpan())?.oldest ?? first);
    const extrapolated = (newest.length * Math.max(1, first - oldest)) / Math.max(1, first - last);
    const bound = (await facts.matchBound()) || Infinity;
    const estimate = Math.max(newest.length, Math.min(extrapolated, bound));
    const unit = 10 ** Math.max(0, Math.floor(Math.log10(estimate)) - 1);
    return Math.round(estimate / unit) * unit;
  }

  private async insert(entries: { document: SearchDocument; text: IndexedText }[]): Promise<void> {
    const postgres = this.engine === 'postgres';
    const rows = entries.map(({ document, text }) => ({
      article_id: document.articleId,
      section_id: document.sectionId,
      slug: document.slug,
      published_at: document.publishedAt,
      published_epoch: Math.floor(Date.parse(document.publishedAt) / 1000),
      ...(postgres && { document: sql`cast(${tsvectorLiteral(text)} as tsvector)` }),
    }));
    await this.db.insertInto('search_documents').values(rows as never).execute();
    await this.db
      .insertInto('search_texts')
      .values(entries.map(({ document: d }) => ({ article_id: d.articleId, headline: d.headline, dek: d.dek, body: d.body })))
      .execute();
    if (!postgres) {
      const values = entries.map(({ document, text }) => {
        const epoch = Math.max(0, Math.floor(Date.parse(document.publishedAt) / 1000));
        return sql`(cast(${epoch} as integer) * ${sql.lit(FTS_KEY)} + cast(${document.articleId} as integer), ${text.headline.join(' ')}, ${text.dek.join(' ')}, ${text.body.join(' ')})`;
      });
      await sql`insert into search_fts (rowid, headline, dek, body) values ${sql.join(values)}`.execute(this.db);
    }
  }

  private async delete(articleId: number): Promise<void> {
    if (this.engine === 'sqlite') {
      const key = sql.lit(FTS_KEY);
      await sql`delete from search_fts where rowid = (select max(published_epoch, 0) * ${key} + article_id from search_documents where article_id = ${articleId})`.execute(this.db);
    }
    await this.db.deleteFrom('search_documents').where('article_id', '=', articleId).execute();
    await this.db.deleteFrom('search_texts').where('article_id', '=', articleId).execute();
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

function chunks<T>(list: T[], size = VOCABULARY_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function toDocument(row: { article_id: number; section_id: number; slug: string; published_at: string; headline: string; dek: string; body: string }): SearchDocument {
  return { articleId: row.article_id, sectionId: row.section_id, slug: row.slug, publishedAt: row.published_at, headline: row.headline, dek: row.dek, body: row.body };
}
