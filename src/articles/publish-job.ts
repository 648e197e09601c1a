// The job that publishes a scheduled story, one per story (a reschedule supersedes it), so a
// schedule survives restarts and runs once even with several workers.
import { Type, type Static } from 'typebox';
import { defineJob } from '../platform/jobs.ts';

export const PUBLISH_SCHEDULED = defineJob({
  kind: 'articles.publish-scheduled',
  lane: 'publishing',
  beforeServing: true,
  payload: Type.Object({
    articleId: Type.Integer({ minimum: 1 }),
    /** The publication time the job was made for: a job for an older schedule does nothing. */
    at: Type.String(),
  }),
});

export type PublishJobPayload = Static<typeof PUBLISH_SCHEDULED.payload>;

export const publishJobKey = (articleId: number) => `${PUBLISH_SCHEDULED.kind}:${articleId}`;
