// What a complaint or a late bounce does to the alerts' subscribers. A reader who reported an
// alert as spam is unsubscribed and put on the suppression list (reason 'complained'); an address
// that a mail server later reports as not existing (5.1.x) goes on the list as 'bounced'. Either
// way the address is never mailed again without a new, confirmed opt-in.
//
// Reports come in through the mail server, so anyone can send one: a report changes a subscriber
// only when it proves which mail it is about. That is the signed token of the mail's unsubscribe
// link, or our own Message-ID together with the subscriber's address. A report naming only an
// address (or a Message-ID with somebody else's address) changes nothing: otherwise a forged
// "complaint" could unsubscribe any reader whose address someone knows.
import type { Clock } from '../../platform/clock.ts';
import type { LinkSigner } from '../signed-links.ts';
import type { Subscriber, SubscriberRepository } from '../subscriber-repository.ts';
import { readMailReport, type MailReport, type OriginalMail } from './mail-report.ts';

export interface FeedbackOutcome {
  kind: MailReport['kind'];
  /** Addresses put on the suppression list by this report, with the reason. */
  suppressed: { email: string; reason: 'complained' | 'bounced' }[];
  /** Why anything the report mentions was left as it is. */
  ignored: string[];
}

/** Whose mail it was: the subscriber a report is provably about, or why it is not provable. */
type Identified = { subscriber: Subscriber } | { problem: string };

export class FeedbackIntake {
  constructor(
    private readonly repo: SubscriberRepository,
    private readonly signer: () => Promise<LinkSigner>,
    private readonly clock: Clock,
    /** The host our Message-IDs end with (the site's host). */
    private readonly mailHost: string,
  ) {}

  /** Reads one report (an ARF complaint or a DSN) and applies it. Throws UnreadableReport for anything else. */
  async take(raw: Buffer | string): Promise<FeedbackOutcome> {
    const report = readMailReport(raw);
    return report.kind === 'complaint' ? this.complaint(report) : this.deliveryStatus(report);
  }

  private async complaint(report: Extract<MailReport, { kind: 'complaint' }>): Promise<FeedbackOutcome> {
    const outcome: FeedbackOutcome = { kind: 'complaint', suppressed: [], ignored: [] };
    // "not-spam" is a reader taking a report back: nothing for a sender to do.
    if (report.feedbackType === 'not-spam') {
      outcome.ignored.push('a "not-spam" report: nothing to undo, the address was kept');
      return outcome;
    }
    const found = await this.identify(report.original, report.recipients);
    if ('problem' in found) {
      outcome.ignored.push(found.problem);
      return outcome;
    }
    const now = this.clock.now().toISOString();
    await this.repo.transaction(async (repo) => {
      await repo.setStatus(found.subscriber.id, 'unsubscribed', now);
      await repo.suppress(found.subscriber.email, 'complained', now);
    });
    outcome.suppressed.push({ email: found.subscriber.email, reason: 'complained' });
    return outcome;
  }

  private async deliveryStatus(report: Extract<MailReport, { kind: 'delivery-status' }>): Promise<FeedbackOutcome> {
    const outcome: FeedbackOutcome = { kind: 'delivery-status', suppressed: [], ignored: [] };
    if (report.recipients.length === 0) outcome.ignored.push('the notification names no recipient');
    for (const recipient of report.recipients) {
      // Only "this address does not exist" is final; a full mailbox, a policy refusal or a delay
      // may pass, and the next alert is tried as usual (its own 5xx then counts as it comes).
      if (recipient.action !== 'failed' || !/^5\.1\.\d+$/.test(recipient.status)) {
        outcome.ignored.push(`${recipient.address}: ${recipient.action || 'no action'} ${recipient.status || '(no status)'} is not a lasting bounce`);
        continue;
      }
      const found = await this.identify(report.original, [recipient.address]);
      if ('problem' in found) {
        outcome.ignored.push(`${recipient.address}: ${found.problem}`);
        continue;
      }
      if (found.subscriber.email.toLowerCase() !== recipient.address) {
        outcome.ignored.push(`${recipient.address}: the returned mail was sent to another address`);
        continue;
      }
      await this.repo.suppress(found.subscriber.email, 'bounced', this.clock.now().toISOString());
      outcome.suppressed.push({ email: found.subscriber.email, reason: 'bounced' });
    }
    return outcome;
  }

  private async identify(original: OriginalMail | null, reported: string[]): Promise<Identified> {
    if (!original) return { problem: 'the report does not include the mail it is about, so whose it was cannot be checked' };
    const now = this.clock.now();
    const token = original.listUnsubscribe ? /[?&]token=([^&>\s]+)/.exec(original.listUnsubscribe)?.[1] : undefined;
    if (token) {
      const id = (await this.signer()).verify(decodeURIComponent(token), 'manage', now);
      const subscriber = id === null ? undefined : await this.repo.byId(id);
      if (subscriber) return { subscriber };
    }
    // Our alert mails' Message-ID is <alert-ALERT-SUBSCRIBER@host>: unsigned, so it counts only
    // with the same subscriber's address beside it.
    const ours = new RegExp(`^<alert-\\d+-(\\d+)@${this.mailHost.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>$`, 'i').exec(original.messageId ?? '');
    if (ours) {
      const subscriber = await this.repo.byId(Number(ours[1]));
      const addresses = new Set([...reported, ...original.to]);
      if (subscriber && addresses.has(subscriber.email.toLowerCase())) return { subscriber };
      return { problem: 'the mail is one of ours, but not to the address the report names' };
    }
    return { problem: token ? 'the unsubscribe link in the mail is not one this site signed' : 'the mail it is about is not one of this site\'s alert mails' };
  }
}
