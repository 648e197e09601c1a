// The caches in front of the site (Varnish, Fastly, Cloudflare) learn of every change: the tags a
// change touched are queued in its own transaction, and a durable job (lane `edge-cache`) sends them
// to every configured purger, in batches, retrying the ones a purger refused. A publish never waits
// on a purge and never fails because of one. With no purger configured, nothing is queued.
import { Type } from 'typebox';
import { purgesConfigured } from '../platform/config.ts';
import type { Feature } from '../platform/feature.ts';
import { defineJob, enqueue, jobBinding } from '../platform/jobs.ts';
import { surrogateKeyOf } from '../platform/page-cache.ts';
import type { Platform } from '../platform/platform.ts';
import { PurgeQueue } from './purge-queue.ts';
import { configuredPurgers, type Purger } from './purgers.ts';

export const EDGE_PURGE = defineJob({
  kind: 'edge-cache.purge',
  lane: 'edge-cache',
  payload: Type.Object({}),
  // A worker that died mid-purge is replaced soon: a purge is a few requests, never minutes.
  leaseMs: 60_000,
  // Readers are waiting for it: the purge goes out as soon as the change commits.
  wakesOnChange: true,
});

/** Changes drained per round: their keys go out together (a burst of saves costs a few requests). */
const ROUND = 200;

export interface EdgeCache {
  purgers: readonly Purger[];
  queue: PurgeQueue;
  /** Sends every owed purge now (the job's work; tests and the CLI may call it). */
  drain(): Promise<number>;
}

export function edgeCacheFeature(platform: Platform, deps: { purgers?: readonly Purger[] } = {}): Feature<EdgeCache> {
  const { config, clock, changes } = platform;
  const purgers = deps.purgers ?? configuredPurgers(config.purge);
  const queue = new PurgeQueue(platform.db);

  /** Sends owed purges to every purger side by side; rows go only when all accepted them. */
  async function drain(): Promise<number> {
    let sent = 0;
    for (let owed = await queue.take(ROUND); owed.length > 0; owed = await queue.take(ROUND)) {
      const keys = [...new Set(owed.flatMap((purge) => purge.tags).map(surrogateKeyOf))];
      const outcomes = await Promise.allSettled(purgers.map((purger) => purger.purge(keys)));
      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String((outcome.reason as Error)?.message ?? outcome.reason)] : []));
      // Kept for the retry, all of them: a key sent again to a purger that took it costs nothing.
      if (refused.length > 0) throw new Error(refused.join('; '));
      await queue.done(owed.map((purge) => purge.id));
      sent += keys.length;
    }
    return sent;
  }

  if (purgers.length > 0 || purgesConfigured(config.purge)) {
    changes.onRecord(async (trx, change) => {
      const now = clock.now();
      await queue.add(trx, change.tags, now);
      // One pending job drains all that is owed; a later change supersedes it with one due now.
      await enqueue(trx, EDGE_PURGE, {}, { now, dedupeKey: EDGE_PURGE.kind });
    });
  }

  return {
    name: 'edge-cache',
    api: { purgers, queue, drain },
    jobs: [jobBinding(EDGE_PURGE, async () => void (await drain()))],
    maintenance: [
      // A purge older than what caches in front may keep a page is moot (an unreachable purger's backlog).
      { name: 'edge-cache.prune', everyMs: 3600_000, run: () => queue.prune(new Date(clock.now().getTime() - Math.max(config.sharedMaxAgeSeconds, 3600) * 1000)) },
    ],
  };
}
