// Reads a capture file as text, refusing what is not one (a directory, something huge, binary,
// not UTF-8) with an error that names the file — before any of it reaches the parser.
import { open } from 'node:fs/promises';
import { CaptureError } from './capture-error.ts';
import { looksBinary } from './capture-parser.ts';

/** Captures are single web pages: a few hundred KB at most. Anything this big was picked by mistake. */
export const MAX_CAPTURE_BYTES = 5 * 1024 * 1024;

export async function readCaptureFile(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CaptureError(describeOpenError(error), path);
  }
  try {
    // Stat the open handle rather than the path, so the checks and the read see the same file.
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new CaptureError('is a directory, not a capture file.', path);
    if (!stat.isFile()) throw new CaptureError('is not a regular file.', path);
    if (stat.size > MAX_CAPTURE_BYTES) {
      throw new CaptureError(`is ${megabytes(stat.size)} MB; a capture file is at most ${megabytes(MAX_CAPTURE_BYTES)} MB.`, path);
    }
    // Read at most one byte past the limit: the file may have grown since the stat.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_CAPTURE_BYTES) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_CAPTURE_BYTES) {
      throw new CaptureError(`is larger than ${megabytes(MAX_CAPTURE_BYTES)} MB.`, path);
    }
    const bytes = buffer.subarray(0, bytesRead);
    // NUL bytes first: binary files are usually invalid UTF-8 too, and "binary" is the clearer reason.
    if (bytes.includes(0)) throw new CaptureError('looks like a binary file, not a text capture.', path);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      throw new CaptureError(`is not valid UTF-8 text (bad byte at offset ${at}); save it as UTF-8 and retry.`, path);
    }
    if (looksBinary(text)) throw new CaptureError('looks like a binary file, not a text capture.', path);
    return text;
  } finally {
    await handle.close();
  }
}

function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file.';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied.';
    case 'EISDIR':
      return 'is a directory, not a capture file.';
    default:
      return `cannot be opened (${code ?? (error instanceof Error ? error.message : String(error))}).`;
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}

/** Offset of the first byte that breaks UTF-8, for the error message (the decoder does not say). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on prefixes. Streaming mode tolerates a character cut at the end of a prefix,
  // so a prefix fails exactly when it contains a bad byte, and longer prefixes fail too.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  // The decoder fails at the byte that breaks a sequence; point at the sequence's lead byte instead
  // (in "Caf\xE9 " the culprit is \xE9, not the space after it).
  for (let p = lo - 1; p >= Math.max(0, lo - 3); p--) {
    const byte = bytes[p]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return p + length > lo ? p : lo;
  }
  return lo;
}
