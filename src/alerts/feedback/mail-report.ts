// Reading the two kinds of report that mailbox providers and mail servers send back about mail we
// sent: a complaint (an ARF feedback report, RFC 5965: a reader pressed "This is spam") and a
// delivery status notification (a DSN, RFC 3464: a bounce that arrives later, after the server
// first accepted the mail). Both are multipart/report messages; this is only the reading, pure and
// without the database (feedback-intake.ts decides what a report may change).
//
// A small MIME reader of our own rather than a general mail parser: a report's parts are plain
// header blocks, and a general parser folds the attached original message into the body text,
// which is exactly the part that says whose mail it was.

/** The headers of the mail the report is about, as far as the report includes them. */
export interface OriginalMail {
  messageId: string | null;
  to: string[];
  /** The one-click unsubscribe link: its signed token names the subscriber. */
  listUnsubscribe: string | null;
}

export interface BouncedRecipient {
  address: string;
  /** failed, delayed, delivered, relayed, expanded (RFC 3464 §2.3.3). */
  action: string;
  /** The enhanced status code, 5.1.1 and the like. */
  status: string;
  diagnostic: string;
}

export type MailReport =
  | { kind: 'complaint'; feedbackType: string; recipients: string[]; original: OriginalMail | null }
  | { kind: 'delivery-status'; recipients: BouncedRecipient[]; original: OriginalMail | null };

export class UnreadableReport extends Error {}

/** The most a report may be: the original mail inside is usually cut to its headers anyway. */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

interface Part {
  headers: Map<string, string[]>;
  body: string;
}

/** Reads one message (as the mail server hands it over) into the report it is; throws UnreadableReport otherwise. */
export function readMailReport(raw: Buffer | string): MailReport {
  const text = (typeof raw === 'string' ? raw : raw.toString('latin1')).replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new UnreadableReport('The message is empty.');
  if (text.length > MAX_REPORT_BYTES) throw new UnreadableReport(`The message is over ${MAX_REPORT_BYTES / 1024 / 1024} MB: not a report.`);
  const message = splitPart(text);
  const type = contentType(message);
  if (type.value !== 'multipart/report') throw new UnreadableReport(`Not a feedback report or a delivery status notification (its type is ${type.value || 'missing'}, not multipart/report).`);
  const parts = multipartParts(message, type.params.boundary);
  const original = originalMail(parts);
  const feedback = parts.find((p) => contentType(p).value === 'message/feedback-report');
  if (feedback) {
    const fields = fieldBlocks(decoded(feedback))[0] ?? new Map<string, string[]>();
    const recipients = [...(fields.get('original-rcpt-to') ?? []), ...(fields.get('removal-recipient') ?? [])].map(address).filter((a): a is string => a !== null);
    return { kind: 'complaint', feedbackType: (fields.get('feedback-type')?.[0] ?? 'abuse').toLowerCase(), recipients, original };
  }
  const status = parts.find((p) => ['message/delivery-status', 'message/global-delivery-status'].includes(contentType(p).value));
  if (status) {
    // The first block is about the message; each block after it about one recipient.
    const recipients = fieldBlocks(decoded(status))
      .slice(1)
      .map((block) => ({
        address: address(block.get('final-recipient')?.[0] ?? block.get('original-recipient')?.[0] ?? '') ?? '',
        action: (block.get('action')?.[0] ?? '').toLowerCase().trim(),
        status: /\d\.\d{1,3}\.\d{1,3}/.exec(block.get('status')?.[0] ?? '')?.[0] ?? '',
        diagnostic: (block.get('diagnostic-code')?.[0] ?? '').replace(/\s+/g, ' ').trim().slice(0, 300),
      }))
      .filter((r) => r.address !== '');
    return { kind: 'delivery-status', recipients, original };
  }
  throw new UnreadableReport(`A report, but of a kind this does not read (${type.params['report-type'] ?? 'no report-type'}): only feedback reports and delivery status notifications.`);
}

/** An address out of `rfc822; a@b.example`, `<a@b.example>` or a plain `a@b.example`, lower-cased. */
function address(field: string): string | null {
  const value = field.replace(/^\s*(rfc822|utf-8)\s*;/i, '').trim();
  const match = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^\s<>,;"]+@[^\s<>,;"]+)/.exec(value);
  return match ? match[1]!.toLowerCase() : null;
}

function splitPart(text: string): Part {
  const end = text.search(/\n\n|^\n/);
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? '' : text.slice(end).replace(/^\n\n?/, '');
  return { headers: headerBlock(head), body };
}

/** Header lines, unfolded, by lower-case name (a name may occur more than once). */
function headerBlock(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** Blocks of `Name: value` lines separated by blank lines (the body of a feedback or status part). */
function fieldBlocks(body: string): Map<string, string[]>[] {
  return body
    .split(/\n\s*\n/)
    .map((block) => headerBlock(block.trim()))
    .filter((block) => block.size > 0);
}

function contentType(part: Part): { value: string; params: Record<string, string> } {
  const raw = part.headers.get('content-type')?.[0] ?? '';
  const [value = '', ...rest] = raw.split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0) params[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { value: value.trim().toLowerCase(), params };
}

function multipartParts(message: Part, boundary: string | undefined): Part[] {
  if (!boundary) throw new UnreadableReport('The report names no MIME boundary, so its parts cannot be told apart.');
  const delimiter = `--${boundary}`;
  const pieces = `\n${message.body}`.split(`\n${delimiter}`);
  // Before the first delimiter is the preamble; after the closing one ("--boundary--"), the epilogue.
  const parts = pieces.slice(1).filter((piece) => !piece.startsWith('--'));
  if (parts.length === 0) throw new UnreadableReport('The report has no parts: it is cut short or its boundary is wrong.');
  return parts.map((piece) => splitPart(piece.replace(/^[ \t]*\n/, '')));
}

/** A part's body with its transfer encoding undone. */
function decoded(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding')?.[0] ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('latin1').replace(/\r\n?/g, '\n');
  if (encoding === 'quoted-printable') return part.body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return part.body;
}

/** The headers of the returned mail: a message/rfc822 part, or its headers alone (text/rfc822-headers). */
function originalMail(parts: Part[]): OriginalMail | null {
  const part = parts.find((p) => ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'].includes(contentType(p).value));
  if (!part) return null;
  const headers = splitPart(decoded(part)).headers;
  const to = (headers.get('to') ?? []).flatMap((value) => value.split(',')).map(address).filter((a): a is string => a !== null);
  return { messageId: headers.get('message-id')?.[0]?.trim() ?? null, to, listUnsubscribe: headers.get('list-unsubscribe')?.[0] ?? null };
}
