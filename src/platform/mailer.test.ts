// The embedded default: with no SMTP_URL every mail is an .eml file under DATA_DIR/outbox, whole
// (written, then renamed), with the headers it was given once each; over SMTP, a 4xx is "later".
import assert from 'node:assert/strict';
import { createHash, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { startSmtpSink } from '../../test/helpers/smtp-sink.ts';
import { loadConfig } from './config.ts';
import { openMailer, PermanentMailError, TransientMailError } from './mailer.ts';

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

test('with a DKIM key every mail is signed, both List-Unsubscribe headers covered; the signature verifies', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-mail-'));
  try {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = path.join(dataDir, 'dkim.pem');
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const config = loadConfig({ DATA_DIR: dataDir, DKIM_DOMAIN: 'news.test', DKIM_SELECTOR: 'mail2026', DKIM_PRIVATE_KEY_FILE: keyFile }, dataDir);
    const mailer = openMailer({ ...config, smtpUrl: null });
    await mailer.send(mail);
    const [file] = fs.readdirSync(path.join(dataDir, 'outbox'));
    // As a receiving server reads it: lines end in CRLF on the wire.
    const raw = fs.readFileSync(path.join(dataDir, 'outbox', file!), 'utf8').replace(/\r?\n/g, '\r\n');
    const tags = dkimTags(raw);
    assert.equal(tags.d, 'news.test');
    assert.equal(tags.s, 'mail2026');
    assert.equal(tags.a, 'rsa-sha256');
    const signed = tags.h!.toLowerCase().split(':');
    for (const name of ['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']) assert.ok(signed.includes(name), `${name} is signed`);
    assert.ok(verifyDkim(raw, publicKey), 'the signature verifies with the public key');
    assert.ok(!verifyDkim(raw.replace('Subject: Breaking: a test', 'Subject: Breaking: altered'), publicKey), 'an altered subject breaks it');
    await mailer.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('over SMTP each mail is written as nodemailer would: headers once, an encoded subject and name, both parts whole, lines within limits', async () => {
  const sink = await startSmtpSink();
  const mailer = openMailer({ smtpUrl: sink.url, mailFrom: 'Gazette de Québec <alerts@news.test>', mailRatePerSecond: 100, dataDir: os.tmpdir() });
  try {
    const text = `Québec : l’Assemblée nationale vote la loi.\n\n${'A long line of plain words that goes on past the width of a mail line. '.repeat(3)}\nManage: http://news.test/alerts/manage?token=${'t'.repeat(120)}`;
    const html = `<p>Québec : l’Assemblée <b>vote</b>.</p>\n<p>${'Déjà vu, '.repeat(30)}</p>\n<a href="http://news.test/alerts/unsubscribe?token=${'u'.repeat(120)}">Unsubscribe</a>`;
    await mailer.send({ ...mail, subject: 'Breaking: Québec’s Assemblée votes on a law that has been argued over for years', text, html, headers: { ...mail.headers, 'List-Id': 'Breaking news <alerts.news.test>' } });
    const [received] = await sink.waitFor(1);
    assert.equal(received!.subject, 'Breaking: Québec’s Assemblée votes on a law that has been argued over for years');
    assert.deepEqual(received!.from?.value, [{ address: 'alerts@news.test', name: 'Gazette de Québec' }]);
    assert.equal(received!.messageId, '<alert-1-2@news.test>');
    assert.equal(received!.text?.trim(), text.trim());
    assert.equal(received!.html && received!.html.trim(), html.trim());
    assert.ok(received!.date && Math.abs(received!.date.getTime() - Date.now()) < 60_000, 'a Date header that reads');
    for (const name of ['list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'message-id', 'date', 'mime-version']) {
      assert.equal(received!.headerLines.filter((h) => h.key === name).length, 1, `${name} once`);
    }
    const raw = sink.raw[0]!;
    assert.ok(!/[^\r]\n/.test(raw), 'every line ends in CRLF');
    const [head, ...body] = raw.split('\r\n\r\n');
    assert.ok(/^[\x20-\x7e\t\r\n]*$/.test(raw), 'the whole mail is ASCII (encoded words, quoted-printable)');
    assert.ok(head!.split('\r\n').every((line) => line.length <= 998), 'header lines within 998');
    assert.ok(body.join('\r\n\r\n').split('\r\n').every((line) => line.length <= 76), 'body lines within 76');
  } finally {
    await mailer.close();
    await sink.close();
  }
});

test('over SMTP a header with a line break is refused for good (no header injection), and an address beyond ASCII still goes', async () => {
  const sink = await startSmtpSink();
  const mailer = openMailer({ smtpUrl: sink.url, mailFrom: 'alerts@news.test', mailRatePerSecond: 100, dataDir: os.tmpdir() });
  try {
    await assert.rejects(mailer.send({ ...mail, subject: 'Hello\r\nBcc: victim@example.org' }), (error: unknown) => error instanceof PermanentMailError && /line break/.test(error.message));
    await assert.rejects(mailer.send({ ...mail, headers: { 'List-Id': 'x\nBcc: victim@example.org' } }), PermanentMailError);
    await mailer.send({ ...mail, to: 'lecteur@exämple.org' });
    const [received] = await sink.waitFor(1);
    assert.equal(sink.mails.length, 1, 'nothing of the refused mails went out');
    assert.match(received!.to && !Array.isArray(received!.to) ? received!.to.text : '', /lecteur@/);
  } finally {
    await mailer.close();
    await sink.close();
  }
});

test('over SMTP with a DKIM key the mail as written is signed and the signature verifies', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-mail-'));
  const sink = await startSmtpSink();
  try {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = path.join(dataDir, 'dkim.pem');
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const config = loadConfig({ DATA_DIR: dataDir, DKIM_DOMAIN: 'news.test', DKIM_SELECTOR: 'mail2026', DKIM_PRIVATE_KEY_FILE: keyFile }, dataDir);
    const mailer = openMailer({ ...config, smtpUrl: sink.url });
    await mailer.send({ ...mail, subject: 'Breaking: Québec votes' });
    await sink.waitFor(1);
    const raw = sink.raw[0]!;
    const signed = dkimTags(raw).h!.toLowerCase().split(':');
    for (const name of ['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']) assert.ok(signed.includes(name), `${name} is signed`);
    assert.ok(verifyDkim(raw, publicKey), 'the signature verifies with the public key');
    await mailer.close();
  } finally {
    await sink.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('DKIM settings come all three or not at all, with a key that reads', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-mail-'));
  try {
    const bad = path.join(dataDir, 'not-a-key.pem');
    fs.writeFileSync(bad, 'hello');
    assert.throws(() => loadConfig({ DATA_DIR: dataDir, DKIM_DOMAIN: 'news.test' }, dataDir), /DKIM needs all three/);
    assert.throws(() => loadConfig({ DATA_DIR: dataDir, DKIM_DOMAIN: 'news.test', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: bad }, dataDir), /PEM private key/);
    assert.throws(() => loadConfig({ DATA_DIR: dataDir, DKIM_DOMAIN: 'news.test', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: path.join(dataDir, 'missing.pem') }, dataDir), /readable file/);
    assert.throws(() => loadConfig({ DATA_DIR: dataDir, DKIM_DOMAIN: 'not a domain', DKIM_SELECTOR: 's1\nx', DKIM_PRIVATE_KEY_FILE: bad }, dataDir), /DKIM_DOMAIN must be a domain name[\s\S]*DKIM_SELECTOR must be a DNS label/);
    assert.equal(loadConfig({ DATA_DIR: dataDir }, dataDir).dkim, null);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

/** The DKIM-Signature header's tags. */
function dkimTags(raw: string): Record<string, string> {
  const header = headerFields(raw).find((f) => f.name.toLowerCase() === 'dkim-signature');
  assert.ok(header, 'a DKIM-Signature header');
  return Object.fromEntries(header.value.replace(/\s+/g, '').split(';').filter(Boolean).map((tag) => [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)]));
}

function headerFields(raw: string): { name: string; value: string; raw: string }[] {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  return head.split(/\r\n(?![ \t])/).map((field) => ({ name: field.slice(0, field.indexOf(':')), value: field.slice(field.indexOf(':') + 1), raw: field }));
}

/** RFC 6376 verification with relaxed/relaxed canonicalisation, as a receiving server does it. */
function verifyDkim(raw: string, publicKey: KeyObject): boolean {
  const tags = dkimTags(raw);
  assert.equal(tags.c, 'relaxed/relaxed');
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const relaxedBody = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, '')).join('\r\n').replace(/(\r\n)*$/, '') + '\r\n';
  if (createHash('sha256').update(relaxedBody).digest('base64') !== tags.bh) return false;
  const relaxed = (name: string, value: string) => `${name.toLowerCase()}:${value.replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim()}`;
  const fields = headerFields(raw);
  const used = new Map<string, number>();
  const lines: string[] = [];
  for (const name of tags.h!.split(':')) {
    // Several fields of one name are signed from the bottom up.
    const same = fields.filter((f) => f.name.toLowerCase() === name.toLowerCase());
    const n = used.get(name.toLowerCase()) ?? 0;
    used.set(name.toLowerCase(), n + 1);
    const field = same[same.length - 1 - n];
    if (field) lines.push(relaxed(field.name, field.value));
  }
  const signature = fields.find((f) => f.name.toLowerCase() === 'dkim-signature')!;
  lines.push(relaxed(signature.name, signature.value.replace(/b=[^;]*$/, 'b=').replace(/(;\s*b=)[^;]*/, '$1')));
  return createVerify('RSA-SHA256').update(lines.join('\r\n')).verify(publicKey, tags.b!, 'base64');
}
