// The request a piece of work was started by, carried through its async calls (AsyncLocalStorage),
// so a job queued while answering a request records that request's id and the job's log lines can
// be matched with the request's. Set for every routed request (not for cached pages, which queue
// nothing); read by `enqueue`.
import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` as part of the request `requestId`. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return context.run({ requestId }, work);
}

/** The id of the request this code runs for, or null (a timer, a job, a CLI command). */
export function currentRequestId(): string | null {
  return context.getStore()?.requestId ?? null;
}
