// Outgoing mail, one interface for every feature: over SMTP when SMTP_URL is set (pooled, paced
// to MAIL_RATE_PER_SECOND), otherwise as .eml files under DATA_DIR/outbox, so the embedded default
// needs no mail server and nothing is lost (an operator can read or replay the files).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DKIMOptions } from 'nodemailer/lib/dkim/index.js';
import type { Config } from './config.ts';
import { addressOf, composeMime, plainAddress } from './mime.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<…@host>`: the same for a repeated delivery of the same message, so clients collapse it. */
  messageId: string;
  /** Extra headers, each given once (List-Unsubscribe, List-Unsubscribe-Post, List-Id…). */
  headers?: Record<string, string>;
}

/** The server said "not now" (4xx, a dropped connection): try again later; never a failure. */
export class TransientMailError extends Error {}
/** The server refused this message for good (5xx): retrying will not help. */
export class PermanentMailError extends Error {
  constructor(
    message: string,
    /** The SMTP reply code (550, 553…), when the server gave one. */
    readonly responseCode?: number,
  ) {
    super(message);
  }

  /** The address itself is refused (no such mailbox, a bad address): a hard bounce, not a passing refusal. */
  get addressRefused(): boolean {
    return this.responseCode === 550 || this.responseCode === 551 || this.responseCode === 553 || /\b5\.1\.\d\b/.test(this.message);
  }
}

export interface Mailer {
  /** Where mail goes, for the start-up line: "smtp://mail.example:587" or "the outbox (…/outbox)". */
  readonly description: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export function openMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'mailRatePerSecond' | 'dataDir'> & Partial<Pick<Config, 'dkim'>>): Mailer {
  const dkim = signing(config.dkim ?? null);
  return config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom, config.mailRatePerSecond, dkim) : new OutboxMailer(path.join(config.dataDir, 'outbox'), config.mailFrom, dkim);
}

/**
 * nodemailer's DKIM options. The signed headers are its defaults plus List-Unsubscribe-Post: a
 * mailbox provider honours one-click unsubscribe only when both List-Unsubscribe headers are
 * covered by the signature (RFC 8058 §4).
 */
function signing(dkim: Config['dkim']): DKIMOptions | undefined {
  if (!dkim) return undefined;
  return {
    domainName: dkim.domain,
    keySelector: dkim.selector,
    privateKey: dkim.privateKey,
    headerFieldNames: DKIM_HEADERS,
  };
}

const DKIM_HEADERS = 'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Id:List-Unsubscribe:List-Unsubscribe-Post';

/** Headers and parts as both transports build them (one List-Unsubscribe header, set by hand). */
function message(from: string, mail: OutgoingMail) {
  return { from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId, date: new Date(), headers: mail.headers ?? {} };
}

class SmtpMailer implements Mailer {
  readonly description: string;
  private readonly transport: Transporter;
  private readonly envelopeFrom: string;

  constructor(url: string, private readonly from: string, ratePerSecond: number, dkim: DKIMOptions | undefined) {
    this.description = url.replace(/\/\/[^@/]*@/, '//…@');
    this.envelopeFrom = addressOf(from);
    const parsed = new URL(url);
    this.transport = nodemailer.createTransport({
      pool: true,
      // Measured against a local SMTP server (4,000 mails, 64 in flight): 4 connections that each
      // reconnect after nodemailer's default of 100 mails gave 887 mails/s; 8 that carry 1,000 each
      // gave 1,744/s. A new connection costs a handshake (and STARTTLS on a real relay) for
      // nothing a relay needs: 8 is far below what relays allow one client, and one that closes
      // a connection sooner gets a new one (the mail in flight is retried).
      maxConnections: 8,
      maxMessages: 1000,
      rateDelta: 1000,
      rateLimit: ratePerSecond,
      host: parsed.hostname,
      port: Number(parsed.port) || (parsed.protocol === 'smtps:' ? 465 : 25),
      secure: parsed.protocol === 'smtps:',
      // A plain local relay (smtp://127.0.0.1:2525) has no certificate to offer.
      ignoreTLS: parsed.protocol === 'smtp:' && ['127.0.0.1', 'localhost', '::1'].includes(parsed.hostname),
      auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      dkim,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      // Composed here (mime.ts: a fraction of nodemailer's cost); an address beyond ASCII goes
      // through nodemailer's composer, which knows SMTPUTF8 and punycode.
      if (plainAddress(mail.to)) {
        let raw: string;
        try {
          raw = composeMime({ ...mail, from: this.from, date: new Date(), headers: mail.headers ?? {} });
        } catch (error) {
          // A mail that cannot be written (a line break in a header) never will be: not a retry.
          throw new PermanentMailError(`could not write this mail: ${(error as Error).message}`);
        }
        // The Message-ID is in the raw mail already; given here too, nodemailer does not make
        // one of its own (five random draws a mail) for the message object it keeps beside it.
        await this.transport.sendMail({ envelope: { from: this.envelopeFrom, to: [mail.to] }, raw, messageId: mail.messageId });
      } else {
        await this.transport.sendMail(message(this.from, mail));
      }
    } catch (error) {
      throw error instanceof PermanentMailError ? error : classify(error);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** 4xx answers and lost connections are the server's "later"; 5xx answers are final. */
function classify(error: unknown): Error {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const text = e.message ?? String(error);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return new PermanentMailError(`${e.responseCode} ${text}`, e.responseCode);
  return new TransientMailError(e.responseCode ? `${e.responseCode} ${text}` : `${e.code ?? 'connection'}: ${text}`);
}

class OutboxMailer implements Mailer {
  readonly description: string;
  private readonly transport: Transporter;

  constructor(private readonly folder: string, private readonly from: string, dkim: DKIMOptions | undefined) {
    this.description = `the outbox (${folder})`;
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', dkim });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const built = (await this.transport.sendMail(message(this.from, mail))) as unknown as { message: Buffer };
    await fs.mkdir(this.folder, { recursive: true });
    // Written whole, then renamed: a reader of the folder never sees half a mail.
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
    const temp = path.join(this.folder, `.${name}.tmp`);
    await fs.writeFile(temp, built.message);
    await fs.rename(temp, path.join(this.folder, name));
  }

  async close(): Promise<void> {}
}
