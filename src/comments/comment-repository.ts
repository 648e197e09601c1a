// All of the comments feature's SQL: comments, per-story open/closed, settings, posting attempts
// (rate limits), used form tokens and the classifier's word counts. Rows stay in here.
import { sql, type Generated, type Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { WordCounts } from './classifier.ts';
import type { CommentStatus } from './moderation-rules.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type CommentTables = {
  comments: {
    id: Generated<number>;
    article_id: number;
    parent_id: number | null;
    thread_id: number | null;
    depth: number;
    status: string;
    author_name: string;
    author_email: string;
    author_url: string;
    body: string;
    body_hash: string;
    ip: string | null;
    reasons: string;
    spam_score: number | null;
    trained_as: string | null;
    origin: string;
    picked: Generated<number>;
    /** Where an imported comment came from ('wordpress:<id>'); null for native ones. */
    source_key: Generated<string | null>;
    created_at: string;
    updated_at: string;
  };
  comment_threads: { article_id: number; open: number };
  comment_settings: { key: string; value: string };
  comment_attempts: { id: Generated<number>; subject: string; at: string };
  comment_form_tokens: { nonce: string; used_at: string };
  comment_words: { word: string; spam: number; ham: number };
  comment_erased_sources: { source_key: string };
};

type Row = Omit<CommentTables['comments'], 'id' | 'picked' | 'source_key'> & { id: number; picked: number; source_key: string | null };

/** A stored comment, for the service and the newsroom (the email and address are staff-only). */
export interface StoredComment {
  id: number;
  articleId: number;
  parentId: number | null;
  threadId: number;
  depth: number;
  status: CommentStatus;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  body: string;
  ip: string | null;
  reasons: string[];
  spamScore: number | null;
  trainedAs: 'spam' | 'ham' | null;
  origin: 'reader' | 'newsroom';
  /** Featured by an editor. */
  picked: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewComment {
  articleId: number;
  parentId: number | null;
  /** The parent's thread (null for a top-level comment: its own id is filled in). */
  threadId: number | null;
  depth: number;
  status: CommentStatus;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  body: string;
  bodyHash: string;
  ip: string | null;
  reasons: string[];
  spamScore: number | null;
  trainedAs: 'spam' | 'ham' | null;
  origin: 'reader' | 'newsroom';
  /** An imported comment's key in the system it came from (a re-run finds it by this). */
  sourceKey?: string;
  at: string;
}

/** Where an imported comment sits, found by its source key. */
export interface ImportedPlace {
  id: number;
  articleId: number;
  parentId: number | null;
  depth: number;
  threadId: number;
  status: CommentStatus;
}

export interface QueueFilter {
  status?: CommentStatus;
  articleId?: number;
  /** Comments older than this id (the queue's next page). */
  beforeId?: number;
  limit: number;
}

function toComment(r: Row): StoredComment {
  return {
    id: r.id,
    articleId: r.article_id,
    parentId: r.parent_id,
    threadId: r.thread_id ?? r.id,
    depth: r.depth,
    status: r.status as CommentStatus,
    authorName: r.author_name,
    authorEmail: r.author_email,
    authorUrl: r.author_url,
    body: r.body,
    ip: r.ip,
    reasons: parseReasons(r.reasons),
    spamScore: r.spam_score,
    trainedAs: r.trained_as === 'spam' || r.trained_as === 'ham' ? r.trained_as : null,
    origin: r.origin === 'newsroom' ? 'newsroom' : 'reader',
    picked: r.picked === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function parseReasons(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export class CommentRepository {
  private readonly db: Kysely<CommentTables>;

  constructor(db: Db) {
    this.db = db.withTables<CommentTables>();
  }

  private t(trx?: Db): Kysely<CommentTables> {
    return trx ? trx.withTables<CommentTables>() : this.db;
  }

  transaction<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a Db is Kysely<{}>
    return this.db.transaction().execute((trx) => work(trx as unknown as Kysely<{}>));
  }

  async insert(trx: Db, c: NewComment): Promise<number> {
    const row = await this.t(trx)
      .insertInto('comments')
      .values({
        article_id: c.articleId,
        parent_id: c.parentId,
        thread_id: c.threadId,
        depth: c.depth,
        status: c.status,
        author_name: c.authorName,
        author_email: c.authorEmail,
        author_url: c.authorUrl,
        body: c.body,
        body_hash: c.bodyHash,
        ip: c.ip,
        reasons: JSON.stringify(c.reasons),
        spam_score: c.spamScore,
        trained_as: c.trainedAs,
        origin: c.origin,
        ...(c.sourceKey !== undefined ? { source_key: c.sourceKey } : {}),
        created_at: c.at,
        updated_at: c.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (c.threadId === null) await this.t(trx).updateTable('comments').set({ thread_id: row.id }).where('id', '=', row.id).execute();
    return row.id;
  }

  /**
   * Stores imported comments (each with its source key) in few statements: one multi-row insert
   * per slice, and top-level ones made their own thread at once. Returns each source key's id.
   */
  async insertImported(trx: Db, comments: readonly (NewComment & { sourceKey: string })[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    // 100 rows of 17 values stay well under both engines' parameter limits.
    for (let at = 0; at < comments.length; at += 100) {
      const slice = comments.slice(at, at + 100);
      const rows = await this.t(trx)
        .insertInto('comments')
        .values(slice.map((c) => ({
          article_id: c.articleId,
          parent_id: c.parentId,
          thread_id: c.threadId,
          depth: c.depth,
          status: c.status,
          author_name: c.authorName,
          author_email: c.authorEmail,
          author_url: c.authorUrl,
          body: c.body,
          body_hash: c.bodyHash,
          ip: c.ip,
          reasons: JSON.stringify(c.reasons),
          spam_score: c.spamScore,
          trained_as: c.trainedAs,
          origin: c.origin,
          source_key: c.sourceKey,
          created_at: c.at,
          updated_at: c.at,
        })))
        .returning(['id', 'source_key'])
        .execute();
      for (const r of rows) if (r.source_key) ids.set(r.source_key, r.id);
      const tops = slice.filter((c) => c.threadId === null).map((c) => ids.get(c.sourceKey)!);
      if (tops.length) await this.t(trx).updateTable('comments').set((eb) => ({ thread_id: eb.ref('id') })).where('id', 'in', tops).execute();
    }
    return ids;
  }

  async find(id: number, trx?: Db): Promise<StoredComment | undefined> {
    const row = await this.t(trx).selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toComment(row);
  }

  /**
   * Comments already imported under these source keys: where each sits in its thread. An erased
   * one counts as imported (in no story, as trash), so it is never stored again.
   */
  async bySourceKeys(trx: Db, keys: readonly string[]): Promise<Map<string, ImportedPlace>> {
    const found = new Map<string, ImportedPlace>();
    // In slices: both engines cap the parameters of one statement.
    for (let at = 0; at < keys.length; at += 500) {
      const rows = await this.t(trx)
        .selectFrom('comments')
        .select(['id', 'article_id', 'parent_id', 'depth', 'thread_id', 'status', 'source_key'])
        .where('source_key', 'in', keys.slice(at, at + 500))
        .execute();
      for (const r of rows) if (r.source_key) found.set(r.source_key, { id: r.id, articleId: r.article_id, parentId: r.parent_id, depth: r.depth, threadId: r.thread_id ?? r.id, status: r.status as CommentStatus });
      const erased = await this.t(trx).selectFrom('comment_erased_sources').select('source_key').where('source_key', 'in', keys.slice(at, at + 500)).execute();
      for (const r of erased) found.set(r.source_key, { id: 0, articleId: 0, parentId: null, depth: 0, threadId: 0, status: 'trash' });
    }
    return found;
  }

  async findMany(ids: readonly number[]): Promise<StoredComment[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('comments').selectAll().where('id', 'in', [...ids]).execute();
    return rows.map(toComment);
  }

  /**
   * A story's approved comments in its first `threads` top-level threads after top-level id
   * `after` (replies included), oldest first; `more` when further threads follow.
   */
  async approvedThreads(articleId: number, threads: number, after = 0): Promise<{ comments: StoredComment[]; more: boolean }> {
    const tops = await this.db
      .selectFrom('comments')
      .select('id')
      .where('article_id', '=', articleId)
      .where('status', '=', 'approved')
      .where('parent_id', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(threads + 1)
      .execute();
    const ids = tops.slice(0, threads).map((r) => r.id);
    if (ids.length === 0) return { comments: [], more: false };
    const rows = await this.db.selectFrom('comments').selectAll().where('thread_id', 'in', ids).where('status', '=', 'approved').orderBy('id').execute();
    return { comments: rows.map(toComment), more: tops.length > threads };
  }

  /** A story's editor's picks that readers can see, oldest first. */
  async pickedOf(articleId: number): Promise<StoredComment[]> {
    const rows = await this.db.selectFrom('comments').selectAll().where('article_id', '=', articleId).where('status', '=', 'approved').where('picked', '=', 1).orderBy('id').limit(20).execute();
    return rows.map(toComment);
  }

  async setPicked(trx: Db, id: number, picked: boolean, at: string): Promise<void> {
    await this.t(trx).updateTable('comments').set({ picked: picked ? 1 : 0, updated_at: at }).where('id', '=', id).execute();
  }

  async approvedCount(articleId: number): Promise<number> {
    const row = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('article_id', '=', articleId)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async approvedCounts(articleIds: readonly number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    if (articleIds.length === 0) return counts;
    const rows = await this.db
      .selectFrom('comments')
      .select(['article_id', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('article_id', 'in', [...articleIds])
      .where('status', '=', 'approved')
      .groupBy('article_id')
      .execute();
    for (const row of rows) counts.set(row.article_id, Number(row.n));
    return counts;
  }

  /** Approved comments by this email under this name, and rejected ones (spam, trash) by the email. */
  async history(email: string, name: string): Promise<{ approved: number; approvedSameName: number; rejected: number }> {
    const rows = await this.db
      .selectFrom('comments')
      .select(['status', 'author_name', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('author_email', '=', email)
      .where('origin', '=', 'reader')
      .groupBy(['status', 'author_name'])
      .execute();
    let approved = 0;
    let approvedSameName = 0;
    let rejected = 0;
    for (const row of rows) {
      const n = Number(row.n);
      if (row.status === 'approved') {
        approved += n;
        if (row.author_name.toLowerCase() === name.toLowerCase()) approvedSameName += n;
      } else if (row.status === 'spam' || row.status === 'trash') rejected += n;
    }
    return { approved, approvedSameName, rejected };
  }

  async countFromIpSince(ip: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('ip', '=', ip)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async duplicateSince(bodyHash: string, since: string): Promise<boolean> {
    const row = await this.db.selectFrom('comments').select('id').where('body_hash', '=', bodyHash).where('created_at', '>=', since).executeTakeFirst();
    return row !== undefined;
  }

  /** Records one posting attempt for each subject (`ip:…`, `email:…`). */
  async recordAttempts(subjects: readonly string[], at: string): Promise<void> {
    await this.db.insertInto('comment_attempts').values(subjects.map((subject) => ({ subject, at }))).execute();
  }

  async attemptsSince(subject: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('comment_attempts')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('subject', '=', subject)
      .where('at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Marks a form token used; false when it had been used before. */
  async useToken(trx: Db, nonce: string, at: string): Promise<boolean> {
    const result = await this.t(trx)
      .insertInto('comment_form_tokens')
      .values({ nonce, used_at: at })
      .onConflict((oc) => oc.column('nonce').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async setStatus(trx: Db, id: number, status: CommentStatus, trainedAs: 'spam' | 'ham' | null, at: string): Promise<void> {
    await this.t(trx).updateTable('comments').set({ status, trained_as: trainedAs, updated_at: at }).where('id', '=', id).execute();
  }

  async setBody(trx: Db, id: number, fields: { body: string; bodyHash: string; authorName: string; authorUrl: string }, at: string): Promise<void> {
    await this.t(trx)
      .updateTable('comments')
      .set({ body: fields.body, body_hash: fields.bodyHash, author_name: fields.authorName, author_url: fields.authorUrl, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async queue(filter: QueueFilter): Promise<StoredComment[]> {
    let query = this.db.selectFrom('comments').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.articleId) query = query.where('article_id', '=', filter.articleId);
    if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
    const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(toComment);
  }

  async countByStatus(status: CommentStatus): Promise<number> {
    const row = await this.db.selectFrom('comments').select((eb) => eb.fn.countAll<string | number>().as('n')).where('status', '=', status).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async byEmail(email: string): Promise<StoredComment[]> {
    const rows = await this.db.selectFrom('comments').selectAll().where('author_email', '=', email).orderBy('id').execute();
    return rows.map(toComment);
  }

  async deleteByEmail(trx: Db, email: string): Promise<number[]> {
    const rows = await this.t(trx).deleteFrom('comments').where('author_email', '=', email).returning(['id', 'article_id', 'source_key']).execute();
    // An imported comment erased stays erased: its source key (no personal data) keeps a re-run of
    // the import from storing it again.
    const keys = rows.flatMap((r) => (r.source_key ? [{ source_key: r.source_key }] : []));
    for (let at = 0; at < keys.length; at += 500) {
      await this.t(trx).insertInto('comment_erased_sources').values(keys.slice(at, at + 500)).onConflict((oc) => oc.column('source_key').doNothing()).execute();
    }
    return [...new Set(rows.map((r) => r.article_id))];
  }

  /** Drops stored addresses older than `before`; returns how many. */
  async forgetAddresses(before: string): Promise<number> {
    const result = await this.db.updateTable('comments').set({ ip: null }).where('ip', 'is not', null).where('created_at', '<', before).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async pruneDefences(before: string): Promise<void> {
    await this.db.deleteFrom('comment_attempts').where('at', '<', before).execute();
    await this.db.deleteFrom('comment_form_tokens').where('used_at', '<', before).execute();
  }

  async threadOpen(articleId: number): Promise<boolean | undefined> {
    const row = await this.db.selectFrom('comment_threads').select('open').where('article_id', '=', articleId).executeTakeFirst();
    return row ? row.open === 1 : undefined;
  }

  async setThreadOpen(trx: Db, articleId: number, open: boolean): Promise<void> {
    await this.t(trx)
      .insertInto('comment_threads')
      .values({ article_id: articleId, open: open ? 1 : 0 })
      .onConflict((oc) => oc.column('article_id').doUpdateSet({ open: open ? 1 : 0 }))
      .execute();
  }

  async settings(trx?: Db): Promise<Map<string, string>> {
    const rows = await this.t(trx).selectFrom('comment_settings').selectAll().execute();
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  async saveSettings(trx: Db, values: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      await this.t(trx).insertInto('comment_settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    }
  }

  /** The stored value, or `make()` stored now (first writer wins when two processes race). */
  async settingOrCreate(key: string, make: () => string): Promise<string> {
    await this.db.insertInto('comment_settings').values({ key, value: make() }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const row = await this.db.selectFrom('comment_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    return row.value;
  }

  async words(): Promise<Map<string, WordCounts>> {
    const rows = await this.db.selectFrom('comment_words').selectAll().execute();
    return new Map(rows.map((r) => [r.word, { spam: r.spam, ham: r.ham }]));
  }

  /** Adds `weight` to each feature's count for `label` (the documents count is the `_docs` row). */
  async learn(trx: Db, feats: readonly string[], label: 'spam' | 'ham', weight: 1 | -1): Promise<void> {
    const db = this.t(trx);
    for (const word of ['_docs', ...feats]) {
      const start = { word, spam: label === 'spam' ? Math.max(0, weight) : 0, ham: label === 'ham' ? Math.max(0, weight) : 0 };
      await db
        .insertInto('comment_words')
        .values(start)
        .onConflict((oc) =>
          // CASE, not max()/greatest(): the one spelling both engines read.
          oc.column('word').doUpdateSet(
            label === 'spam'
              ? { spam: sql<number>`CASE WHEN comment_words.spam + ${weight} < 0 THEN 0 ELSE comment_words.spam + ${weight} END` }
              : { ham: sql<number>`CASE WHEN comment_words.ham + ${weight} < 0 THEN 0 ELSE comment_words.ham + ${weight} END` },
          ),
        )
        .execute();
    }
  }
}
