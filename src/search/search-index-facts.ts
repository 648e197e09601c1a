// What a search needs to know of the index besides its matches (search-repository.ts): when the
// oldest and the newest stories were published, how many stories have each part of the query
// (the vocabulary's counts), and which words a typed prefix starts. Each is read at most once per
// search.
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { ParsedQuery } from './search-query.ts';

type FactTables = {
  search_documents: { published_at: string };
  search_terms: { term: string; documents: number };
};

export interface IndexSpan {
  oldest: number;
  newest: number;
}

/** A prefix that starts more words than this is searched as a prefix (see fts5Match). */
const MAX_COMPLETIONS = 32;

/** What a search asks of the index besides its matches, asked once per search whoever needs it. */
export class IndexFacts {
  private span?: Promise<IndexSpan | undefined>;
  private counts?: Promise<number[]>;
  private words?: Promise<Map<string, string[]>>;

  private readonly db: Kysely<FactTables>;

  constructor(
    rawDb: Db,
    private readonly query: ParsedQuery,
  ) {
    this.db = rawDb.withTables<FactTables>();
  }

  /** The publication seconds of the oldest and the newest story indexed; undefined for an empty index. */
  timeSpan(): Promise<IndexSpan | undefined> {
    return (this.span ??= this.readSpan());
  }

  /** At most how many stories can match: a story matches only if it has every part. */
  async matchBound(): Promise<number> {
    return Math.min(...(await this.partCounts()));
  }

  private partCounts(): Promise<number[]> {
    return (this.counts ??= this.readPartCounts());
  }

  /** Each prefix's words in the vocabulary, for a prefix that starts no more than MAX_COMPLETIONS. */
  completions(): Promise<Map<string, string[]>> {
    return (this.words ??= this.readCompletions());
  }

  private async readCompletions(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of this.query.parts) {
      if (part.kind !== 'word' || !part.prefix) continue;
      const rows = await this.prefixed(part.word).select('term').orderBy('term').limit(MAX_COMPLETIONS + 1).execute();
      if (rows.length <= MAX_COMPLETIONS) out.set(part.word, rows.map((r) => r.term));
    }
    return out;
  }

  /** The vocabulary's words that start with `prefix`: from it up to it with its last letter's successor. */
  private prefixed(prefix: string) {
    const letters = [...prefix];
    const next = `${letters.slice(0, -1).join('')}${String.fromCodePoint(letters.at(-1)!.codePointAt(0)! + 1)}`;
    return this.db.selectFrom('search_terms').where('term', '>=', prefix).where('term', '<', next);
  }

  /**
   * Both ends of the publication index, in one statement of two subqueries: SQLite reads a lone
   * min() or max() off the index's end, but both in one select walk the whole index.
   */
  private async readSpan(): Promise<IndexSpan | undefined> {
    const end = (which: 'min' | 'max') => this.db.selectFrom('search_documents').select((eb) => eb.fn[which]<string | null>('published_at').as('at'));
    const row = await this.db
      .selectNoFrom([end('min').as('oldest'), end('max').as('newest')])
      .executeTakeFirst();
    if (!row?.oldest || !row.newest) return undefined;
    return { oldest: Math.floor(Date.parse(row.oldest) / 1000), newest: Math.floor(Date.parse(row.newest) / 1000) };
  }

  /**
   * How many stories have each part of the query, from the vocabulary's counts: a phrase's rarest
   * word; a prefix, the words it starts together (an upper bound: a story may have several).
   */
  private async readPartCounts(): Promise<number[]> {
    const words = new Set(this.query.parts.flatMap((part) => (part.kind === 'phrase' ? part.words : part.prefix ? [] : [part.word])));
    const counts = new Map<string, number>();
    if (words.size) {
      const rows = await this.db.selectFrom('search_terms').select(['term', 'documents']).where('term', 'in', [...words]).execute();
      for (const r of rows) counts.set(r.term, Number(r.documents));
    }
    const count = (word: string) => counts.get(word) ?? 0;
    return Promise.all(
      this.query.parts.map(async (part) => {
        if (part.kind === 'phrase') return Math.min(...part.words.map(count));
        if (!part.prefix) return count(part.word);
        const row = await this.prefixed(part.word)
          .select((eb) => eb.fn.sum<number | string | null>('documents').as('n'))
          .executeTakeFirst();
        return Number(row?.n ?? 0);
      }),
    );
  }
}
