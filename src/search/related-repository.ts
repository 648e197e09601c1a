// All SQL of Related Articles, the same on SQLite and PostgreSQL: stories' vectors as postings
// (related_terms, keyed by term so one term's stories are one range of the key), the stored lists
// with their reasons, and the editors' pins and exclusions. The document frequencies come from
// the search index's vocabulary (search_terms), which this feature shares.
import { sql, type Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import { isTopicTerm, type Choice, type Overlap, type Vector } from './related-score.ts';

type RelatedTables = {
  related_documents: { article_id: number; published_epoch: number; vector: string; computed_at: string };
  related_terms: { term: string; article_id: number; weight: number };
  related_lists: { article_id: number; position: number; related_id: number; score: number; reason: string };
  related_choices: { article_id: number; related_id: number; choice: string; position: number; chosen_by: string; chosen_at: string };
  search_terms: { term: string; documents: number };
  search_documents: { article_id: number };
};

/** Why an item is on a story's list, as the newsroom shows it. */
export interface Reason {
  pinned: boolean;
  topics: string[];
  terms: string[];
  topicScore: number;
  textScore: number;
  ageDays: number;
}

export interface StoredItem {
  relatedId: number;
  score: number;
  reason: Reason;
}

/** A story's strongest words that look for candidates (its topics always do). */
const QUERY_TERMS = 10;
/** Postings read per term, strongest first. */
const POSTINGS = 400;
/** Candidates scored exactly, at least. */
const EXACT_CANDIDATES = 200;

export interface ChoiceRecord extends Choice {
  chosenBy: string;
  chosenAt: string;
}

export class RelatedRepository {
  private readonly db: Kysely<RelatedTables>;

  constructor(rawDb: Db) {
    this.db = rawDb.withTables<RelatedTables>();
  }

  transaction<T>(fn: (repo: RelatedRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new RelatedRepository(trx as unknown as Db), trx as unknown as Db));
  }

  on(trx: Db): RelatedRepository {
    return new RelatedRepository(trx);
  }

  // The vocabulary (search index)

  async documentFrequencies(terms: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const chunk of chunks(terms)) {
      const rows = await this.db.selectFrom('search_terms').select(['term', 'documents']).where('term', 'in', chunk).execute();
      for (const row of rows) out.set(row.term, Number(row.documents));
    }
    return out;
  }

  async indexedStories(): Promise<number> {
    const row = await this.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // Vectors

  async vector(articleId: number): Promise<{ vector: Vector; publishedEpoch: number } | undefined> {
    const row = await this.db.selectFrom('related_documents').select(['vector', 'published_epoch']).where('article_id', '=', articleId).executeTakeFirst();
    return row && { vector: JSON.parse(row.vector) as Vector, publishedEpoch: Number(row.published_epoch) };
  }

  async putVector(articleId: number, publishedEpoch: number, vector: Vector, now: string): Promise<void> {
    await this.removeVector(articleId);
    await this.db.insertInto('related_documents').values({ article_id: articleId, published_epoch: publishedEpoch, vector: JSON.stringify(vector), computed_at: now }).execute();
    if (vector.length) await this.db.insertInto('related_terms').values(vector.map(([term, weight]) => ({ term, article_id: articleId, weight }))).execute();
  }

  async removeVector(articleId: number): Promise<void> {
    await this.db.deleteFrom('related_terms').where('article_id', '=', articleId).execute();
    await this.db.deleteFrom('related_documents').where('article_id', '=', articleId).execute();
  }

  async vectorCount(): Promise<number> {
    const row = await this.db.selectFrom('related_documents').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Which of `ids` have a vector published by `nowEpoch` (stories readers can see). */
  async withVectors(ids: number[], nowEpoch: number): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('related_documents').select('article_id').where('article_id', 'in', ids).where('published_epoch', '<=', nowEpoch).execute();
    return new Set(rows.map((r) => r.article_id));
  }

  /**
   * The stories sharing terms with `vector`, with their exact word and topic overlaps, the
   * strongest `limit` first; only stories published by `nowEpoch`. Candidates come from the
   * postings of the story's QUERY_TERMS strongest words and its topics, each read strongest first
   * and cut at POSTINGS (impact-ordered postings: a common word's ten-thousandth story is not the
   * one this story is about), so the cost stays bounded however large the site; the candidates'
   * whole vectors then give the exact scores. `wordsQueried` reads more of the story's words.
   */
  async overlaps(articleId: number, vector: Vector, nowEpoch: number, limit: number, wordsQueried = QUERY_TERMS): Promise<Overlap[]> {
    const queryTerms = [...vector.filter(([t]) => !isTopicTerm(t)).slice(0, wordsQueried), ...vector.filter(([t]) => isTopicTerm(t))];
    if (queryTerms.length === 0) return [];
    const own = new Map(vector);
    const lists = queryTerms.map(
      ([term]) => sql`select * from (select term, article_id, weight from related_terms where term = ${term} order by weight desc, article_id desc limit ${POSTINGS}) as p`,
    );
    const { rows } = await sql<{ term: string; article_id: number; weight: number | string }>`${sql.join(lists, sql` union all `)}`.execute(this.db);
    const partial = new Map<number, number>();
    for (const row of rows) if (row.article_id !== articleId) partial.set(row.article_id, (partial.get(row.article_id) ?? 0) + Number(row.weight) * own.get(row.term)!);
    const candidates = [...partial].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, Math.max(limit, EXACT_CANDIDATES)).map(([id]) => id);
    if (candidates.length === 0) return [];
    const documents = await this.db
      .selectFrom('related_documents')
      .select(['article_id', 'published_epoch', 'vector'])
      .where('article_id', 'in', candidates)
      .where('published_epoch', '<=', nowEpoch)
      .execute();
    const out = documents.map((d) => {
      let topicScore = 0;
      let textScore = 0;
      for (const [term, weight] of JSON.parse(d.vector) as Vector) {
        const mine = own.get(term);
        if (mine === undefined) continue;
        if (isTopicTerm(term)) topicScore += mine * weight;
        else textScore += mine * weight;
      }
      return { articleId: d.article_id, publishedEpoch: Number(d.published_epoch), topicScore, textScore };
    });
    return out.sort((a, b) => b.topicScore + b.textScore - (a.topicScore + a.textScore) || b.articleId - a.articleId).slice(0, limit);
  }

  /** The stored vectors of some stories, as term → weight (for the terms two stories share). */
  async vectors(ids: number[]): Promise<Map<number, Map<string, number>>> {
    const out = new Map<number, Map<string, number>>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('related_documents').select(['article_id', 'vector']).where('article_id', 'in', ids).execute();
    for (const row of rows) out.set(row.article_id, new Map(JSON.parse(row.vector) as Vector));
    return out;
  }

  // Stored lists

  async list(articleId: number): Promise<StoredItem[]> {
    const rows = await this.db.selectFrom('related_lists').select(['related_id', 'score', 'reason']).where('article_id', '=', articleId).orderBy('position').execute();
    return rows.map((r) => ({ relatedId: r.related_id, score: Number(r.score), reason: JSON.parse(r.reason) as Reason }));
  }

  async replaceList(articleId: number, items: StoredItem[]): Promise<void> {
    await this.db.deleteFrom('related_lists').where('article_id', '=', articleId).execute();
    if (items.length === 0) return;
    await this.db
      .insertInto('related_lists')
      .values(items.map((item, position) => ({ article_id: articleId, position, related_id: item.relatedId, score: item.score, reason: JSON.stringify(item.reason) })))
      .execute();
  }

  /** The stories whose lists show `relatedId`. */
  async listing(relatedId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('related_lists').select('article_id').distinct().where('related_id', '=', relatedId).execute();
    return rows.map((r) => r.article_id);
  }

  async dropFromLists(relatedId: number): Promise<void> {
    await this.db.deleteFrom('related_lists').where('related_id', '=', relatedId).execute();
  }

  /** For each story, how many computed (unpinned) items its list holds and the weakest one's score. */
  async computedTails(ids: number[]): Promise<Map<number, { count: number; weakest: number }>> {
    const out = new Map<number, { count: number; weakest: number }>();
    for (const chunk of chunks(ids)) {
      const rows = await this.db
        .selectFrom('related_lists')
        .select(['article_id', (eb) => eb.fn.countAll<number | string>().as('n'), (eb) => eb.fn.min('score').as('weakest')])
        .where('article_id', 'in', chunk)
        .groupBy('article_id')
        .execute();
      for (const row of rows) out.set(row.article_id, { count: Number(row.n), weakest: Number(row.weakest) });
    }
    return out;
  }

  // The editors' choices

  async choices(articleId: number): Promise<ChoiceRecord[]> {
    const rows = await this.db.selectFrom('related_choices').selectAll().where('article_id', '=', articleId).orderBy('position').orderBy('related_id').execute();
    return rows.map((r) => ({ relatedId: r.related_id, choice: r.choice as Choice['choice'], position: r.position, chosenBy: r.chosen_by, chosenAt: r.chosen_at }));
  }

  async setChoice(articleId: number, choice: ChoiceRecord): Promise<void> {
    await this.clearChoice(articleId, choice.relatedId);
    await this.db
      .insertInto('related_choices')
      .values({ article_id: articleId, related_id: choice.relatedId, choice: choice.choice, position: choice.position, chosen_by: choice.chosenBy, chosen_at: choice.chosenAt })
      .execute();
  }

  async clearChoice(articleId: number, relatedId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('related_choices').where('article_id', '=', articleId).where('related_id', '=', relatedId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function chunks<T>(list: T[], size = 400): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
