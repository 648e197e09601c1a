// `bulletin comments check FILE [--json]`: the moderation decision for each comment of a JSON Lines
// file ({author, email, url, comment, ip}), as it would be taken for a first-time commenter on an
// open story, with this site's settings and classifier; nothing is stored. For moderators tuning
// the rules, and for measuring the defence on a labelled corpus.
import fs from 'node:fs';
import readline from 'node:readline';
import type { CommentService } from './comment-service.ts';

export const COMMENTS_USAGE = `  comments check FILE [--json]  the moderation decision for each line of a JSON Lines file of
                                {author, email, url, comment, ip}; stores nothing`;

export interface CheckDeps {
  comments: () => Promise<{ comments: CommentService; close(): Promise<void> }>;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export type CheckLine = { decision: 'approved' | 'pending' | 'spam'; reasons: string[] } | { error: string };

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** One line of the file, decided (or the reason it cannot be). */
export async function checkLine(comments: CommentService, line: string): Promise<CheckLine> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: 'not a JSON object' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  const comment = text(record.comment).replace(/\r\n?/g, '\n').trim();
  if (!comment) return { error: 'no "comment" text' };
  const decision = await comments.assessFirstTime(
    { text: comment, authorName: text(record.author).trim(), email: text(record.email).trim().toLowerCase(), url: text(record.url).trim() },
    text(record.ip).trim(),
  );
  return { decision: decision.status, reasons: decision.reasons };
}

export async function runCommentsCommand(argv: string[], deps: CheckDeps): Promise<number> {
  const [sub, ...rest] = argv;
  const json = rest.includes('--json');
  const files = rest.filter((a) => a !== '--json');
  if (sub !== 'check' || files.length !== 1 || files[0]!.startsWith('--')) {
    deps.err.write(`usage: bulletin comments check FILE [--json]\n`);
    return 2;
  }
  const file = files[0]!;
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    deps.err.write(`error: ${file} is not a readable file\n`);
    return 2;
  }
  const { comments, close } = await deps.comments();
  const totals = { approved: 0, pending: 0, spam: 0, error: 0 };
  try {
    const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      const result = line.trim() ? await checkLine(comments, line) : { error: 'empty line' };
      if ('error' in result) totals.error++;
      else totals[result.decision]++;
      if (json) deps.out.write(`${JSON.stringify(result)}\n`);
      else deps.out.write('error' in result ? `${n}: error: ${result.error}\n` : `${n}: ${result.decision} (${result.reasons.join(', ')})\n`);
    }
  } finally {
    await close();
  }
  if (!json) deps.out.write(`${totals.approved} approved, ${totals.pending} pending, ${totals.spam} spam${totals.error ? `, ${totals.error} unreadable` : ''}\n`);
  return totals.error ? 1 : 0;
}
