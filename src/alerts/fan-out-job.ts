// The durable work of an alert (fan-out.ts does it): the first run writes its ledger (a queued
// row per recipient and channel); every run then sends for a few seconds, writes each batch's
// outcomes, and queues the next run (now, or when the earliest deferred delivery is due) until
// none is left. Runs are short and the lease is short, so a crash or restart resumes at the rows
// still queued within half a minute: nobody is skipped, and only the batches in flight at the
// crash can be sent twice (with the same Message-ID / Topic, so inboxes and push services collapse them).
import { Type } from 'typebox';
import { defineJob, enqueue } from '../platform/jobs.ts';
import type { Db } from '../platform/db.ts';

export const ALERT_FAN_OUT = defineJob({
  kind: 'alerts.fan-out',
  // Its own lane: a large fan-out never holds back scheduled publishing or image work.
  lane: 'alerts',
  // A run lasts a few seconds (RUN_BUDGET_MS plus one push timeout); a crashed worker's run is
  // taken over this soon after.
  leaseMs: 30_000,
  payload: Type.Object({ alertId: Type.Integer({ minimum: 1 }) }),
});

export const fanOutKey = (alertId: number) => `${ALERT_FAN_OUT.kind}:${alertId}`;

export function enqueueFanOut(trx: Db, alertId: number, now: Date, runAt?: Date): Promise<number> {
  return enqueue(trx, ALERT_FAN_OUT, { alertId }, { now, runAt: runAt && runAt > now ? runAt : now, dedupeKey: fanOutKey(alertId) });
}
