// What the comment defences store: posting attempts per subject and minute (rate limits that hold
// across processes), used form tokens, the recent comments they compare with (same address, same
// text) and the classifier's word counts.
import { sql, type Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { WordCounts } from './classifier.ts';
import type { CommentTables } from './comment-tables.ts';

export class DefenceRepository {
  private readonly db: Kysely<CommentTables>;

  constructor(db: Db) {
    this.db = db.withTables<CommentTables>();
  }

  private t(trx?: Db): Kysely<CommentTables> {
    return trx ? trx.withTables<CommentTables>() : this.db;
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

  async pruneDefences(before: string): Promise<void> {
    await this.db.deleteFrom('comment_rate').where('minute', '<', before.slice(0, 16)).execute();
    await this.db.deleteFrom('comment_form_tokens').where('used_at', '<', before).execute();
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
