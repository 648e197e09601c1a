// `npm run bench -- alerts [--push N] [--email N]`: one breaking-news alert fanned out by the
// server (the bundle `npm start` runs, its own process) to N push subscriptions on a local HTTPS
// push service and N email subscribers on a local SMTP server, each sink in a process of its own,
// all on this machine's cores. Reports messages/s per channel, the time from the send call
// returning to the first and the last push accepted, the last mail, and the server's RSS. The
// baseline, in the same run: the same push sender and the same mailer driven flat out from this
// process, with no ledger, no database and no job (the ceiling the fan-out is measured against).
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webpush from 'web-push';
import { webPushSender } from '../src/alerts/push/push-sender.ts';
import { openMailer } from '../src/platform/mailer.ts';
import { addEmailSubscribers, addPushSubscriptions } from '../test/helpers/alert-audience.ts';
import { buildAppOnSite, testEnv } from '../test/helpers/build-test-app.ts';
import { seedBasics } from '../test/helpers/fixtures.ts';
import { buildServer, startServer } from './_harness.ts';

interface SinkStats {
  count: number;
  first: number;
  last: number;
  decrypted: number;
  problems: number;
  topics: string[];
}

class Sink {
  private constructor(
    private readonly child: ChildProcess,
    readonly info: Record<string, string>,
  ) {}

  static async start(kind: 'push' | 'smtp'): Promise<Sink> {
    const child = fork(new URL('./_alert-sinks.ts', import.meta.url).pathname, [kind], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const info = await new Promise<Record<string, string>>((resolve) => child.once('message', (m) => resolve(m as Record<string, string>)));
    return new Sink(child, info);
  }

  stats(): Promise<SinkStats> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as SinkStats));
      this.child.send('stats');
    });
  }

  reset(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('message', () => resolve());
      this.child.send('reset');
    });
  }

  stop(): void {
    this.child.send('exit');
  }
}

const option = (args: string[], name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const rate = (n: number, ms: number) => Math.round((n / Math.max(1, ms)) * 1000);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(', ');

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the fan-out did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `count` messages through `send`, `concurrency` at a time; ms taken. */
async function flatOut(count: number, concurrency: number, send: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await send(next++);
  }));
  return performance.now() - started;
}

export async function main(args: string[]): Promise<void> {
  const pushCount = option(args, '--push', 100_000);
  const emailCount = option(args, '--email', 100_000);
  console.log(`alerts bench: ${pushCount.toLocaleString('en')} push, ${emailCount.toLocaleString('en')} email recipients; load average before: ${load()}`);
  buildServer();
  const [push, smtp] = await Promise.all([Sink.start('push'), Sink.start('smtp')]);
  const keys = { p256dh: push.info.p256dh!, auth: push.info.auth! };
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const env = testEnv({ LOG_LEVEL: 'warn', SMTP_URL: smtp.info.url!, MAIL_RATE_PER_SECOND: '100000', PUSH_ALLOW_PRIVATE_ENDPOINTS: 'on', PUSH_CA_FILE: push.info.caFile!, VAPID_SUBJECT: 'mailto:bench@news.test' });
  try {
    // Baseline: the sender and the mailer alone, flat out.
    const baselinePushes = Math.min(10_000, pushCount);
    const sender = webPushSender({ keys: async () => webpush.generateVAPIDKeys(), subject: 'mailto:bench@news.test', allowPrivate: true, caFile: push.info.caFile });
    const message = { payload: JSON.stringify({ title: 'Baseline', text: 'x'.repeat(120), url: 'http://news.test/national/x', icon: 'http://news.test/favicon.svg', tag: 'alert-0' }), topic: 'alert-0', ttlSeconds: 3600 };
    const pushMs = await flatOut(baselinePushes, 64, (i) => sender.send({ endpoint: `${push.info.origin}/push/b${i}`, ...keys }, message));
    sender.close();
    const baselineMails = Math.min(5_000, emailCount);
    const mailer = openMailer({ smtpUrl: smtp.info.url!, mailFrom: 'Bench <alerts@news.test>', mailRatePerSecond: 100_000, dataDir: os.tmpdir() });
    const mailMs = baselineMails === 0 ? 1 : await flatOut(baselineMails, 32, (i) => mailer.send({ to: `b${i}@crowd.test`, subject: 'Baseline', text: 'x'.repeat(300), html: `<p>${'x'.repeat(300)}</p>`, messageId: `<b${i}@news.test>` }));
    await mailer.close();
    await Promise.all([push.reset(), smtp.reset()]);

    // The site: its recipients, then the server.
    const site = await buildAppOnSite(env, { runJobs: false, watchChanges: false });
    await seedBasics(site.services);
    await addEmailSubscribers(site.database.db, emailCount);
    await addPushSubscriptions(site.database.db, Array.from({ length: pushCount }, (_, i) => ({ endpoint: `${push.info.origin}/push/r${i}`, keys })));
    server = await startServer('../dist/main.js', env, '/robots.txt');
    const idleRss = rssMb(server.pid);
    let peakRss = idleRss;
    console.log(`load average at the send: ${load()}`);

    const { alert } = await site.services.alerts.send(await site.services.alerts.check({ title: 'Bench alert', text: 'x'.repeat(120), url: '/national', sections: '*' }), { by: 'cli' });
    const sentAt = Date.now();
    let pushStats = await push.stats();
    let mailStats = await smtp.stats();
    await until(async () => {
      peakRss = Math.max(peakRss, rssMb(server!.pid));
      [pushStats, mailStats] = await Promise.all([push.stats(), smtp.stats()]);
      return pushStats.count >= pushCount && mailStats.count >= emailCount;
    }, 30 * 60_000);
    const progress = await site.services.alerts.progress(alert.id);
    await until(async () => (await site.services.alerts.get(alert.id)).status === 'complete', 60_000);
    const loadAfter = load();
    const firstPush = pushStats.first;
    const pushSpan = pushStats.last - sentAt;
    const mailSpan = mailStats.last - sentAt;
    const fanOutPushRate = rate(pushCount, pushStats.last - firstPush);
    const fanOutMailRate = rate(emailCount, mailSpan);
    const rows: [string, string, string][] = [
      ['push: baseline (sender alone, 64 in flight)', `${rate(baselinePushes, pushMs).toLocaleString('en')} /s`, ''],
      ['push: fan-out', `${fanOutPushRate.toLocaleString('en')} /s`, `${(fanOutPushRate / rate(baselinePushes, pushMs)).toFixed(2)}× baseline; goal ≥ 3,000/s`],
      ['push: send → first accepted', `${firstPush - sentAt} ms`, 'goal ≤ 2,000 ms'],
      ['push: send → last accepted', `${(pushSpan / 1000).toFixed(1)} s`, `goal ≤ 60 s for 100,000`],
      ['email: baseline (mailer alone, 32 in flight)', `${rate(baselineMails, mailMs).toLocaleString('en')} /s`, ''],
      ['email: fan-out', `${fanOutMailRate.toLocaleString('en')} /s`, `${(fanOutMailRate / rate(baselineMails, mailMs)).toFixed(2)}× baseline; goal ≥ 1,000/s`],
      ['email: send → last accepted', `${(mailSpan / 1000).toFixed(1)} s`, ''],
      ['server RSS idle → peak', `${idleRss} → ${peakRss} MB`, ''],
    ];
    for (const [what, value, note] of rows) console.log(`${what.padEnd(46)} ${value.padStart(12)}  ${note}`);
    console.log(`ledger: ${JSON.stringify(progress.channels)}; push payloads decrypted by the sink: ${pushStats.decrypted} (problems ${pushStats.problems}); load average after: ${loadAfter}`);
    await site.close();
  } finally {
    await server?.stop();
    push.stop();
    smtp.stop();
    fs.rmSync(path.resolve(env.DATA_DIR!), { recursive: true, force: true });
  }
}
