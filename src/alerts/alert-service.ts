// The newsroom's side of alerts: write one (about a published story, or standalone with a link),
// see whom it will reach, send it once (an idempotency key makes a repeated request the same
// alert), and follow it recipient by recipient until every one is sent, failed or suppressed.
import type { ChangeFeed } from '../platform/changes.ts';
import type { Clock } from '../platform/clock.ts';
import { invalidInput, notFound, type FieldError } from '../platform/errors.ts';
import type { Actor } from '../newsroom/permissions.ts';
import { PermanentMailError, TransientMailError, type Mailer } from '../platform/mailer.ts';
import type { Db } from '../platform/db.ts';
import { alertMail, type MailSite } from './alert-mail.tsx';
import type { Alert, AlertRepository, DeliveryCounts } from './alert-repository.ts';
import { enqueueFanOut } from './fan-out-job.ts';
import { ALERT_SENT_TAG } from './live-banner.ts';
import { ALL_SECTIONS, type Sections } from './subscription-service.ts';

export const TITLE_MAX = 80;
export const TEXT_MAX = 180;
/** Recipients per run of the fan-out job, and mails in flight at once within it. */
export const BATCH = 200;
const CONCURRENCY = 8;
/** A recipient the mail server keeps deferring is given up on after this many tries. */
const MAX_ATTEMPTS = 8;

export interface AlertDraft {
  title: string;
  text: string;
  /** Site-relative path of the story, or an absolute https link. */
  url: string;
  articleId: number | null;
  sections: string[];
}

/** Who sends: a staff member or token, or a trusted script; `label` is how the log names them. */
export type AlertSender = Actor | 'cli' | 'scheduler';

/** Published stories, for "Send alert" on a story. */
export interface Stories {
  publishedPath(articleId: number): Promise<{ path: string; headline: string; dek: string; section: string } | null>;
}

export type Journal = (trx: Db, entry: { actor: AlertSender; action: string; target: string; detail: Record<string, unknown> }) => Promise<void>;

export class AlertService {
  constructor(
    private readonly repo: AlertRepository,
    private readonly mailer: Mailer,
    private readonly sections: Sections,
    private readonly stories: Stories,
    private readonly site: () => Promise<MailSite>,
    private readonly manageToken: (subscriberId: number) => Promise<string>,
    private readonly clock: Clock,
    private readonly journal: Journal,
    private readonly label: (by: AlertSender) => string,
    /** Tells every node's live banner (live-banner.ts) that an alert went out. */
    private readonly changes: Pick<ChangeFeed, 'record' | 'applied'>,
  ) {}

  /** Checks an alert as an editor wrote it; throws invalid_input naming each field. */
  async check(input: { title?: unknown; text?: unknown; articleId?: unknown; url?: unknown; sections?: unknown }): Promise<AlertDraft> {
    const errors: FieldError[] = [];
    const title = oneLine(input.title);
    const text = oneLine(input.text);
    if (!title) errors.push({ field: 'title', message: 'Write the alert’s title.' });
    else if (title.length > TITLE_MAX) errors.push({ field: 'title', message: `The title is at most ${TITLE_MAX} characters (it is ${title.length}).` });
    if (!text) errors.push({ field: 'text', message: 'Write the alert’s text.' });
    else if (text.length > TEXT_MAX) errors.push({ field: 'text', message: `The text is at most ${TEXT_MAX} characters (it is ${text.length}).` });
    let url = '';
    let articleId: number | null = null;
    const rawId = typeof input.articleId === 'string' ? input.articleId.trim() : input.articleId;
    if (rawId !== undefined && rawId !== null && rawId !== '') {
      const id = Number(rawId);
      const story = Number.isInteger(id) && id > 0 && id < 2 ** 31 ? await this.stories.publishedPath(id) : null;
      if (!story) errors.push({ field: 'articleId', message: 'An alert links to a published story: this one is not published (or does not exist).' });
      else [url, articleId] = [story.path, id];
    } else {
      const link = typeof input.url === 'string' ? input.url.trim() : '';
      if (!link) errors.push({ field: 'url', message: 'Choose a published story, or give the link the alert opens.' });
      else if (!isLink(link)) errors.push({ field: 'url', message: 'The link is a path on this site (/national/…) or an https:// address.' });
      else url = link;
    }
    const sections = await this.checkSections(input.sections, errors);
    if (errors.length) throw invalidInput(errors);
    return { title, text, url, articleId, sections };
  }

  audienceCount(sections: string[]): Promise<number> {
    return this.repo.audienceCount(sections);
  }

  /**
   * Sends the alert: stored, audited and handed to the fan-out job in one transaction. The same
   * idempotency key again answers the alert it made (nothing is sent twice).
   */
  async send(draft: AlertDraft, options: { by: AlertSender; idempotencyKey?: string }): Promise<{ alert: Alert; created: boolean }> {
    const key = options.idempotencyKey?.trim() || null;
    if (key !== null && (key.length > 100 || /[\u0000-\u001f]/.test(key))) throw invalidInput([{ field: 'idempotencyKey', message: 'The idempotency key is at most 100 characters, without control characters.' }]);
    if (key) {
      const earlier = await this.repo.byIdempotencyKey(key);
      if (earlier) return { alert: earlier, created: false };
    }
    const now = this.clock.now();
    try {
      const { id, change } = await this.repo.transaction(async (repo, trx) => {
        const id = await repo.insert({ ...draft, idempotencyKey: key, createdBy: this.label(options.by), createdAt: now.toISOString() });
        await this.journal(trx, { actor: options.by, action: 'alert.send', target: `alert:${id}`, detail: { title: draft.title, sections: draft.sections, url: draft.url } });
        await enqueueFanOut(trx, id, now);
        return { id, change: await this.changes.record(trx, [ALERT_SENT_TAG]) };
      });
      this.changes.applied(change);
      return { alert: (await this.repo.byId(id))!, created: true };
    } catch (error) {
      // Two requests with one key at the same moment: the unique key lets one in; the other gets it.
      const earlier = key ? await this.repo.byIdempotencyKey(key) : undefined;
      if (earlier) return { alert: earlier, created: false };
      throw error;
    }
  }

  async get(id: number): Promise<Alert> {
    const alert = await this.repo.byId(id);
    if (!alert) throw notFound('There is no such alert.');
    return alert;
  }

  list(limit = 50): Promise<Alert[]> {
    return this.repo.list(limit);
  }

  async progress(id: number): Promise<{ alert: Alert; counts: DeliveryCounts; total: number; notReached: { email: string; status: string; reason: string }[] }> {
    const alert = await this.get(id);
    const counts = await this.repo.counts(id);
    const total = counts.queued + counts.sent + counts.failed + counts.suppressed;
    return { alert, counts, total, notReached: await this.repo.notReached(id, 100) };
  }

  /** One run of the fan-out job (see fan-out-job.ts). */
  async fanOut(alertId: number): Promise<'more' | 'complete' | 'gone'> {
    const alert = await this.repo.byId(alertId);
    if (!alert) return 'gone';
    if (alert.status === 'complete') return 'complete';
    const now = () => this.clock.now().toISOString();
    if (alert.status === 'queued') await this.repo.transaction((repo) => repo.buildLedger(alert, now()));
    const batch = await this.repo.queued(alertId, BATCH);
    const site = await this.site();
    let deferred: TransientMailError | undefined;
    for (let i = 0; i < batch.length && !deferred; i += CONCURRENCY) {
      await Promise.all(
        batch.slice(i, i + CONCURRENCY).map(async (delivery) => {
          // An unsubscribe or pause since the ledger was written takes effect before this batch.
          if (delivery.subscriberStatus !== 'active' || (await this.repo.isSuppressed(delivery.email))) {
            return this.repo.mark(alertId, delivery.subscriberId, 'suppressed', delivery.subscriberStatus === 'active' ? 'suppressed' : delivery.subscriberStatus, now());
          }
          const token = await this.manageToken(delivery.subscriberId);
          const mail = alertMail(site, {
            to: delivery.email,
            alertId,
            subscriberId: delivery.subscriberId,
            title: alert.title,
            text: alert.text,
            url: alert.url,
            manageUrl: `/alerts/manage?token=${token}`,
            unsubscribeUrl: `/alerts/unsubscribe?token=${token}`,
          });
          try {
            await this.mailer.send(mail);
            await this.repo.mark(alertId, delivery.subscriberId, 'sent', '', now());
          } catch (error) {
            if (error instanceof PermanentMailError) return this.repo.mark(alertId, delivery.subscriberId, 'failed', error.message.slice(0, 300), now());
            const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
            if (delivery.attempts + 1 >= MAX_ATTEMPTS) return this.repo.mark(alertId, delivery.subscriberId, 'failed', `gave up after ${MAX_ATTEMPTS} tries: ${reason}`, now());
            await this.repo.deferred(alertId, delivery.subscriberId, reason, now());
            deferred = error instanceof TransientMailError ? error : new TransientMailError(reason);
          }
        }),
      );
    }
    // The server said "later": the job's retry (with backoff) goes on from the rows still queued.
    if (deferred) throw deferred;
    return this.repo.transaction(async (repo, trx) => {
      if ((await repo.queued(alertId, 1)).length > 0) {
        await enqueueFanOut(trx, alertId, this.clock.now());
        return 'more';
      }
      await repo.complete(alertId, now());
      return 'complete';
    });
  }

  private async checkSections(raw: unknown, errors: FieldError[]): Promise<string[]> {
    const list = raw === 'all' || raw === ALL_SECTIONS ? [ALL_SECTIONS] : Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw];
    const chosen = [...new Set(list.map((v) => (typeof v === 'string' ? v.trim() : '')))];
    const choices = await this.sections.choices();
    if (chosen.length === 0) errors.push({ field: 'sections', message: 'Choose who gets it: everyone, or the readers of one or more sections.' });
    else if (chosen.some((slug) => slug !== ALL_SECTIONS && !choices.has(slug))) errors.push({ field: 'sections', message: 'Choose from the sections listed.' });
    return chosen.includes(ALL_SECTIONS) ? [ALL_SECTIONS] : chosen.sort();
  }
}

function oneLine(raw: unknown): string {
  return typeof raw === 'string' ? raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim() : '';
}

function isLink(link: string): boolean {
  if (/[\s\u0000-\u001f]/.test(link) || link.length > 500) return false;
  if (link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\')) return true;
  try {
    return new URL(link).protocol === 'https:';
  } catch {
    return false;
  }
}

