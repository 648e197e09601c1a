// Connects the story workflow to the job runner: scheduled stories are published by a durable job,
// so a schedule survives restarts and runs once even with several workers.
import type { JobRunner } from '../platform/jobs.ts';
import type { ArticlesService } from './service.ts';
import { PUBLISH_JOB } from './workflow.ts';

export function registerArticleJobs(runner: JobRunner, articles: ArticlesService): void {
  runner.register(PUBLISH_JOB, async (payload) => {
    await articles.publishScheduled(payload);
  });
}
