// The comments feature's SQL for comments themselves, per-story open/closed and the settings. The
// defences' counters and readers' reports have repositories of their own, reached from this one
// (`defences`, `reports`), so one object still serves the feature. Rows stay in here.
import { sql, type Kysely } from 'kysely';
import { param, Prepared, type Db } from '../platform/db.ts';
import type { CommentStatus } from './moderation-rules.ts';

import type { CommentTables } from './comment-tables.ts';
import { SHOWN, toShown, toComment, rowOf, type NewComment, type StoredComment, type ShownComment, type ImportedPlace, type QueueFilter } from './comment-rows.ts';
import { DefenceRepository } from './defence-repository.ts';
import { ReportRepository } from './report-repository.ts';


export class CommentRepository {
  private readonly db: Kysely<CommentTables>;
  /** A story page's queries, compiled once (see Prepared): it is drawn far more often than anything else here. */
  private readonly compiled = new Map<string, Prepared<unknown, Record<string, unknown>>>();

  /** Rate counters, used form tokens, recent look-alikes and the classifier's counts (defence-repository.ts). */
  readonly defences: DefenceRepository;
  /** Readers' reports (report-repository.ts). */
  readonly reports: ReportRepository;

  constructor(db: Db) {
    this.db = db.withTables<CommentTables>();
    this.defences = new DefenceRepository(db);
    this.reports = new ReportRepository(db);
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
      .values(rowOf(c))
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
        .values(slice.map((c) => ({ ...rowOf(c), source_key: c.sourceKey })))
        .returning(['id', 'source_key'])
        .execute();
      for (const r of rows) if (r.source_key) ids.set(r.source_key, r.id);
      const tops = slice.filter((c) => c.threadId === null).map((c) => ids.get(c.sourceKey)!);
      if (tops.length) await this.t(trx).updateTable('comments').set((eb) => ({ thread_id: eb.ref('id') })).where('id', 'in', tops).execute();
    }
    for (const [articleId, count] of approvedPerStory(comments)) await this.adjustCount(trx, articleId, count);
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
    for (const [articleId, n] of approvedPerStory(rows.map((r) => ({ articleId: r.article_id, status: r.status })))) await this.adjustCount(trx, articleId, -n);
    if (ids.length > 0) await db.deleteFrom('comment_reports').where('comment_id', 'in', ids).execute();
    await db.deleteFrom('comment_rate').where('subject', '=', `email:${email}`).execute();
    return [...new Set(rows.map((r) => r.article_id))];
  }

  // Readers' reports

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


}

/** Approved comments per story, for the counts a write changes. */
function approvedPerStory(comments: readonly { articleId: number; status: string }[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const c of comments) if (c.status === 'approved') counts.set(c.articleId, (counts.get(c.articleId) ?? 0) + 1);
  return counts;
}
