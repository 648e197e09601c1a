// `bulletin alerts feedback [FILE]`: one complaint (ARF) or late bounce (DSN) from a file, or from
// standard input, so that the mail server can pipe its feedback mailbox straight in (a Postfix or
// Exim alias such as `bulletin-feedback: "|bulletin alerts feedback"`; see the README). Exit 0
// when the report was read (whether or not it changed anyone), 1 when the message is not a
// report this reads, 2 for a wrong command line.
import fs from 'node:fs/promises';
import { MAX_REPORT_BYTES, UnreadableReport } from './mail-report.ts';
import type { FeedbackIntake } from './feedback-intake.ts';

export const ALERTS_USAGE = `  alerts feedback [FILE]        apply a complaint (ARF) or bounce (DSN) report, from FILE or stdin:
                                the address goes on the alerts' suppression list`;

export interface FeedbackDeps {
  intake: () => Promise<{ intake: FeedbackIntake; close(): Promise<void> }>;
  stdin: AsyncIterable<Buffer | string>;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function runAlertsCommand(args: string[], deps: FeedbackDeps): Promise<number> {
  const [sub, file, ...extra] = args;
  if (sub !== 'feedback' || extra.length > 0) {
    deps.err.write(`usage:\n${ALERTS_USAGE}\n`);
    return 2;
  }
  let raw: Buffer;
  try {
    raw = file && file !== '-' ? await readFile(file) : await readAll(deps.stdin);
  } catch (error) {
    deps.err.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const { intake, close } = await deps.intake();
  try {
    const outcome = await intake.take(raw);
    const kind = outcome.kind === 'complaint' ? 'complaint' : 'delivery status notification';
    for (const s of outcome.suppressed) deps.out.write(`${kind}: ${s.email} is on the suppression list (${s.reason})\n`);
    for (const why of outcome.ignored) deps.out.write(`${kind}: nothing changed: ${why}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UnreadableReport)) throw error;
    deps.err.write(`error: ${error.message} Nothing was changed.\n`);
    return 1;
  } finally {
    await close();
  }
}

async function readFile(file: string): Promise<Buffer> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new Error(`${file}: no such file`);
  if (stat.size > MAX_REPORT_BYTES) throw new Error(`${file} is over ${MAX_REPORT_BYTES / 1024 / 1024} MB: not a report. Nothing was changed.`);
  return fs.readFile(file);
}

async function readAll(input: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_REPORT_BYTES) throw new Error(`the message is over ${MAX_REPORT_BYTES / 1024 / 1024} MB: not a report. Nothing was changed.`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
