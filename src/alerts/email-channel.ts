// Alerts by email: each due row becomes one mail (alert-mail.tsx) through the platform's mailer.
// A subscriber who unsubscribed, paused or is on the suppression list since the ledger was
// written gets nothing (suppressed). The mail server is one route: its "later" (4xx, a dropped
// connection) pauses email for the run; a 5xx is final for that address, and a hard bounce (the
// mailbox does not exist) puts the address on the suppression list: never mailed again without a
// new opt-in.
import { PermanentMailError, type Mailer } from '../platform/mailer.ts';
import { alertMailTemplate, type MailSite } from './alert-mail.tsx';
import type { AlertRepository, QueuedEmail } from './alert-repository.ts';
import type { DeliveryChannel } from './fan-out.ts';

export function emailChannel(deps: {
  repo: AlertRepository;
  mailer: Mailer;
  site: () => Promise<MailSite>;
  manageToken: (subscriberId: number) => Promise<string>;
  /** Puts an address on the suppression list (a hard bounce). */
  suppress: (email: string, reason: 'bounced') => Promise<void>;
}): DeliveryChannel<QueuedEmail> {
  return {
    name: 'email',
    // Small: a batch of mails takes far longer than one of pushes, and a run waits for its batches.
    batch: 50,
    // The mailer pools its connections and paces itself. 32 in flight keep its pooled connections
    // fed while answers come back (16 left them waiting: 703 against 950 mails/s to 20,000
    // recipients in one bench run), and still keep its queue short.
    concurrency: 32,
    maxAttempts: 8,
    queued: (alertId, limit, now) => deps.repo.queuedEmail(alertId, limit, now),
    route: () => 'smtp',
    async prepare(alert) {
      const mailFor = alertMailTemplate(await deps.site(), { alertId: alert.id, title: alert.title, text: alert.text, url: alert.url });
      return {
        async deliver(row) {
          if (row.email === null) return { kind: 'suppressed', reason: 'deleted' };
          if (row.subscriberStatus !== 'active') return { kind: 'suppressed', reason: row.subscriberStatus ?? 'deleted' };
          if (row.suppressed) return { kind: 'suppressed', reason: 'suppressed' };
          const token = await deps.manageToken(row.subscriberId);
          const mail = mailFor({ to: row.email, subscriberId: row.subscriberId, manageUrl: `/alerts/manage?token=${token}`, unsubscribeUrl: `/alerts/unsubscribe?token=${token}` });
          try {
            await deps.mailer.send(mail);
            return { kind: 'sent' };
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            if (!(error instanceof PermanentMailError)) return { kind: 'later', reason };
            if (error.addressRefused) await deps.suppress(row.email, 'bounced');
            return { kind: 'failed', reason };
          }
        },
      };
    },
  };
}
