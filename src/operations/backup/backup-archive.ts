// The backup file: a gzip'd tar whose first entry (`bulletin-backup.json`) says what it is and
// whose last (`manifest.json`) lists every entry with its size and SHA-256. Between them: the
// database (`database/…`) and the media files (`media/<key>`). Reading checks everything: a foreign
// file, a truncated one or a changed byte is refused with a message, before anything is restored.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';

export const HEADER_ENTRY = 'bulletin-backup.json';
export const MANIFEST_ENTRY = 'manifest.json';
export const FORMAT = 'bulletin-backup';
export const FORMAT_VERSION = 1;

export interface BackupHeader {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  engine: 'sqlite' | 'postgres';
  /** The schema's migrations when the backup was made, in order. */
  migrations: string[];
  /** Where the media came from (for people reading the file; restore writes to the configured store). */
  mediaStore: string;
}

export interface ManifestEntry {
  name: string;
  size: number;
  sha256: string;
}

/** Something wrong with a backup file, in words for the operator. */
export class BackupError extends Error {
  readonly code = 'backup_invalid';
}

export class ArchiveWriter {
  private readonly pack = tar.pack();
  private readonly entries: ManifestEntry[] = [];
  private readonly done: Promise<void>;

  constructor(file: string) {
    this.done = pipeline(this.pack, createGzip(), createWriteStream(file, { flags: 'wx' }));
  }

  /** The first entry: what this file is (not in the manifest, which it precedes). */
  header(header: BackupHeader): void {
    const body = Buffer.from(JSON.stringify(header));
    this.pack.entry({ name: HEADER_ENTRY, size: body.length, mode: 0o600, mtime: new Date(0) }, body);
  }

  async add(name: string, size: number, body: Readable | Buffer): Promise<void> {
    const hash = createHash('sha256');
    let seen = 0;
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    const entry = this.pack.entry({ name, size, mode: 0o600, mtime: new Date(0) });
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        seen += chunk.length;
        callback(null, chunk);
      },
    });
    await pipeline(source, count, entry);
    if (seen !== size) throw new Error(`${name} changed size while it was copied (${size} → ${seen} bytes)`);
    this.entries.push({ name, size, sha256: hash.digest('hex') });
  }

  has(name: string): boolean {
    return this.entries.some((entry) => entry.name === name);
  }

  async finish(): Promise<ManifestEntry[]> {
    const manifest = Buffer.from(JSON.stringify({ entries: this.entries }));
    this.pack.entry({ name: MANIFEST_ENTRY, size: manifest.length, mode: 0o600, mtime: new Date(0) }, manifest);
    this.pack.finalize();
    await this.done;
    return this.entries;
  }

  /** Stops writing (the caller removes the half-written file). */
  async abort(): Promise<void> {
    this.pack.destroy();
    await this.done.catch(() => undefined);
  }
}

/**
 * Reads every entry of a backup, in order, handing each (after the header) to `onEntry` as a
 * stream, hashed as it is read (no entry is held in memory whole), and checks the whole file
 * against its manifest. Without `onEntry`: a verification only. `onEntry` must read its stream to
 * the end; what it wrote is only known good once this returns.
 */
export async function readArchive(file: string, onEntry?: (name: string, body: Readable, size: number) => Promise<void>): Promise<{ header: BackupHeader; entries: ManifestEntry[] }> {
  const extract = tar.extract();
  const seen: ManifestEntry[] = [];
  let header: BackupHeader | undefined;
  let manifest: ManifestEntry[] | undefined;
  const whole = async (entry: AsyncIterable<unknown>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const reading = (async () => {
    for await (const entry of extract) {
      const name = entry.header.name;
      if (!header) {
        if (name !== HEADER_ENTRY) throw new BackupError('This is not a Bulletin backup (it does not start with bulletin-backup.json).');
        header = parseHeader(await whole(entry));
        continue;
      }
      if (manifest) throw new BackupError('This backup has entries after its manifest: it is not one Bulletin wrote.');
      if (name === MANIFEST_ENTRY) {
        manifest = parseManifest(await whole(entry));
        continue;
      }
      if (!/^(database|media)\/[A-Za-z0-9._/-]+$/.test(name) || name.split('/').some((part) => part === '..' || part === '' || part.startsWith('.'))) {
        throw new BackupError(`This backup holds an entry Bulletin does not write: ${JSON.stringify(name)}.`);
      }
      const hash = createHash('sha256');
      let size = 0;
      const counted = Readable.from(
        (async function* () {
          for await (const chunk of entry as AsyncIterable<Buffer>) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        })(),
      );
      if (onEntry) await onEntry(name, counted, entry.header.size ?? 0);
      for await (const _rest of counted) {
        // Whatever the consumer left is read here, so the hash covers the whole entry.
      }
      seen.push({ name, size, sha256: hash.digest('hex') });
    }
  })();
  try {
    await Promise.all([pipeline(createReadStream(file), createGunzip(), extract), reading]);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BackupError(`There is no file ${file}.`);
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_STREAM_PREMATURE_CLOSE' || /unexpected end|incorrect header|invalid tar|premature/i.test(String((error as Error).message))) {
      throw new BackupError(header ? 'This backup is incomplete or damaged (it ends early or its compressed data is broken).' : 'This is not a Bulletin backup (not a gzip-compressed archive).');
    }
    throw error;
  }
  if (!header) throw new BackupError('This is not a Bulletin backup (it is empty).');
  if (!manifest) throw new BackupError('This backup is incomplete: it ends before its manifest (was it cut short?).');
  const listed = new Map(manifest.map((entry) => [entry.name, entry]));
  if (listed.size !== seen.length) throw new BackupError(`This backup is incomplete: its manifest lists ${listed.size} entries, the file holds ${seen.length}.`);
  for (const entry of seen) {
    const expected = listed.get(entry.name);
    if (!expected || expected.size !== entry.size || expected.sha256 !== entry.sha256) throw new BackupError(`This backup is damaged: ${entry.name} does not match its manifest.`);
  }
  return { header, entries: seen };
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new BackupError(`This backup's ${what} is not readable JSON.`);
  }
}

function parseHeader(body: Buffer): BackupHeader {
  const value = parseJson(body, 'header') as Partial<BackupHeader> | null;
  if (value?.format !== FORMAT) throw new BackupError('This is not a Bulletin backup (its header names another format).');
  if (value.version !== FORMAT_VERSION) throw new BackupError(`This backup is format version ${String(value.version)}; this Bulletin reads version ${FORMAT_VERSION}.`);
  if ((value.engine !== 'sqlite' && value.engine !== 'postgres') || !Array.isArray(value.migrations) || typeof value.createdAt !== 'string') {
    throw new BackupError('This backup’s header is incomplete.');
  }
  return value as BackupHeader;
}

function parseManifest(body: Buffer): ManifestEntry[] {
  const value = parseJson(body, 'manifest') as { entries?: unknown } | null;
  const entries = value?.entries;
  const ok = Array.isArray(entries) && entries.every((e: Partial<ManifestEntry>) => typeof e?.name === 'string' && typeof e.size === 'number' && typeof e.sha256 === 'string');
  if (!ok) throw new BackupError('This backup’s manifest is incomplete.');
  return entries as ManifestEntry[];
}
