// Readers' reports of comments: one per reader and comment, open until a moderator settles them.
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { CommentTables } from './comment-tables.ts';

/** The open reports on one comment, summed up for moderators. */
export interface ReportSummary {
  count: number;
  /** Reason → how many readers gave it. */
  reasons: Record<string, number>;
  /** Readers' own words, newest first. */
  notes: string[];
}

export class ReportRepository {
  private readonly db: Kysely<CommentTables>;

  constructor(db: Db) {
    this.db = db.withTables<CommentTables>();
  }

  private t(trx?: Db): Kysely<CommentTables> {
    return trx ? trx.withTables<CommentTables>() : this.db;
  }

  /** Stores one reader's report; false when this reader had already reported this comment. */
  async add(report: { commentId: number; reporter: string; reason: string; note: string; at: string }): Promise<boolean> {
    const result = await this.db
      .insertInto('comment_reports')
      .values({ comment_id: report.commentId, reporter: report.reporter, reason: report.reason, note: report.note, created_at: report.at })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** The open reports of these comments, summed up per comment. */
  async openFor(commentIds: readonly number[]): Promise<Map<number, ReportSummary>> {
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
  async resolve(trx: Db, commentId: number, resolution: 'dismissed' | 'acted', at: string): Promise<number> {
    const result = await this.t(trx)
      .updateTable('comment_reports')
      .set({ resolved_at: at, resolution })
      .where('comment_id', '=', commentId)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
