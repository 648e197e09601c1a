// The newsroom's side of alerts: write one (about a published story, or standalone with a link),
// see whom it will reach per channel, send it once (an idempotency key makes a repeated request
// the same alert), and follow it recipient by recipient until every one is sent, failed or
// suppressed (the sending itself is fan-out.ts's).
import type { ChangeFeed } from '../platform/changes.ts';
import type { Clock } from '../platform/clock.ts';
import { invalidInput, notFound, type FieldError } from '../platform/errors.ts';
import type { Actor } from '../newsroom/permissions.ts';
import type { Db } from '../platform/db.ts';
import { CHANNELS, type Alert, type AlertRepository, type Channel, type DeliveryCounts, type DeliveryStatus } from './alert-repository.ts';
import { enqueueFanOut } from './fan-out-job.ts';
import { ALERT_SENT_TAG } from './live-banner.ts';
import { ALL_SECTIONS, checkAudience, type Audiences } from './audience.ts';

export const TITLE_MAX = 80;
export const TEXT_MAX = 180;

/** An alert's delivery on one channel: where its rows stand, out of the audience it was given. */
export type ChannelProgress = DeliveryCounts & { total: number };

export interface AlertProgress {
  alert: Alert;
  channels: Record<Channel, ChannelProgress>;
  /** Up to 100 recipients not reached, and why. */
  notReached: { channel: Channel; recipient: string; status: DeliveryStatus; reason: string }[];
  /** Sent deliveries per channel and second, for the chart. */
  timeline: { channel: Channel; second: string; n: number }[];
}

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
  publishedPath(articleId: number): Promise<{ path: string; headline: string; dek: string; section: string; topics: { slug: string; name: string }[] } | null>;
}

export type Journal = (trx: Db, entry: { actor: AlertSender; action: string; target: string; detail: Record<string, unknown> }) => Promise<void>;

export class AlertService {
  constructor(
    private readonly repo: AlertRepository,
    private readonly audiences: Audiences,
    private readonly stories: Stories,
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

  /** Whom it would reach now, per channel (the confirmation step's counts). */
  audienceCount(sections: string[]): Promise<Record<Channel, number>> {
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

  async progress(id: number): Promise<AlertProgress> {
    const alert = await this.get(id);
    const [counts, notReached, timeline] = await Promise.all([this.repo.counts(id), this.repo.notReached(id, 100), this.repo.sentPerSecond(id)]);
    const channels = {} as Record<Channel, ChannelProgress>;
    for (const channel of CHANNELS) {
      const c = counts[channel];
      // Before the ledger is written the audience is not fixed yet: what there is so far.
      channels[channel] = { ...c, total: alert.audience?.[channel] ?? c.queued + c.sent + c.failed + c.suppressed + c.removed };
    }
    return { alert, channels, notReached, timeline };
  }

  private checkSections(raw: unknown, errors: FieldError[]): Promise<string[]> {
    const keys = raw === 'all' ? ALL_SECTIONS : raw;
    return checkAudience(keys, this.audiences, errors, 'Choose who gets it: everyone, or the readers of one or more sections or topics.');
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

