// Comments brought from another system (a WordPress export), stored as they were decided there:
// apart from the reader's path (CommentService) because they skip the form token, the rules and
// the classifier, and are written inside the importer's own story transaction.
import type { Change, ChangeFeed } from '../platform/changes.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { commentTags } from './change-tags.ts';
import { bodyHash } from './comment-input.ts';
import type { CommentRepository } from './comment-repository.ts';
import type { NewComment } from './comment-rows.ts';
import { settingsFromRows } from './comment-settings.ts';
import { commentHtml } from './comment-text.tsx';
import { fitImported, parentsFirst, type ImportedComment, type ImportOutcome } from './imported-comment.ts';

const DAY = 24 * 3600_000;
/** Why an imported comment is where it is, for the moderation queue. */
const IMPORTED_REASON = 'imported: moderated where it was first published';

export class CommentImport {
  constructor(
    private readonly repository: CommentRepository,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores comments another system published (a WordPress import) on story `articleId`, inside
   * the caller's transaction (the story's own, so the story and its comments commit together).
   * They were moderated there: each keeps its decision (approved or pending) and goes through
   * neither the moderation rules nor the classifier, which learns from this site's moderators
   * only. A comment whose source key is already stored is left as the newsroom has it now; a
   * reply whose parent is not an approved comment of this story starts a thread, and one deeper
   * than the depth limit joins its parent's level. Pass the returned change to `importApplied` after
   * the commit.
   */
  async importInto(trx: Db, articleId: number, comments: readonly ImportedComment[]): Promise<ImportOutcome & { change: Change | null }> {
    const outcome: ImportOutcome = { added: { approved: 0, pending: 0 }, already: 0, empty: 0 };
    if (comments.length === 0) return { ...outcome, change: null };
    // Read through the transaction: on SQLite its connection is the only one until it commits.
    const settings = settingsFromRows(await this.repository.settings(trx));
    const ipKeptSince = new Date(this.clock.now().getTime() - settings.ipRetentionDays * DAY).toISOString();
    const ordered = parentsFirst(comments);
    const keys = new Set<string>(ordered.map((c) => c.sourceKey));
    for (const c of ordered) if (c.parentKey) keys.add(c.parentKey);
    const known = await this.repository.bySourceKeys(trx, [...keys]);
    // Where each approved comment of this story sits: an earlier run's, or one added now.
    const placed = new Map<string, { id: number; parentId: number | null; depth: number; threadId: number }>();
    for (const [key, row] of known) if (row.articleId === articleId && row.status === 'approved') placed.set(key, row);
    // In generations (the comments whose parents are placed, then their replies…): a story's
    // comments cost a statement per level of its deepest thread, not one per comment.
    let waiting: ImportedComment[] = [];
    for (const c of ordered) {
      if (known.has(c.sourceKey)) outcome.already++;
      else waiting.push(c);
    }
    while (waiting.length) {
      const waitingKeys = new Set(waiting.map((c) => c.sourceKey));
      let ready = waiting.filter((c) => !c.parentKey || placed.has(c.parentKey) || !waitingKeys.has(c.parentKey));
      // parentsFirst has broken every loop; should one remain, its comments start threads.
      if (ready.length === 0) ready = waiting;
      const readyKeys = new Set(ready.map((c) => c.sourceKey));
      waiting = waiting.filter((c) => !readyKeys.has(c.sourceKey));
      const rows: (NewComment & { sourceKey: string })[] = [];
      for (const c of ready) {
        const fitted = fitImported(c, ipKeptSince);
        if (!fitted) {
          outcome.empty++;
          continue;
        }
        let parent = c.parentKey ? placed.get(c.parentKey) : undefined;
        // Past the depth limit a reply answers its parent's parent, as a reader's reply there would.
        if (parent && parent.depth >= settings.depthLimit) {
          parent = parent.parentId === null ? undefined : { id: parent.parentId, parentId: null, depth: parent.depth - 1, threadId: parent.threadId };
        }
        rows.push({
          articleId,
          parentId: parent?.id ?? null,
          threadId: parent ? parent.threadId : null,
          depth: parent ? parent.depth + 1 : 1,
          status: c.status,
          authorName: fitted.authorName,
          authorEmail: fitted.email,
          authorUrl: fitted.url,
          body: fitted.text,
          bodyHtml: commentHtml(fitted.text),
          bodyHash: bodyHash(fitted.text),
          ip: fitted.ip,
          reasons: [IMPORTED_REASON],
          spamScore: null,
          trainedAs: null,
          origin: 'reader',
          sourceKey: c.sourceKey,
          at: fitted.at,
        });
        outcome.added[c.status]++;
      }
      const ids = await this.repository.insertImported(trx, rows);
      for (const row of rows) {
        const id = ids.get(row.sourceKey)!;
        if (row.status === 'approved') placed.set(row.sourceKey, { id, parentId: row.parentId, depth: row.depth, threadId: row.threadId ?? id });
      }
    }
    const change = outcome.added.approved > 0 ? await this.changes.record(trx, [commentTags.thread(articleId)]) : null;
    return { ...outcome, change };
  }

  /** `importInto` in a transaction of its own, for comments on a story that is not written now. */
  async importComments(articleId: number, comments: readonly ImportedComment[]): Promise<ImportOutcome> {
    const { change, ...outcome } = await this.repository.transaction((trx) => this.importInto(trx, articleId, comments));
    if (change) this.changes.applied(change);
    return outcome;
  }

  /** Tells this process's page cache about comments `importInto` stored, once they are committed. */
  importApplied(change: Change | null): void {
    if (change) this.changes.applied(change);
  }
}
