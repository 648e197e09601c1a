// Complaints (ARF) and late bounces (DSN) about real alert mails, caught by a real SMTP server and
// wrapped in reports as mailbox providers and mail servers write them: what proves whose mail it
// was, what changes nothing, and the command a mail server pipes reports into.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { addEmailSubscribers } from '../../../test/helpers/alert-audience.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { childEnvironment } from '../../../test/helpers/built-server.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp-sink.ts';
import { PROJECT_ROOT } from '../../platform/paths.ts';
import { runAlertsCommand } from './feedback-command.ts';
import { readMailReport, UnreadableReport } from './mail-report.ts';

let t: TestApp;
let smtp: SmtpSink;

before(async () => {
  smtp = await startSmtpSink();
  t = await buildTestApp({ SMTP_URL: smtp.url });
  await seedBasics(t.services);
  await addEmailSubscribers(t.database.db, 6, 'inbox.test');
});
after(async () => {
  await t.close();
  await smtp.close();
});

/** Sends an alert to everyone and returns the `expected` mails it produced, by recipient. */
async function sendAlert(title: string, expected: number): Promise<Map<string, ParsedMail>> {
  const before = smtp.mails.length;
  await t.services.alerts.send(await t.services.alerts.check({ title, text: 'Details to follow.', url: '/national', sections: '*' }), { by: 'cli' });
  await t.jobs.runDue();
  const mails = (await smtp.waitFor(before + expected)).slice(before);
  return new Map(mails.map((m) => [m.to && 'text' in m.to ? m.to.text : '', m]));
}

const headersOf = (mail: ParsedMail) => mail.headerLines.map((h) => h.line.replace(/\r\n/g, '\n')).join('\n');

function arf(original: string, options: { rcptTo?: string; feedbackType?: string; headersOnly?: boolean } = {}): string {
  return [
    'From: <fbl@mailbox.example>',
    'To: <feedback@news.test>',
    'Subject: Complaint about message from 192.0.2.1',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report;',
    '\tboundary="arf_boundary_1"',
    '',
    'This is a multi-part message in MIME format.',
    '--arf_boundary_1',
    'Content-Type: text/plain; charset="US-ASCII"',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1.',
    '',
    '--arf_boundary_1',
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${options.feedbackType ?? 'abuse'}`,
    'User-Agent: MailboxFBL/2.1',
    'Version: 1',
    ...(options.rcptTo ? [`Original-Rcpt-To: ${options.rcptTo}`] : []),
    'Arrival-Date: Wed, 02 Dec 2026 08:00:00 +0000',
    '',
    '--arf_boundary_1',
    `Content-Type: ${options.headersOnly ? 'text/rfc822-headers' : 'message/rfc822'}`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(`${original}\n\n${options.headersOnly ? '' : 'Redacted body'}`).toString('base64').replace(/.{76}/g, '$&\n'),
    '--arf_boundary_1--',
    '',
  ].join('\r\n');
}

function dsn(original: string | null, recipients: { address: string; action: string; status: string }[]): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.inbox.test>',
    'To: <alerts@news.test>',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn.42"',
    '',
    '--dsn.42',
    'Content-Type: text/plain',
    '',
    'I\'m sorry to have to inform you that your message could not be delivered.',
    '--dsn.42',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.inbox.test',
    'Arrival-Date: Wed, 2 Dec 2026 08:00:00 +0000',
    '',
    ...recipients.flatMap((r) => [`Final-Recipient: rfc822; ${r.address}`, `Action: ${r.action}`, `Status: ${r.status}`, `Diagnostic-Code: smtp; 550 ${r.status} mailbox unavailable`, '']),
    ...(original === null ? [] : ['--dsn.42', 'Content-Type: text/rfc822-headers', '', original]),
    '--dsn.42--',
    '',
  ].join('\n');
}

test('reading: a complaint with its original mail, a DSN per recipient; anything else is refused with the reason', () => {
  const complaint = readMailReport(arf('Message-ID: <alert-1-2@news.test>\nTo: a@inbox.test\nList-Unsubscribe: <http://news.test/alerts/unsubscribe?token=x>', { rcptTo: '<A@Inbox.test>' }));
  assert.deepEqual(complaint, { kind: 'complaint', feedbackType: 'abuse', recipients: ['a@inbox.test'], original: { messageId: '<alert-1-2@news.test>', to: ['a@inbox.test'], listUnsubscribe: '<http://news.test/alerts/unsubscribe?token=x>' } });
  const bounce = readMailReport(dsn(null, [{ address: 'gone@inbox.test', action: 'failed', status: '5.1.1' }, { address: 'slow@inbox.test', action: 'delayed', status: '4.2.2' }]));
  assert.equal(bounce.kind, 'delivery-status');
  assert.deepEqual(bounce.kind === 'delivery-status' && bounce.recipients.map((r) => [r.address, r.action, r.status]), [['gone@inbox.test', 'failed', '5.1.1'], ['slow@inbox.test', 'delayed', '4.2.2']]);
  assert.equal(bounce.original, null);

  const refusals: [string, RegExp][] = [
    ['', /empty/],
    ['From: someone@example.org\nSubject: hello\n\nJust a mail.', /not multipart\/report/],
    ['Content-Type: multipart/report; report-type=feedback-report\n\nno boundary', /no MIME boundary/],
    ['Content-Type: multipart/report; report-type=feedback-report; boundary="b"\n\ncut off before any part', /no parts/],
    ['Content-Type: multipart/report; report-type=disposition-notification; boundary="b"\n\n--b\nContent-Type: message/disposition-notification\n\nDisposition: displayed\n--b--', /disposition-notification/],
  ];
  for (const [raw, message] of refusals) assert.throws(() => readMailReport(raw), (e: unknown) => e instanceof UnreadableReport && message.test(e.message), raw.slice(0, 40));
});

test('a complaint about a real alert mail unsubscribes that reader and suppresses the address: the next alert skips it', async () => {
  const mails = await sendAlert('Dam holds after storm', 6);
  const mail = mails.get('reader0@inbox.test')!;
  const outcome = await t.services.feedback.take(arf(headersOf(mail)));
  assert.deepEqual(outcome, { kind: 'complaint', suppressed: [{ email: 'reader0@inbox.test', reason: 'complained' }], ignored: [] });

  const next = await sendAlert('River falls back', 5);
  assert.equal(next.has('reader0@inbox.test'), false, 'no mail after a complaint');
  assert.equal(next.size, 5);
  // Headers only, redacted recipient, the token carries it: still provable.
  const redacted = headersOf(next.get('reader1@inbox.test')!).replace(/reader1@inbox\.test/g, 'redacted@mailbox.example');
  assert.deepEqual((await t.services.feedback.take(arf(redacted, { headersOnly: true }))).suppressed, [{ email: 'reader1@inbox.test', reason: 'complained' }]);
});

test('a report that cannot prove whose mail it was changes nothing: forged tokens, foreign mails, a Message-ID with another address, "not-spam"', async () => {
  const mails = await sendAlert('Bridge inspection', 4);
  const headers = headersOf(mails.get('reader2@inbox.test')!);
  // Whole header lines, folded continuations included (a blank line would end the header block).
  const noToken = headers.replace(/^List-Unsubscribe:.*(\n[ \t].*)*\n?/m, '');
  const forged = headers.replace(/token=([^>\s]+)/, (_, token: string) => `token=${token.replace(/\.[^.]+$/, '.' + 'A'.repeat(43))}`);
  const cases: [string, RegExp][] = [
    [arf(forged.replace(/^Message-ID:.*$/m, 'Message-ID: <x@elsewhere.example>')), /not one this site signed/],
    [arf('Message-ID: <newsletter-9@shop.example>\nTo: reader2@inbox.test', { rcptTo: 'reader2@inbox.test' }), /not one of this site's alert mails/],
    [arf(noToken.replace(/reader2@inbox\.test/g, 'reader3@inbox.test').replace(/<alert-(\d+)-(\d+)@/, '<alert-$1-999@'), { rcptTo: 'reader3@inbox.test' }), /not to the address the report names/],
    [arf(noToken.replace(/^To:.*(\n[ \t].*)*$/m, 'To: someone@else.example'), { rcptTo: 'someone@else.example' }), /not to the address the report names/],
    [arf(headers, { feedbackType: 'not-spam' }), /not-spam/],
    [dsn(null, [{ address: 'reader2@inbox.test', action: 'failed', status: '5.1.1' }]), /does not include the mail/],
  ];
  for (const [report, why] of cases) {
    const outcome = await t.services.feedback.take(report);
    assert.deepEqual(outcome.suppressed, []);
    assert.match(outcome.ignored.join(' | '), why);
  }
  // The Message-ID with the subscriber's own address is proof enough without the token.
  assert.deepEqual((await t.services.feedback.take(arf(noToken, { rcptTo: 'reader2@inbox.test' }))).suppressed, [{ email: 'reader2@inbox.test', reason: 'complained' }]);
});

test('a late bounce: "no such mailbox" (5.1.x) suppresses that address; a delay or a policy refusal does not', async () => {
  const mails = await sendAlert('Schools reopen', 3);
  const gone = headersOf(mails.get('reader4@inbox.test')!);
  const kept = headersOf(mails.get('reader5@inbox.test')!);
  const soft = await t.services.feedback.take(dsn(kept, [{ address: 'reader5@inbox.test', action: 'failed', status: '5.7.1' }, { address: 'reader5@inbox.test', action: 'delayed', status: '4.4.7' }]));
  assert.deepEqual(soft.suppressed, []);
  assert.equal(soft.ignored.length, 2);
  const other = await t.services.feedback.take(dsn(gone, [{ address: 'reader5@inbox.test', action: 'failed', status: '5.1.1' }]));
  assert.deepEqual(other.suppressed, [], 'a bounce for an address the returned mail was not sent to');
  const hard = await t.services.feedback.take(dsn(gone, [{ address: 'reader4@inbox.test', action: 'failed', status: '5.1.1' }]));
  assert.deepEqual(hard, { kind: 'delivery-status', suppressed: [{ email: 'reader4@inbox.test', reason: 'bounced' }], ignored: [] });
  const next = await sendAlert('Buses run again', 2);
  assert.deepEqual([...next.keys()].sort(), ['reader3@inbox.test', 'reader5@inbox.test']);
});

test('`bulletin alerts feedback`: reads a file or standard input, says what it did; a mail that is not a report exits 1 and changes nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-feedback-'));
  const run = (args: string[], input?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile('node', ['bin/bulletin.js', 'alerts', ...args], { cwd: PROJECT_ROOT, env: childEnvironment(t.env), timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end(input ?? '');
    });
  try {
    const file = path.join(dir, 'report.eml');
    fs.writeFileSync(file, arf('Message-ID: <news-1@shop.example>\nTo: x@inbox.test'));
    const ignored = await run(['feedback', file]);
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.match(ignored.stdout, /^complaint: nothing changed: the mail it is about is not one of this site's alert mails\n$/);
    const plain = await run(['feedback'], 'From: a@b.example\nSubject: hi\n\nhello');
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /Not a feedback report or a delivery status notification .* Nothing was changed\./);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The command line's own mistakes, in this process (each run above starts a whole program).
  const err: string[] = [];
  const deps = { intake: async () => ({ intake: t.services.feedback, close: async () => {} }), stdin: (async function* () {})(), out: process.stdout, err: { write: (text: string) => err.push(text) } as unknown as NodeJS.WritableStream };
  assert.equal(await runAlertsCommand(['feedback', path.join(dir, 'missing.eml')], deps), 1);
  assert.match(err.join(''), /missing\.eml: no such file/);
  assert.equal(await runAlertsCommand(['complaints'], deps), 2);
  assert.match(err.join(''), /usage:\n {2}alerts feedback \[FILE\]/);
});
