// Where media files live, for any kind of file (image variants today, video segments next): a flat
// space of keys such as `images/12-0123456789abcdef/w640.webp`, over local disk (the default) or an
// S3-compatible bucket every node shares. Callers build a folder of files on local disk and publish
// it whole, add single files to a published folder, read, stream (with byte ranges), list and
// remove; the two stores keep the same guarantees where they can (see each method).
import type { Readable } from 'node:stream';
import path from 'node:path';

/** Inclusive byte offsets, as HTTP ranges count them. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  key: string;
  size: number;
}

/** A folder taken out of reach by `withdraw`: `undo` puts it back, `finish` removes it for good. */
export interface Withdrawn {
  undo(): Promise<void>;
  finish(): Promise<void>;
}

export interface MediaStore {
  readonly kind: 'local' | 's3';
  /** For logs and the backup manifest: where the files are (no secrets). */
  readonly description: string;
  /**
   * A new, empty folder on local disk to build files in before `publishFolder` stores them under a
   * prefix whose parent is `parent` (e.g. `images`).
   */
  createWorkFolder(parent: string): Promise<string>;
  /**
   * The local folder working folders under `parent` are made in (beside the published ones on
   * local disk, so a rename publishes; in DATA_DIR/media-work for a bucket). Callers that keep work
   * of their own there (an upload in progress, a transcode) name it with a leading dot.
   */
  workRoot(parent: string): string;
  /**
   * Stores every file of a working folder under `prefix` and removes the folder. Local disk: one
   * rename, so the files appear together; S3: one object per file, and on failure those already
   * sent are removed again.
   */
  publishFolder(workFolder: string, prefix: string): Promise<void>;
  discardWorkFolder(workFolder: string): Promise<void>;
  /** Removes working and withdrawn folders under `parent` older than `maxAgeMs` (left by a crash). */
  sweep(parent: string, maxAgeMs: number, now?: number): Promise<void>;
  /**
   * Moves the files or folders `names` of a working folder into the published folder `prefix`,
   * each replacing any earlier one of that name (local disk: renames; a bucket: one PUT a file).
   * Fails with code ENOENT when the published folder is gone.
   */
  addToFolder(workFolder: string, names: string[], prefix: string): Promise<void>;
  /**
   * The path of a stored file on this machine, for a tool that reads files in place (ffmpeg), or
   * null when the store is a bucket (stream the file with `open` instead).
   */
  localFile(key: string): string | null;
  /** Takes a published folder out of reach, or null when there is none. */
  withdraw(prefix: string): Promise<Withdrawn | null>;
  /**
   * Adds one file to an existing published folder: `write` fills a local temporary file, which
   * then appears whole under `key` (rename; one PUT). Fails with code ENOENT when the folder is gone.
   */
  writeFile<T>(key: string, write: (tempPath: string) => Promise<T>): Promise<T>;
  /** Removes temporary files a crash left inside a published folder (local disk only has any). */
  sweepFolder(prefix: string, maxAgeMs: number, now?: number): Promise<void>;
  /** A whole file, or null when there is none. */
  read(key: string): Promise<Buffer | null>;
  /** The size of a file, or null when there is none. */
  stat(key: string): Promise<{ size: number } | null>;
  /** A stream of the file (or of `range` within it), or null when there is none. */
  open(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Whether any file lies under `prefix`. */
  hasFolder(prefix: string): Promise<boolean>;
  /** Every published file under `prefix` ('' for all), in key order; working files are not listed. */
  list(prefix: string): AsyncIterable<StoredObject>;
  /** Writes one file of `size` bytes whole, from a stream (restoring a backup). */
  put(key: string, body: Readable, size: number): Promise<void>;
  removeFolder(prefix: string): Promise<void>;
  /** The URL a bucket or CDN serves `key` at when MEDIA_PUBLIC_URL is set, else null. */
  publicUrl(key: string): string | null;
}

/** One segment of a key: a plain name, not "." or "..", no separators. */
const SEGMENT = /^(?!\.\.?$)[A-Za-z0-9._-]+$/;

/** Throws on anything but slash-separated plain names, so no key can leave the store's root. */
export function checkKey(key: string): string {
  const parts = key.split('/');
  if (!key || !parts.every((part) => SEGMENT.test(part))) throw new Error(`not a media key: ${JSON.stringify(key)}`);
  return key;
}

/** Files whose name starts with a dot are being written or set aside: never listed or served. */
export function isHiddenKey(key: string): boolean {
  return key.split('/').some((part) => part.startsWith('.'));
}

const CONTENT_TYPES: Record<string, string> = {
  '.avif': 'image/avif',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.ts': 'video/mp2t',
  '.vtt': 'text/vtt',
};

/** The type a file is served with, by its extension (the stores hold only files we wrote). */
export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[path.extname(key).toLowerCase()] ?? 'application/octet-stream';
}

export function joinPublicUrl(base: string | null, key: string): string | null {
  return base ? `${base}/${key.split('/').map(encodeURIComponent).join('/')}` : null;
}
