// What moderators do with stored comments: the queue, approve / spam / trash / restore (one or
// many; each move written to the audit log), edits (audited with the text before and after), replies as the newsroom; and privacy: every comment and
// stored address of one email, exported or erased (audited), and client addresses dropped after
// the retention period. A change to what readers see records `comments:<story>` and nothing else.
import type { Actor } from '../newsroom/permissions.ts';
import type { ChangeFeed } from '../platform/changes.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { conflict, invalidInput, notFound } from '../platform/errors.ts';
import { commentTags } from './change-tags.ts';
import { bodyHash, isWebAddress, LIMITS } from './comment-input.ts';
import { applyMove, type CommentMove } from './comment-moves.ts';
import type { CommentRepository } from './comment-repository.ts';
import type { QueueFilter, StoredComment } from './comment-rows.ts';
import type { ReportSummary } from './report-repository.ts';
import type { CommentService } from './comment-service.ts';
import { settingsRowsFromForm } from './comment-settings.ts';
import { commentHtml } from './comment-text.tsx';
import type { SpamModel } from './spam-model.ts';

export interface AuditLog {
  record(trx: Db, entry: { actor: Actor | 'cli'; action: string; target: string; detail?: Record<string, unknown> }): Promise<void>;
}

const DAY = 24 * 3600_000;

/** The email of a privacy request, checked: never empty (the newsroom's own replies have no email). */
export function privacyAddress(email: string): string {
  const address = email.trim().toLowerCase();
  if (!address) throw invalidInput([{ field: 'email', message: 'Enter the commenter’s email address.' }]);
  if (address.length > LIMITS.email || !/^[^\s@]+@[^\s@]+$/.test(address)) throw invalidInput([{ field: 'email', message: 'That is not an email address.' }]);
  return address;
}

export class ModerationService {
  constructor(
    private readonly repository: CommentRepository,
    private readonly comments: CommentService,
    private readonly spam: SpamModel,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  queue(filter: QueueFilter): Promise<StoredComment[]> {
    return this.repository.queue(filter);
  }

  /** The open reports of these comments (readers' reasons, counts and notes). */
  reportsOf(ids: readonly number[]): Promise<Map<number, ReportSummary>> {
    return this.repository.reports.openFor(ids);
  }

  pendingCount(): Promise<number> {
    return this.repository.countByStatus('pending');
  }

  async get(id: number): Promise<StoredComment> {
    const comment = await this.repository.find(id);
    if (!comment) throw notFound('There is no such comment.');
    return comment;
  }

  /** One move on one comment; refused (409) when it does not apply to the comment's status. */
  async move(id: number, move: CommentMove, actor: Actor): Promise<StoredComment> {
    const [result] = await this.moveMany([id], move, actor, { strict: true });
    return result!;
  }

  /**
   * The same move on many comments, in one transaction. Strict (a single comment): a move that
   * does not apply is an error. Bulk: comments it does not apply to are left as they are.
   */
  async moveMany(ids: readonly number[], move: CommentMove, actor: Actor, options: { strict?: boolean } = {}): Promise<StoredComment[]> {
    const now = this.clock.now().toISOString();
    const { change, moved } = await this.repository.transaction(async (trx) => {
      const tags = new Set<string>();
      const moved: StoredComment[] = [];
      let taught = false;
      for (const id of new Set(ids)) {
        const comment = await this.repository.find(id, trx);
        if (!comment) {
          if (options.strict) throw notFound('There is no such comment.');
          continue;
        }
        const outcome = applyMove(move, comment.status);
        if (!outcome.ok) {
          if (options.strict) throw conflict(outcome.message);
          continue;
        }
        let trainedAs = comment.trainedAs;
        if (outcome.teach && outcome.teach !== comment.trainedAs && comment.origin === 'reader') {
          if (comment.trainedAs) await this.spam.teach(trx, comment.body, comment.authorUrl, comment.trainedAs, -1);
          await this.spam.teach(trx, comment.body, comment.authorUrl, outcome.teach, 1);
          trainedAs = outcome.teach;
          taught = true;
        }
        await this.repository.setStatus(trx, comment, outcome.to, trainedAs, now);
        // Spam or trash is acting on what readers reported: their reports are settled with it.
        if (outcome.to === 'spam' || outcome.to === 'trash') await this.repository.reports.resolve(trx, comment.id, 'acted', now);
        await this.audit.record(trx, { actor, action: `comment.${move}`, target: `comment:${comment.id}`, detail: { from: comment.status, to: outcome.to } });
        if (comment.status === 'approved' || outcome.to === 'approved') tags.add(commentTags.thread(comment.articleId));
        moved.push({ ...comment, status: outcome.to, trainedAs, updatedAt: now });
      }
      if (taught) tags.add(commentTags.model);
      return { change: await this.changes.record(trx, tags), moved };
    });
    this.changes.applied(change);
    if (change.tags.includes(commentTags.model)) this.spam.forget();
    return moved;
  }

  /** Features an approved comment as an editor's pick (shown above the thread), or stops featuring it. */
  async pick(id: number, picked: boolean, actor: Actor): Promise<StoredComment> {
    const comment = await this.get(id);
    if (comment.status !== 'approved') throw conflict('Only an approved comment can be an editor’s pick.');
    const change = await this.repository.transaction(async (trx) => {
      await this.repository.setPicked(trx, id, picked, this.clock.now().toISOString());
      await this.audit.record(trx, { actor, action: picked ? 'comment.pick' : 'comment.unpick', target: `comment:${id}` });
      return this.changes.record(trx, [commentTags.thread(comment.articleId)]);
    });
    this.changes.applied(change);
    return this.get(id);
  }

  /** A moderator's edit of the text, name or website; the before and after go to the audit log. */
  async edit(id: number, fields: { body?: unknown; authorName?: unknown; authorUrl?: unknown }, actor: Actor): Promise<StoredComment> {
    const comment = await this.get(id);
    const body = typeof fields.body === 'string' ? fields.body.replace(/\r\n?/g, '\n').trim() : comment.body;
    const authorName = typeof fields.authorName === 'string' ? fields.authorName.trim() : comment.authorName;
    const authorUrl = typeof fields.authorUrl === 'string' ? fields.authorUrl.trim() : comment.authorUrl;
    const errors = [];
    if (!body) errors.push({ field: 'body', message: 'A comment cannot be empty.' });
    else if ([...body].length > LIMITS.comment) errors.push({ field: 'body', message: `A comment has at most ${LIMITS.comment.toLocaleString('en')} characters.` });
    if (!authorName || [...authorName].length > LIMITS.author || /[\r\n\u0000-\u001f]/.test(authorName)) errors.push({ field: 'authorName', message: `The name is required, on one line, at most ${LIMITS.author} characters.` });
    if (authorUrl && (authorUrl.length > LIMITS.url || !isWebAddress(authorUrl))) errors.push({ field: 'authorUrl', message: 'The website must be an http:// or https:// address.' });
    if (errors.length) throw invalidInput(errors);
    const now = this.clock.now().toISOString();
    const change = await this.repository.transaction(async (trx) => {
      await this.repository.setBody(trx, id, { body, bodyHtml: commentHtml(body), bodyHash: bodyHash(body), authorName, authorUrl }, now);
      await this.audit.record(trx, {
        actor,
        action: 'comment.edit',
        target: `comment:${id}`,
        detail: { before: { body: comment.body, authorName: comment.authorName, authorUrl: comment.authorUrl }, after: { body, authorName, authorUrl } },
      });
      return this.changes.record(trx, comment.status === 'approved' ? [commentTags.thread(comment.articleId)] : []);
    });
    this.changes.applied(change);
    return this.get(id);
  }

  /** A reply as the newsroom, under an approved comment: approved at once, shown as the newsroom's. */
  async reply(parentId: number, text: unknown, actor: Actor): Promise<StoredComment> {
    const parent = await this.get(parentId);
    if (parent.status !== 'approved') throw conflict('Approve this comment before replying to it.');
    const body = typeof text === 'string' ? text.replace(/\r\n?/g, '\n').trim() : '';
    if (!body) throw invalidInput([{ field: 'body', message: 'Type the reply.' }]);
    if ([...body].length > LIMITS.comment) throw invalidInput([{ field: 'body', message: `A reply has at most ${LIMITS.comment.toLocaleString('en')} characters.` }]);
    const settings = await this.comments.settings();
    if (parent.depth >= settings.depthLimit) throw conflict(`Replies can nest only ${settings.depthLimit} levels deep.`);
    const now = this.clock.now().toISOString();
    const { id, change } = await this.repository.transaction(async (trx) => {
      const id = await this.repository.insert(trx, {
        articleId: parent.articleId,
        parentId: parent.id,
        threadId: parent.threadId,
        depth: parent.depth + 1,
        status: 'approved',
        authorName: actor.name,
        authorEmail: '',
        authorUrl: '',
        body,
        bodyHtml: commentHtml(body),
        bodyHash: bodyHash(body),
        ip: null,
        reasons: ['newsroom reply'],
        spamScore: null,
        trainedAs: null,
        origin: 'newsroom',
        at: now,
      });
      return { id, change: await this.changes.record(trx, [commentTags.thread(parent.articleId)]) };
    });
    this.changes.applied(change);
    return this.get(id);
  }

  async saveSettings(fields: Record<string, string>, actor: Actor): Promise<void> {
    const rows = settingsRowsFromForm(fields);
    const change = await this.repository.transaction(async (trx) => {
      await this.repository.saveSettings(trx, rows);
      await this.audit.record(trx, { actor, action: 'comments.settings', target: 'comments', detail: rows });
      return this.changes.record(trx, [commentTags.settings]);
    });
    this.changes.applied(change);
  }

  /**
   * Every comment (and stored address) of an email, for its owner's privacy request: looked up on
   * the privacy screen or exported; either is audited, since it shows a person's data.
   */
  async exportEmail(email: string, actor: Actor, purpose: 'export' | 'lookup' = 'export'): Promise<StoredComment[]> {
    const address = privacyAddress(email);
    const found = await this.repository.byEmail(address);
    await this.repository.transaction((trx) => this.audit.record(trx, { actor, action: `comments.${purpose}`, target: `email:${address}`, detail: { comments: found.length } }));
    return found;
  }

  /** Erases every comment of an email, its reports and rate counters (replies to them stay, as replies to a removed comment). */
  async eraseEmail(email: string, actor: Actor): Promise<number> {
    const address = privacyAddress(email);
    const found = await this.repository.byEmail(address);
    const change = await this.repository.transaction(async (trx) => {
      const stories = await this.repository.deleteByEmail(trx, address);
      await this.audit.record(trx, { actor, action: 'comments.erase', target: `email:${address}`, detail: { comments: found.length } });
      return this.changes.record(trx, stories.map(commentTags.thread));
    });
    this.changes.applied(change);
    return found.length;
  }

  /** Drops client addresses past the retention period, and old rate-limit and token rows. */
  async expire(): Promise<number> {
    const settings = await this.comments.settings();
    const now = this.clock.now().getTime();
    const forgotten = await this.repository.forgetAddresses(new Date(now - settings.ipRetentionDays * DAY).toISOString());
    await this.repository.defences.pruneDefences(new Date(now - 3 * DAY).toISOString());
    return forgotten;
  }
}
