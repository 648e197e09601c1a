// Alerts that wait for a scheduled story: an editor writes the alert while the story is scheduled,
// and it is sent once, when the story goes live. A durable job is queued for the story's time; when
// it runs it looks at the story as it is then: live, so the alert goes out (through AlertService,
// with a key made from the story, so a repeated run sends nothing twice); moved to a later time, so
// the job waits for that; unpublished or back to draft, so the alert is dropped, never sent.
import { Type } from 'typebox';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { invalidInput, notFound } from '../platform/errors.ts';
import { cancel, defineJob, enqueue } from '../platform/jobs.ts';
import type { AlertSender, AlertService, Journal } from './alert-service.ts';

export const ALERT_WHEN_LIVE = defineJob({
  kind: 'alerts.when-live',
  lane: 'alerts',
  payload: Type.Object({ articleId: Type.Integer({ minimum: 1 }) }),
});
const jobKey = (articleId: number) => `${ALERT_WHEN_LIVE.kind}:${articleId}`;
/** A story whose time has come but which the publishing job has not reached yet: look again soon. */
const RECHECK_MS = 1000;

export interface StoryState {
  status: string;
  /** ISO time it goes (or went) live. */
  publishedAt: string | null;
  path: string;
  headline: string;
}

export interface WaitingAlert {
  articleId: number;
  title: string;
  text: string;
  sections: string[];
  armedBy: string;
  armedAt: string;
  story: StoryState | null;
}

type Tables = {
  alerts_when_live: { article_id: number; title: string; text: string; sections: string; armed_by: string; armed_at: string };
};

const tables = (db: Db) => db.withTables<Tables>();

export class WhenLiveAlerts {
  private readonly db;

  constructor(
    private readonly base: Db,
    private readonly alerts: AlertService,
    private readonly story: (articleId: number) => Promise<StoryState | null>,
    private readonly clock: Clock,
    private readonly journal: Journal,
    private readonly label: (by: AlertSender) => string,
  ) {
    this.db = base.withTables<Tables>();
  }

  /** Attaches (or replaces) the alert of a scheduled story; checked as any alert is. */
  async arm(input: { articleId: number; title?: unknown; text?: unknown; sections?: unknown }, by: AlertSender): Promise<WaitingAlert> {
    const story = await this.story(input.articleId);
    if (!story) throw notFound('There is no such story.');
    if (story.status !== 'scheduled' || !story.publishedAt) {
      throw invalidInput([{ field: 'articleId', message: story.status === 'published' ? 'This story is already live: send its alert now instead.' : 'Only a scheduled story can carry an alert for when it goes live.' }]);
    }
    // The same checks as an alert sent now; the link is the story's address once it is live.
    const draft = await this.alerts.check({ title: input.title, text: input.text, url: story.path, sections: input.sections });
    const now = this.clock.now();
    const row = { article_id: input.articleId, title: draft.title, text: draft.text, sections: JSON.stringify(draft.sections), armed_by: this.label(by), armed_at: now.toISOString() };
    await this.base.transaction().execute(async (trx) => {
      await tables(trx).deleteFrom('alerts_when_live').where('article_id', '=', input.articleId).execute();
      await tables(trx).insertInto('alerts_when_live').values(row).execute();
      await enqueue(trx, ALERT_WHEN_LIVE, { articleId: input.articleId }, { now, runAt: new Date(Math.max(now.getTime(), Date.parse(story.publishedAt!))), dedupeKey: jobKey(input.articleId) });
      await this.journal(trx, { actor: by, action: 'alert.arm', target: `article:${input.articleId}`, detail: { title: draft.title, sections: draft.sections, at: story.publishedAt } });
    });
    return (await this.waiting(input.articleId))!;
  }

  /** Takes the alert off the story; it will not be sent. */
  async cancel(articleId: number, by: AlertSender): Promise<void> {
    const now = this.clock.now();
    const removed = await this.base.transaction().execute(async (trx) => {
      const gone = await tables(trx).deleteFrom('alerts_when_live').where('article_id', '=', articleId).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) return false;
      await cancel(trx, jobKey(articleId), now);
      await this.journal(trx, { actor: by, action: 'alert.disarm', target: `article:${articleId}`, detail: {} });
      return true;
    });
    if (!removed) throw notFound('That story has no alert waiting.');
  }

  async waiting(articleId: number): Promise<WaitingAlert | undefined> {
    const row = await this.db.selectFrom('alerts_when_live').selectAll().where('article_id', '=', articleId).executeTakeFirst();
    return row && this.toWaiting(row);
  }

  async list(): Promise<WaitingAlert[]> {
    const rows = await this.db.selectFrom('alerts_when_live').selectAll().orderBy('armed_at', 'desc').limit(200).execute();
    return Promise.all(rows.map((row) => this.toWaiting(row)));
  }

  /** The job's work (see the top of this file). */
  async fire(articleId: number): Promise<'sent' | 'waiting' | 'dropped' | 'none'> {
    const waiting = await this.waiting(articleId);
    if (!waiting) return 'none';
    const { story } = waiting;
    const now = this.clock.now();
    const live = story?.status === 'published' && story.publishedAt !== null && Date.parse(story.publishedAt) <= now.getTime();
    if (!live) {
      if (story?.status === 'scheduled' && story.publishedAt) {
        const at = Math.max(Date.parse(story.publishedAt), now.getTime() + RECHECK_MS);
        await this.base.transaction().execute((trx) => enqueue(trx, ALERT_WHEN_LIVE, { articleId }, { now, runAt: new Date(at), dedupeKey: jobKey(articleId) }));
        return 'waiting';
      }
      await this.base.transaction().execute(async (trx) => {
        await tables(trx).deleteFrom('alerts_when_live').where('article_id', '=', articleId).execute();
        await this.journal(trx, { actor: 'scheduler', action: 'alert.drop', target: `article:${articleId}`, detail: { reason: story ? `the story is ${story.status}` : 'the story is gone', title: waiting.title } });
      });
      return 'dropped';
    }
    const draft = await this.alerts.check({ title: waiting.title, text: waiting.text, articleId, sections: waiting.sections });
    // The key names this story and this arming: a rerun after a crash finds the alert it made.
    await this.alerts.send(draft, { by: 'scheduler', idempotencyKey: `when-live:${articleId}:${waiting.armedAt}` });
    await this.db.deleteFrom('alerts_when_live').where('article_id', '=', articleId).where('armed_at', '=', waiting.armedAt).execute();
    return 'sent';
  }

  private async toWaiting(row: Tables['alerts_when_live']): Promise<WaitingAlert> {
    return {
      articleId: row.article_id,
      title: row.title,
      text: row.text,
      sections: JSON.parse(row.sections) as string[],
      armedBy: row.armed_by,
      armedAt: row.armed_at,
      story: await this.story(row.article_id),
    };
  }
}
