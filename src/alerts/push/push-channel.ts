// Alerts by web push: each due row is one encrypted message to one browser's push service. The
// payload is the same for every recipient of an alert (title, text, the story's address, the
// site's icon); its Topic is the alert's, so a repeated delivery replaces the first one at the
// push service. Each push service (origin) is a route: one that is slow or busy is paused for the
// run without holding back the others.
import type { AlertRepository, QueuedPush } from '../alert-repository.ts';
import type { DeliveryChannel } from '../fan-out.ts';
import type { PushSender } from './push-sender.ts';

/** The notification the service worker shows (service-worker-island.ts reads the same fields). */
export interface PushPayload {
  title: string;
  text: string;
  /** Absolute address of the story (or the alert's link). */
  url: string;
  icon: string;
  /** The notification's tag: a second alert replaces nothing, a repeat of this one replaces itself. */
  tag: string;
}

/** Push services hold a message this long for a browser that is offline; older news is not breaking. */
export const PUSH_TTL_SECONDS = 4 * 3600;

/** `alert-<id>`: url-safe base64 characters, at most 32 (RFC 8030 §5.4). */
export const pushTopic = (alertId: number) => `alert-${alertId}`;

export function pushChannel(deps: { repo: AlertRepository; sender: PushSender; siteUrl: string; concurrency?: number }): DeliveryChannel<QueuedPush> {
  return {
    name: 'push',
    batch: 500,
    concurrency: deps.concurrency ?? 64,
    maxAttempts: 8,
    queued: (alertId, limit, now) => deps.repo.queuedPush(alertId, limit, now),
    route: (row) => originOf(row.endpoint),
    async prepare(alert) {
      const topic = pushTopic(alert.id);
      const payload: PushPayload = {
        title: alert.title,
        text: alert.text,
        url: alert.url.startsWith('/') ? `${deps.siteUrl}${alert.url}` : alert.url,
        icon: `${deps.siteUrl}/favicon.svg`,
        tag: topic,
      };
      const message = { payload: JSON.stringify(payload), topic, ttlSeconds: PUSH_TTL_SECONDS };
      return {
        async deliver(row) {
          if (row.endpoint === null) return { kind: 'suppressed', reason: 'unsubscribed' };
          const answer = await deps.sender.send({ endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth }, message);
          switch (answer.kind) {
            case 'sent':
              return { kind: 'sent' };
            case 'gone':
              return { kind: 'gone', reason: `the push service answered ${answer.status}` };
            case 'later':
              return { kind: 'later', reason: answer.reason, retryAfterMs: answer.retryAfterMs };
            case 'failed':
              return { kind: 'failed', reason: answer.reason };
          }
        },
      };
    },
  };
}

function originOf(endpoint: string | null): string {
  if (!endpoint) return '';
  try {
    return new URL(endpoint).origin;
  } catch {
    return '';
  }
}
