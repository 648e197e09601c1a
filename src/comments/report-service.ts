// Readers' reports on approved comments ("Report", with a reason): checked at the edge, limited per
// address (counted in the database, so every process counts alike), one per reader and comment (the
// reader is a keyed hash of their address: no address is kept for a report). Moderators see the
// reported comments as their own queue, with the reasons and counts, and dismiss the reports or act
// on the comment (spam or trash settles them too; moderation-service.ts).
import { createHmac } from 'node:crypto';
import type { Actor } from '../newsroom/permissions.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError, conflict, invalidInput, notFound, type FieldError } from '../platform/errors.ts';
import type { CommentRepository } from './comment-repository.ts';
import { minuteOf } from './comment-service.ts';
import type { AuditLog } from './moderation-service.ts';

/** The reasons a reader may give, in the words the form and the queue show. */
export const REPORT_REASONS = {
  spam: 'Spam or advertising',
  abuse: 'Abusive, hateful or harassing',
  misinformation: 'False or misleading',
  privacy: 'Shares someone’s private information',
  'off-topic': 'Off topic',
  other: 'Something else',
} as const;
export type ReportReason = keyof typeof REPORT_REASONS;

export const REPORT_LIMITS = { perMinute: 5, perHour: 20, note: 500 } as const;
export const REPORT_FIELDS = { reason: 'reason', note: 'note', honeypot: 'fax' } as const;

const HOUR = 3600_000;

export type ReportOutcome = 'reported' | 'already reported';

export class ReportService {
  constructor(
    private readonly repository: CommentRepository,
    private readonly clock: Clock,
    private readonly secret: () => Promise<string>,
    private readonly audit: AuditLog,
  ) {}

  /**
   * One reader's report on an approved comment. Refused with a message a reader understands: an
   * unknown or unpublished comment (404), a reason not on the list or a note too long (400), too
   * many reports from the address (429). Reporting the same comment again changes nothing.
   */
  async report(commentId: number, fields: Record<string, string>, ip: string): Promise<ReportOutcome> {
    const now = this.clock.now();
    if ((await this.repository.defences.countAttempt(`report:${ip}`, minuteOf(now))) > REPORT_LIMITS.perMinute) throw tooMany();
    if ((await this.repository.defences.attemptsSince(`report:${ip}`, minuteOf(new Date(now.getTime() - HOUR + 60_000)))) > REPORT_LIMITS.perHour) throw tooMany();
    const comment = await this.repository.find(commentId);
    if (!comment || comment.status !== 'approved') throw notFound('That comment is not on any story readers can see.');
    const { reason, note } = parseReport(fields);
    // A robot filled in the honeypot: answered as if reported, nothing stored.
    if ((fields[REPORT_FIELDS.honeypot] ?? '') !== '') return 'reported';
    const reporter = createHmac('sha256', await this.secret()).update(`report:${ip}`).digest('base64url');
    const added = await this.repository.reports.add({ commentId, reporter, reason, note, at: now.toISOString() });
    return added ? 'reported' : 'already reported';
  }

  /** Settles a comment's open reports without touching the comment (audited). */
  async dismiss(commentId: number, actor: Actor): Promise<number> {
    const comment = await this.repository.find(commentId);
    if (!comment) throw notFound('There is no such comment.');
    return this.repository.transaction(async (trx) => {
      const settled = await this.repository.reports.resolve(trx, commentId, 'dismissed', this.clock.now().toISOString());
      if (settled === 0) throw conflict('This comment has no open reports.');
      await this.audit.record(trx, { actor, action: 'comment.dismiss-reports', target: `comment:${commentId}`, detail: { reports: settled } });
      return settled;
    });
  }

  reportedCount(): Promise<number> {
    return this.repository.reports.countReported();
  }
}

export function parseReport(fields: Record<string, string>): { reason: ReportReason; note: string } {
  const errors: FieldError[] = [];
  const reason = fields[REPORT_FIELDS.reason] ?? '';
  const note = (fields[REPORT_FIELDS.note] ?? '').replace(/\r\n?/g, '\n').trim();
  if (!Object.hasOwn(REPORT_REASONS, reason)) errors.push({ field: REPORT_FIELDS.reason, message: 'Please choose why you are reporting this comment.' });
  if ([...note].length > REPORT_LIMITS.note) errors.push({ field: REPORT_FIELDS.note, message: `Please keep the note to ${REPORT_LIMITS.note} characters.` });
  else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(note)) errors.push({ field: REPORT_FIELDS.note, message: 'The note contains characters that cannot be shown.' });
  if (errors.length) throw invalidInput(errors);
  return { reason: reason as ReportReason, note };
}

const tooMany = () => new AppError('rate_limited', 'You have reported many comments in a short time. Please wait a while and try again.');
