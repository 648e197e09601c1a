// Counters of the alert fan-out in this process, for the operations' /metrics to read: deliveries
// sent, failed, suppressed, retried and push subscriptions removed, per channel since start, and
// the queue depth (deliveries still queued in alerts being sent, from the ledger: every node
// sees the same figure).
import type { Channel } from './alert-repository.ts';

type PerChannel = Record<Channel, number>;
const zero = (): PerChannel => ({ email: 0, push: 0 });

export class FanOutMetrics {
  readonly sent = zero();
  readonly failed = zero();
  readonly suppressed = zero();
  /** "Later" answers (a busy push service, a mail server's 4xx): still queued, tried again. */
  readonly retried = zero();
  /** Push subscriptions dropped because the push service said they are gone (404/410). */
  readonly removed = zero();

  constructor(readonly queueDepth: () => Promise<PerChannel>) {}

  count(channel: Channel, outcome: 'sent' | 'failed' | 'suppressed' | 'retried' | 'removed', n = 1): void {
    this[outcome][channel] += n;
  }

  /** Everything at once, as a metrics endpoint would print it. */
  async snapshot(): Promise<Record<'sent' | 'failed' | 'suppressed' | 'retried' | 'removed' | 'queued', PerChannel>> {
    return { sent: { ...this.sent }, failed: { ...this.failed }, suppressed: { ...this.suppressed }, retried: { ...this.retried }, removed: { ...this.removed }, queued: await this.queueDepth() };
  }
}
