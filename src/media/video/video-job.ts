// The transcode as a durable job in lane `media` (beside the AVIF job, never in front of scheduled
// publishing or alerts). Its lease is short and kept alive by a heartbeat while ffmpeg runs, so a
// crashed worker's clip is taken up again within a minute or two, never left at "processing 40 %".
import { Type } from 'typebox';
import type { Db } from '../../platform/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { defineJob, enqueue, extendLease, jobBinding, type JobBinding } from '../../platform/jobs.ts';
import type { VideoTranscoder } from './video-transcoder.ts';

const LEASE_MS = 90_000;

export const VIDEO_TRANSCODE = defineJob({
  kind: 'media.video-transcode',
  lane: 'media',
  payload: Type.Object({ videoId: Type.Integer({ minimum: 1 }) }),
  leaseMs: LEASE_MS,
});

/** Queues the clip's transcode in the caller's transaction; a newer upload of the clip supersedes a pending one. */
export function enqueueTranscode(trx: Db, videoId: number, now: Date): Promise<number> {
  return enqueue(trx, VIDEO_TRANSCODE, { videoId }, { now, dedupeKey: `video-transcode:${videoId}` });
}

export function videoTranscodeJob(transcoder: VideoTranscoder, db: Db, clock: Clock): JobBinding {
  return jobBinding(VIDEO_TRANSCODE, async ({ videoId }, job) => {
    await transcoder.run(videoId, () => extendLease(db, job, LEASE_MS, clock.now()));
  });
}
