// The crash test: the server process (the build `npm start` runs) is killed with SIGKILL in the
// middle of an alert's fan-out to email subscribers (a real SMTP server) and push subscriptions
// (a real HTTPS push service that decrypts every message), then started again. Counted on the
// receiving side: every recipient got the alert; the messages received twice are no more than
// the fan-out's in-flight bound (the batches sent but not yet written when it died); and each
// repeat carries the same Message-ID (email) or Topic (push) as the first, so inboxes and push
// services collapse it. ALERT_CRASH_RECIPIENTS sets the size (per channel: half each).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addEmailSubscribers, addPushSubscriptions } from '../helpers/alert-audience.ts';
import { buildAppOnSite, testEnv, type TestApp } from '../helpers/build-test-app.ts';
import { freePort, startBuiltServer, type BuiltServer } from '../helpers/built-server.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startPushService, type TestPushService } from '../helpers/push-service.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

const RECIPIENTS = Number(process.env.ALERT_CRASH_RECIPIENTS ?? 4000);

describe(`SIGKILL in the middle of a ${RECIPIENTS.toLocaleString('en')}-recipient fan-out`, { timeout: 600_000 }, () => {
  let smtp: SmtpSink;
  let push: TestPushService;
  let site: TestApp;
  let env: Record<string, string>;
  let server: BuiltServer | undefined;

  before(async () => {
    [smtp, push] = await Promise.all([startSmtpSink({ headersOnly: true }), startPushService()]);
    const port = String(await freePort());
    env = testEnv({ PORT: port, SITE_URL: `http://127.0.0.1:${port}`, SMTP_URL: smtp.url, MAIL_RATE_PER_SECOND: '100000', PUSH_ALLOW_PRIVATE_ENDPOINTS: 'on', PUSH_CA_FILE: push.caFile });
    // The site's own services over the same database, without a job worker: they set up and read.
    site = await buildAppOnSite(env, { runJobs: false, watchChanges: false });
    await seedBasics(site.services);
    await addEmailSubscribers(site.database.db, RECIPIENTS / 2);
    await addPushSubscriptions(site.database.db, Array.from({ length: RECIPIENTS / 2 }, () => push.subscribe()));
  });
  after(async () => {
    await server?.stop();
    await site?.close();
    await Promise.all([smtp?.close(), push?.close()]);
  });

  test('every recipient gets it; repeats stay within the in-flight bound, each with the same Message-ID or Topic', async () => {
    server = await startBuiltServer(env);
    const { alert } = await site.services.alerts.send(await site.services.alerts.check({ title: 'Crash test', text: 'Half way through, the server dies.', url: '/national', sections: '*' }), { by: 'cli' });
    const delivered = () => smtp.heads.length + push.received.length;
    const deadline = Date.now() + 300_000;
    while (delivered() < RECIPIENTS * 0.4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await server.crash();
    const atCrash = { email: smtp.heads.length, push: push.received.length };
    const ledger = await site.services.alerts.progress(alert.id);
    assert.equal(ledger.alert.status, 'sending', 'killed mid-way');
    assert.ok(atCrash.email + atCrash.push < RECIPIENTS, `killed before the end (${JSON.stringify(atCrash)})`);

    // Started again: once the dead worker's lease runs out, the fan-out goes on where it stopped.
    server = await startBuiltServer(env);
    let progress = ledger;
    while (progress.alert.status !== 'complete' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      progress = await site.services.alerts.progress(alert.id);
    }
    assert.equal(progress.alert.status, 'complete');
    for (const channel of ['email', 'push'] as const) {
      assert.deepEqual(progress.channels[channel], { total: RECIPIENTS / 2, queued: 0, sent: RECIPIENTS / 2, failed: 0, suppressed: 0, removed: 0 }, channel);
    }

    const mails = new Map<string, string[]>();
    for (const head of smtp.heads) mails.set(head.to, [...(mails.get(head.to) ?? []), head.messageId]);
    const pushes = new Map<string, string[]>();
    for (const p of push.received) pushes.set(p.id, [...(pushes.get(p.id) ?? []), p.topic ?? '']);
    assert.equal(mails.size, RECIPIENTS / 2, 'every email subscriber got the alert');
    assert.equal(pushes.size, RECIPIENTS / 2, 'every browser got the alert');
    assert.deepEqual(push.problems, []);
    const repeats = { email: smtp.heads.length - mails.size, push: push.received.length - pushes.size };
    const bound = site.services.fanOut.inFlightBound;
    console.log(`# ${RECIPIENTS} recipients; killed after ${atCrash.email} mails and ${atCrash.push} pushes; repeats: ${repeats.email} mails, ${repeats.push} pushes (bound ${bound})`);
    assert.ok(repeats.email + repeats.push <= bound, `repeats ${JSON.stringify(repeats)} within the in-flight bound ${bound}`);
    for (const ids of mails.values()) assert.equal(new Set(ids).size, 1, `a repeated mail keeps its Message-ID: ${ids.join(', ')}`);
    for (const topics of pushes.values()) assert.deepEqual([...new Set(topics)], [`alert-${alert.id}`]);
  });
});
