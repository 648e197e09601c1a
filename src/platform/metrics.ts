// The Prometheus registry of one process (prom-client), on the platform so each feature defines its
// own figures beside its code; /metrics (src/operations/) prints it. One registry per app, not
// prom-client's global one: tests build many apps in one process.
import { Histogram, Registry } from 'prom-client';
import type { JobRunnerOptions, JobType } from './jobs.ts';

export function createRegistry(): Registry {
  return new Registry();
}

/** Every job run's duration, by kind, lane and how it ended (the runner's `observe`). */
export function jobRunObserver(registry: Registry): NonNullable<JobRunnerOptions['observe']> {
  const runs = new Histogram({
    name: 'bulletin_job_run_seconds',
    help: 'Time taken by each job run, by kind, lane and outcome (done, retry, failed).',
    labelNames: ['kind', 'lane', 'outcome'] as const,
    buckets: [0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 15, 60, 300],
    registers: [registry],
  });
  return (type: JobType, outcome, seconds) => runs.observe({ kind: type.kind, lane: type.lane, outcome }, seconds);
}
