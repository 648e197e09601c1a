// Moderators hear of new held comments by email, in batches: a held comment queues the digest job
// (one pending job at a time, by its dedupe key) at the earliest moment the "at most every N
// minutes" setting allows; the job mails every moderator (staff who may moderate comments and are
// not deactivated) one digest of the comments held since the last one, with links to the queue.
// The digest names the commenter but never their email: mail travels beyond the newsroom.
// A retried run sends the same Message-ID per moderator and batch, so an inbox collapses a repeat.
import { Type } from 'typebox';
import { allows, type Role } from '../newsroom/permissions.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { defineJob, enqueue } from '../platform/jobs.ts';
import { PermanentMailError, type Mailer } from '../platform/mailer.ts';
import type { CommentRepository } from './comment-repository.ts';
import type { StoredComment } from './comment-rows.ts';
import type { CommentService } from './comment-service.ts';

export const MODERATOR_DIGEST = defineJob({
  kind: 'comments.moderator-digest',
  lane: 'comments',
  payload: Type.Object({}),
});
const DIGEST_KEY = MODERATOR_DIGEST.kind;
/** Comments listed in one digest; the rest are counted, and waiting in the queue. */
const LISTED = 50;
const MINUTE = 60_000;
const STATE = { sentAt: 'digest_sent_at', lastId: 'digest_last_id' } as const;

export interface StaffMember {
  id: number;
  email: string;
  name: string;
  role: string;
  deactivated_at: string | null;
}

export class ModeratorDigest {
  constructor(
    private readonly repository: CommentRepository,
    private readonly comments: CommentService,
    private readonly mailer: Mailer,
    private readonly staff: () => Promise<StaffMember[]>,
    private readonly clock: Clock,
    private readonly site: { url: string; name: () => Promise<string> },
  ) {}

  /** Called in the transaction that stores a held comment: the next digest, when one is allowed. */
  async held(trx: Db): Promise<void> {
    const { digestMinutes } = await this.comments.settings();
    if (digestMinutes === 0) return;
    const runAt = await this.nextAllowed(digestMinutes, trx);
    await enqueue(trx, MODERATOR_DIGEST, {}, { now: this.clock.now(), runAt, dedupeKey: DIGEST_KEY });
  }

  private async nextAllowed(digestMinutes: number, trx?: Db): Promise<Date> {
    // In the caller's transaction when there is one (SQLite has one connection: reading beside it would wait for ever).
    const sent = await this.repository.setting(STATE.sentAt, trx);
    const now = this.clock.now();
    const earliest = sent ? new Date(new Date(sent).getTime() + digestMinutes * MINUTE) : now;
    return earliest > now ? earliest : now;
  }

  /** The job: one digest to every moderator, of the comments still held since the last digest. */
  async run(): Promise<{ comments: number; moderators: number }> {
    const { digestMinutes } = await this.comments.settings();
    if (digestMinutes === 0) return { comments: 0, moderators: 0 };
    const runAt = await this.nextAllowed(digestMinutes);
    if (runAt > this.clock.now()) {
      // Woken early (a job queued before the last digest went): wait for the allowed moment.
      await this.repository.transaction((trx) => enqueue(trx, MODERATOR_DIGEST, {}, { now: this.clock.now(), runAt, dedupeKey: DIGEST_KEY }));
      return { comments: 0, moderators: 0 };
    }
    const lastId = Number((await this.repository.setting(STATE.lastId)) ?? 0);
    const held = await this.repository.pendingAfter(lastId, LISTED + 1);
    if (held.length === 0) return { comments: 0, moderators: 0 };
    const total = await this.repository.countByStatus('pending');
    const listed = held.slice(0, LISTED);
    const upTo = listed[listed.length - 1]!.id;
    const moderators = (await this.staff()).filter((s) => s.deactivated_at === null && allows({ kind: 'user', id: s.id, role: s.role as Role, name: s.name }, 'canModerateComments'));
    const stories = new Map<number, string>();
    for (const id of new Set(listed.map((c) => c.articleId))) stories.set(id, (await this.comments.liveStory(id))?.headline ?? `story ${id}`);
    const siteName = await this.site.name();
    const host = new URL(this.site.url).hostname;
    const refused: string[] = [];
    for (const moderator of moderators) {
      const mail = digestMail(listed, total, stories, { siteUrl: this.site.url, siteName, to: moderator.name });
      try {
        await this.mailer.send({ to: moderator.email, ...mail, messageId: `<comments-digest-${upTo}-${moderator.id}@${host}>` });
      } catch (error) {
        // One refused address must not hold back the others' digests; "not now" retries the job.
        if (!(error instanceof PermanentMailError)) throw error;
        refused.push(`${moderator.email}: ${error.message}`);
      }
    }
    await this.repository.transaction((trx) => this.repository.saveSettings(trx, { [STATE.sentAt]: this.clock.now().toISOString(), [STATE.lastId]: String(upTo) }));
    // Comments beyond this digest's list go in the next one.
    if (held.length > LISTED) await this.repository.transaction((trx) => this.held(trx));
    // Reported as the job's failure (logged by the runner); its retry finds nothing new to send.
    if (refused.length) throw new Error(`the mail server refused the moderator digest for ${refused.join('; ')}`);
    return { comments: listed.length, moderators: moderators.length };
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
};

/** The digest's subject and parts: who wrote what on which story, why it was held, where to act. */
export function digestMail(held: StoredComment[], total: number, stories: Map<number, string>, ctx: { siteUrl: string; siteName: string; to: string }): { subject: string; text: string; html: string } {
  const queue = `${ctx.siteUrl}/newsroom/comments?status=pending`;
  const subject = `${total} ${total === 1 ? 'comment awaits' : 'comments await'} moderation on ${ctx.siteName}`;
  const link = (c: StoredComment) => `${ctx.siteUrl}/newsroom/comments?status=pending&article=${c.articleId}#queue-${c.id}`;
  const more = total > held.length ? total - held.length : 0;
  const text = [
    `Hello ${ctx.to},`,
    '',
    `${held.length === 1 ? 'A new comment is' : `${held.length} new comments are`} waiting for a moderator:`,
    '',
    ...held.flatMap((c) => [`${c.authorName} on “${stories.get(c.articleId)}” (${c.reasons.join(', ') || 'held'}):`, `  ${excerpt(c.body)}`, `  ${link(c)}`, '']),
    ...(more ? [`…and ${more} more in the queue.`, ''] : []),
    `The queue: ${queue}`,
  ].join('\n');
  const items = held
    .map((c) => `<li><p><strong>${escapeHtml(c.authorName)}</strong> on “${escapeHtml(stories.get(c.articleId) ?? '')}” <small>(${escapeHtml(c.reasons.join(', ') || 'held')})</small></p><p>${escapeHtml(excerpt(c.body))}</p><p><a href="${escapeHtml(link(c))}">Moderate this comment</a></p></li>`)
    .join('');
  const html = `<p>Hello ${escapeHtml(ctx.to)},</p><p>${held.length === 1 ? 'A new comment is' : `${held.length} new comments are`} waiting for a moderator:</p><ul>${items}</ul>${more ? `<p>…and ${more} more in the queue.</p>` : ''}<p><a href="${escapeHtml(queue)}">Open the moderation queue</a></p>`;
  return { subject, text, html };
}
