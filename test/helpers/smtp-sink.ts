// A real SMTP server on 127.0.0.1 for tests: it receives what Bulletin sends and parses each mail
// (mailparser), so tests read headers and both parts as a mail client would. It can answer "not
// now" (451) to chosen messages, as a busy server does.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  mails: ParsedMail[];
  /** Each mail as it arrived (CRLF lines, dot-stuffing undone), beside its parse in `mails`. */
  raw: string[];
  /** With `headersOnly`: each mail's Message-ID and To, read from its header (no parsing). */
  heads: { messageId: string; to: string }[];
  /** Answer 451 to the next `count` messages (they count in `deferred`). */
  deferNext(count: number): void;
  /** Refuse mail to this address for good, as a server whose mailbox does not exist does (550). */
  refuse(address: string, code?: number): void;
  deferred: number;
  /** Resolves once `count` mails have arrived in all (or rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** `headersOnly`: keep only Message-ID and To of each mail (thousands of mails, little CPU). */
export async function startSmtpSink(options: { headersOnly?: boolean } = {}): Promise<SmtpSink> {
  let toDefer = 0;
  const refused = new Map<string, number>();
  const sink: SmtpSink = {
    url: '',
    mails: [],
    raw: [],
    heads: [],
    deferred: 0,
    deferNext: (count) => void (toDefer = count),
    refuse: (address, code = 550) => void refused.set(address.toLowerCase(), code),
    waitFor: async (count, ms = 15_000) => {
      const until = Date.now() + ms;
      while (sink.mails.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} mails, got ${sink.mails.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return sink.mails;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = refused.get(address.address.toLowerCase());
      if (code) return callback(Object.assign(new Error('5.1.1 No such mailbox here'), { responseCode: code }));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (toDefer > 0) {
          toDefer--;
          sink.deferred++;
          const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
          return callback(error);
        }
        if (options.headersOnly) {
          const head = Buffer.concat(chunks).toString('utf8', 0, 4096);
          sink.heads.push({ messageId: /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '', to: /^to:\s*(\S+)/im.exec(head)?.[1] ?? '' });
          return callback();
        }
        const whole = Buffer.concat(chunks);
        simpleParser(whole)
          .then((mail) => {
            sink.raw.push(whole.toString('utf8'));
            sink.mails.push(mail);
            callback();
          })
          .catch(callback);
      });
    },
  });
  // A sender that dies mid-conversation (the crash test kills one) resets its connection: that is
  // the sender's story, not an error of this server's.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return sink;
}
