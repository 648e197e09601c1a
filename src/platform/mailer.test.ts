// The embedded default: with no SMTP_URL every mail is an .eml file under DATA_DIR/outbox, whole
// (written, then renamed), with the headers it was given once each; over SMTP, a 4xx is "later".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { startSmtpSink } from '../../test/helpers/smtp-sink.ts';
import { openMailer, TransientMailError } from './mailer.ts';

const mail = {
  to: 'reader@example.org',
  subject: 'Breaking: a test',
  text: 'Plain part.',
  html: '<p>HTML part.</p>',
  messageId: '<alert-1-2@news.test>',
  headers: { 'List-Unsubscribe': '<http://news.test/alerts/unsubscribe?token=t>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
};

test('no SMTP_URL: each mail is an .eml file in the outbox, both parts and each header once', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-mail-'));
  try {
    const mailer = openMailer({ smtpUrl: null, mailFrom: 'Test Gazette <alerts@news.test>', mailRatePerSecond: 10, dataDir });
    assert.match(mailer.description, /^the outbox \(.*outbox\)$/);
    await mailer.send(mail);
    const files = fs.readdirSync(path.join(dataDir, 'outbox'));
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^\d{4}-.*\.eml$/, 'no temporary file left');
    const parsed = await simpleParser(fs.readFileSync(path.join(dataDir, 'outbox', files[0]!)));
    assert.equal(parsed.subject, 'Breaking: a test');
    assert.equal(parsed.messageId, '<alert-1-2@news.test>');
    assert.equal(parsed.text?.trim(), 'Plain part.');
    assert.match(String(parsed.html), /HTML part\./);
    assert.equal(parsed.headerLines.filter((h) => h.key === 'list-unsubscribe').length, 1);
    await mailer.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('over SMTP: delivered to the server; a 451 is a TransientMailError (retry later), never a failure', async () => {
  const sink = await startSmtpSink();
  const mailer = openMailer({ smtpUrl: sink.url, mailFrom: 'alerts@news.test', mailRatePerSecond: 100, dataDir: os.tmpdir() });
  try {
    sink.deferNext(1);
    await assert.rejects(mailer.send(mail), (error: unknown) => error instanceof TransientMailError && /451/.test(error.message));
    await mailer.send(mail);
    const [received] = await sink.waitFor(1);
    assert.equal(received!.subject, 'Breaking: a test');
  } finally {
    await mailer.close();
    await sink.close();
  }
});
