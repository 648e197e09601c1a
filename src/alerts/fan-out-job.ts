// The durable work of an alert: the first run writes its ledger (one queued row per recipient);
// every run then sends one batch, marks each row, and queues the next run until none is left.
// Runs are short (well inside a job lease), so a crash or restart resumes at the first row still
// queued: nobody is skipped, and only the batch in flight at the crash can be sent twice (with the
// same Message-ID, so inboxes collapse it).
import { Type } from 'typebox';
import { defineJob, enqueue } from '../platform/jobs.ts';
import type { Db } from '../platform/db.ts';

export const ALERT_FAN_OUT = defineJob({
  kind: 'alerts.fan-out',
  // Its own lane: a large fan-out never holds back scheduled publishing or image work.
  lane: 'alerts',
  payload: Type.Object({ alertId: Type.Integer({ minimum: 1 }) }),
});

export const fanOutKey = (alertId: number) => `${ALERT_FAN_OUT.kind}:${alertId}`;

export function enqueueFanOut(trx: Db, alertId: number, now: Date): Promise<number> {
  return enqueue(trx, ALERT_FAN_OUT, { alertId }, { now, dedupeKey: fanOutKey(alertId) });
}
