// All of the comments feature's SQL: comments, per-story open/closed, settings, posting attempts
// (rate limits), used form tokens and the classifier's word counts. Rows stay in here.
import { sql, type Generated, type Kysely } from 'kysely';
import { param, Prepared, type Db } from '../platform/db.ts';
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
    /** The text drawn as HTML when it was written (null: written before the column existed). */
    body_html: string | null;
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
  comment_counts: { article_id: number; approved: number };
  comment_rate: { subject: string; minute: string; n: number };
  comment_reports: { id: Generated<number>; comment_id: number; reporter: string; reason: string; note: string; created_at: string; resolved_at: string | null; resolution: string | null };
  comment_form_tokens: { nonce: string; used_at: string };
  comment_words: { word: string; spam: number; ham: number };
  comment_erased_sources: { source_key: string };
};

type Row = Omit<CommentTables['comments'], 'id' | 'picked' | 'source_key'> & { id: number; picked: number; source_key: string | null };

/** What a story page shows of a comment: the columns it reads, no more (the page reads thousands). */
const SHOWN = ['id', 'parent_id', 'thread_id', 'depth', 'status', 'author_name', 'author_url', 'body', 'body_html', 'origin', 'created_at'] as const;
export interface ShownComment {
  id: number;
  parentId: number | null;
  depth: number;
  authorName: string;
  authorUrl: string;
  body: string;
  /** The text's HTML drawn when it was written, or null (then drawn from `body`). */
  bodyHtml: string | null;
  fromNewsroom: boolean;
  createdAt: string;
}

function toShown(r: Pick<Row, Exclude<(typeof SHOWN)[number], 'thread_id'>>): ShownComment {
  return { id: r.id, parentId: r.parent_id, depth: r.depth, authorName: r.author_name, authorUrl: r.author_url, body: r.body, bodyHtml: r.body_html, fromNewsroom: r.origin === 'newsroom', createdAt: r.created_at };
}

/** The open reports on one comment, summed up for moderators. */
export interface ReportSummary {
  count: number;
  /** Reason → how many readers gave it. */
  reasons: Record<string, number>;
  /** Readers' own words, newest first. */
  notes: string[];
}

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
  bodyHtml: string;
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
  /** Only comments with open reports from readers. */
  reported?: boolean;
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
  /** A story page's queries, compiled once (see Prepared): it is drawn far more often than anything else here. */
  private readonly compiled = new Map<string, Prepared<unknown, Record<string, unknown>>>();

  constructor(db: Db) {
    this.db = db.withTables<CommentTables>();
  }

  private prepared<Row>(name: string, build: () => { compile(): import('kysely').CompiledQuery<Row> }): Prepared<Row, Record<string, unknown>> {
    let query = this.compiled.get(name) as Prepared<Row, Record<string, unknown>> | undefined;
    if (!query) this.compiled.set(name, (query = new Prepared(build())));
    return query;
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
        body_html: c.bodyHtml,
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
    if (c.status === 'approved') await this.adjustCount(trx, c.articleId, 1);
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
          body_html: c.bodyHtml,
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
    const approved = new Map<number, number>();
    for (const c of comments) if (c.status === 'approved') approved.set(c.articleId, (approved.get(c.articleId) ?? 0) + 1);
    for (const [articleId, count] of approved) await this.adjustCount(trx, articleId, count);
    return ids;
  }

  /** Keeps comment_counts: every write that makes comments visible or invisible calls it, in its transaction. */
  private async adjustCount(trx: Db, articleId: number, delta: number): Promise<void> {
    if (delta === 0) return;
    await this.t(trx)
      .insertInto('comment_counts')
      .values({ article_id: articleId, approved: Math.max(0, delta) })
      .onConflict((oc) => oc.column('article_id').doUpdateSet({ approved: sql<number>`comment_counts.approved + ${delta}` }))
      .execute();
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
  async approvedThreads(articleId: number, threads: number, after = 0): Promise<{ comments: ShownComment[]; more: boolean }> {
    // One query: the approved comments of the first threads + 1 top-level threads after `after`
    // (the extra one says whether more follow, and is dropped here).
    const query = this.prepared('threads', () =>
      this.db
        .selectFrom('comments')
        .select(SHOWN)
        .where('thread_id', 'in', (eb) =>
          eb
            .selectFrom('comments')
            .select('id')
            .where('article_id', '=', param<number>('articleId'))
            .where('status', '=', 'approved')
            .where('parent_id', 'is', null)
            .where('id', '>', param<number>('after'))
            .orderBy('id')
            .limit(param<number>('threads')),
        )
        .where('status', '=', 'approved'),
    );
    const rows = await query.execute(this.db, { articleId, after, threads: threads + 1 });
    const tops = rows.filter((r) => r.parent_id === null).map((r) => r.id).sort((a, b) => a - b);
    const more = tops.length > threads;
    const last = more ? tops[threads] : undefined;
    // Sorted here: an ORDER BY id leads SQLite to walk every approved comment by (status, id)
    // instead of the few threads by comments_threads.
    const shown = (last === undefined ? rows : rows.filter((r) => r.thread_id !== last)).map(toShown).sort((a, b) => a.id - b.id);
    return { comments: shown, more };
  }

  /** A story's editor's picks that readers can see, oldest first. */
  async pickedOf(articleId: number): Promise<ShownComment[]> {
    // comments_picked (partial: picked = 1) holds only the few picks; the literal lets SQLite see it applies.
    const query = this.prepared('picked', () =>
      this.db.selectFrom('comments').select(SHOWN).where('article_id', '=', param<number>('articleId')).where('picked', '=', sql.lit(1)).where('status', '=', 'approved').orderBy('id').limit(20),
    );
    return (await query.execute(this.db, { articleId })).map(toShown);
  }

  async setPicked(trx: Db, id: number, picked: boolean, at: string): Promise<void> {
    await this.t(trx).updateTable('comments').set({ picked: picked ? 1 : 0, updated_at: at }).where('id', '=', id).execute();
  }

  async approvedCount(articleId: number): Promise<number> {
    const query = this.prepared('count', () => this.db.selectFrom('comment_counts').select('approved').where('article_id', '=', param<number>('articleId')));
    const [row] = await query.execute(this.db, { articleId });
    return Number(row?.approved ?? 0);
  }

  async approvedCounts(articleIds: readonly number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    if (articleIds.length === 0) return counts;
    const rows = await this.db.selectFrom('comment_counts').select(['article_id', 'approved']).where('article_id', 'in', [...articleIds]).execute();
    for (const row of rows) if (row.approved > 0) counts.set(row.article_id, Number(row.approved));
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

  /** Counts one attempt for `subject` in its minute; returns that minute's count so far. */
  async countAttempt(subject: string, minute: string): Promise<number> {
    const row = await this.db
      .insertInto('comment_rate')
      .values({ subject, minute, n: 1 })
      .onConflict((oc) => oc.columns(['subject', 'minute']).doUpdateSet({ n: sql<number>`comment_rate.n + 1` }))
      .returning('n')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Attempts for `subject` counted from minute `since` on. */
  async attemptsSince(subject: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('comment_rate')
      .select((eb) => eb.fn.sum<string | number | null>('n').as('n'))
      .where('subject', '=', subject)
      .where('minute', '>=', since)
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

  async setStatus(trx: Db, comment: Pick<StoredComment, 'id' | 'articleId' | 'status'>, status: CommentStatus, trainedAs: 'spam' | 'ham' | null, at: string): Promise<void> {
    await this.t(trx).updateTable('comments').set({ status, trained_as: trainedAs, updated_at: at }).where('id', '=', comment.id).execute();
    await this.adjustCount(trx, comment.articleId, (status === 'approved' ? 1 : 0) - (comment.status === 'approved' ? 1 : 0));
  }

  async setBody(trx: Db, id: number, fields: { body: string; bodyHtml: string; bodyHash: string; authorName: string; authorUrl: string }, at: string): Promise<void> {
    await this.t(trx)
      .updateTable('comments')
      .set({ body: fields.body, body_html: fields.bodyHtml, body_hash: fields.bodyHash, author_name: fields.authorName, author_url: fields.authorUrl, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async queue(filter: QueueFilter): Promise<StoredComment[]> {
    let query = this.db.selectFrom('comments').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.articleId) query = query.where('article_id', '=', filter.articleId);
    if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
    if (filter.reported) query = query.where('id', 'in', (eb) => eb.selectFrom('comment_reports').select('comment_id').where('resolved_at', 'is', null));
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

  /** Deletes every comment of an email, their reports, and the email's rate-limit counters; returns the stories touched. */
  async deleteByEmail(trx: Db, email: string): Promise<number[]> {
    const db = this.t(trx);
    const rows = await db.deleteFrom('comments').where('author_email', '=', email).returning(['id', 'article_id', 'status', 'source_key']).execute();
    // An imported comment erased stays erased: its source key (no personal data) keeps a re-run of
    // the import from storing it again.
    const keys = rows.flatMap((r) => (r.source_key ? [{ source_key: r.source_key }] : []));
    for (let at = 0; at < keys.length; at += 500) {
      await db.insertInto('comment_erased_sources').values(keys.slice(at, at + 500)).onConflict((oc) => oc.column('source_key').doNothing()).execute();
    }
    const ids = rows.map((r) => r.id);
    const removed = new Map<number, number>();
    for (const r of rows) if (r.status === 'approved') removed.set(r.article_id, (removed.get(r.article_id) ?? 0) + 1);
    for (const [articleId, n] of removed) await this.adjustCount(trx, articleId, -n);
    if (ids.length > 0) await db.deleteFrom('comment_reports').where('comment_id', 'in', ids).execute();
    await db.deleteFrom('comment_rate').where('subject', '=', `email:${email}`).execute();
    return [...new Set(rows.map((r) => r.article_id))];
  }

  // Readers' reports

  /** Stores one reader's report; false when this reader had already reported this comment. */
  async addReport(report: { commentId: number; reporter: string; reason: string; note: string; at: string }): Promise<boolean> {
    const result = await this.db
      .insertInto('comment_reports')
      .values({ comment_id: report.commentId, reporter: report.reporter, reason: report.reason, note: report.note, created_at: report.at })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** The open reports of these comments, summed up per comment. */
  async openReports(commentIds: readonly number[]): Promise<Map<number, ReportSummary>> {
    const out = new Map<number, ReportSummary>();
    if (commentIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('comment_reports')
      .select(['comment_id', 'reason', 'note'])
      .where('comment_id', 'in', [...commentIds])
      .where('resolved_at', 'is', null)
      .orderBy('id', 'desc')
      .execute();
    for (const row of rows) {
      const summary = out.get(row.comment_id) ?? { count: 0, reasons: {}, notes: [] };
      summary.count++;
      summary.reasons[row.reason] = (summary.reasons[row.reason] ?? 0) + 1;
      if (row.note) summary.notes.push(row.note);
      out.set(row.comment_id, summary);
    }
    return out;
  }

  async countReported(): Promise<number> {
    const row = await this.db
      .selectFrom('comment_reports')
      .select((eb) => eb.fn.count<string | number>('comment_id').distinct().as('n'))
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Settles a comment's open reports; returns how many. */
  async resolveReports(trx: Db, commentId: number, resolution: 'dismissed' | 'acted', at: string): Promise<number> {
    const result = await this.t(trx)
      .updateTable('comment_reports')
      .set({ resolved_at: at, resolution })
      .where('comment_id', '=', commentId)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Held comments after id `afterId`, oldest first (the moderators' digest). */
  async pendingAfter(afterId: number, limit: number): Promise<StoredComment[]> {
    const rows = await this.db.selectFrom('comments').selectAll().where('status', '=', 'pending').where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map(toComment);
  }

  /** Drops stored addresses older than `before`; returns how many. */
  async forgetAddresses(before: string): Promise<number> {
    const result = await this.db.updateTable('comments').set({ ip: null }).where('ip', 'is not', null).where('created_at', '<', before).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async pruneDefences(before: string): Promise<void> {
    await this.db.deleteFrom('comment_rate').where('minute', '<', before.slice(0, 16)).execute();
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

  async setting(key: string, trx?: Db): Promise<string | undefined> {
    const row = await this.t(trx).selectFrom('comment_settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
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
