// Media in an S3-compatible bucket (MEDIA_STORE=s3://bucket/prefix), shared by every node: an
// upload on one node is served by all. Work happens on local disk first (sharp writes files); a
// finished folder is then sent one object per file. An object appears whole when its PUT
// completes, so no reader sees half a file; a folder appears file by file, which is safe because
// nothing links to it until the database row that names it commits, after the last PUT.
// Deletion removes the objects after the row's delete commits (an object store has no rename to
// set them aside with), so a failed delete leaves the image whole.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { MediaStoreConfig } from '../../platform/config.ts';
import { checkKey, contentTypeOf, isHiddenKey, joinPublicUrl, type ByteRange, type MediaStore, type StoredObject, type Withdrawn } from './media-store.ts';

type S3Config = Extract<MediaStoreConfig, { kind: 's3' }>;
type Sdk = typeof import('@aws-sdk/client-s3');

export class S3MediaStore implements MediaStore {
  readonly kind = 's3';
  private sdk?: Promise<{ sdk: Sdk; client: S3Client }>;

  constructor(
    private readonly config: S3Config,
    /** Local scratch space for working folders (DATA_DIR/media-work). */
    private readonly scratch: string,
  ) {}

  get description(): string {
    return `s3://${this.config.bucket}/${this.config.prefix}${this.config.endpoint ? ` at ${this.config.endpoint}` : ''}`;
  }

  /** The SDK is loaded on first use: a site on local disk never pays for it. */
  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.sdk ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: this.config.region,
        ...(this.config.endpoint && { endpoint: this.config.endpoint }),
        forcePathStyle: this.config.forcePathStyle,
        ...(this.config.credentials && { credentials: this.config.credentials }),
        // Checksums only where S3 requires them: S3-compatible servers do not all accept the
        // streaming checksum trailers newer SDKs send by default.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
      }),
    }));
    return this.sdk;
  }

  private objectKey(key: string): string {
    return this.config.prefix ? `${this.config.prefix}/${checkKey(key)}` : checkKey(key);
  }

  workRoot(parent: string): string {
    return path.join(this.scratch, ...checkKey(parent).split('/'));
  }

  async createWorkFolder(parent: string): Promise<string> {
    const dir = path.join(this.workRoot(parent), `.incoming-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async publishFolder(workFolder: string, prefix: string): Promise<void> {
    await this.send(workFolder, prefix);
    await this.discardWorkFolder(workFolder);
  }

  async addToFolder(workFolder: string, names: string[], prefix: string): Promise<void> {
    if (!(await this.hasFolder(prefix))) throw Object.assign(new Error(`no media folder ${prefix}`), { code: 'ENOENT' });
    for (const name of names) {
      const from = path.join(workFolder, name);
      const key = `${prefix}/${checkKey(name)}`;
      if ((await stat(from)).isDirectory()) {
        // An earlier run's objects of that name go first, so none of theirs outlives the new set.
        await this.removeFolder(key);
        await this.send(from, key);
      } else {
        await this.putStream(key, createReadStream(from), (await stat(from)).size);
      }
      await rm(from, { recursive: true, force: true });
    }
  }

  localFile(): null {
    return null;
  }

  /** Every file under a local folder, one PUT each under `prefix`; on failure those sent are removed. */
  private async send(folder: string, prefix: string): Promise<void> {
    const names = (await readdir(folder, { recursive: true })).map(String).sort();
    const sent: string[] = [];
    try {
      for (const name of names) {
        const file = path.join(folder, name);
        const stats = await stat(file);
        if (!stats.isFile()) continue;
        const key = `${prefix}/${name.split(path.sep).join('/')}`;
        await this.putStream(key, createReadStream(file), stats.size);
        sent.push(key);
      }
    } catch (error) {
      await this.removeKeys(sent).catch(() => undefined);
      throw error;
    }
  }

  async discardWorkFolder(workFolder: string): Promise<void> {
    await rm(workFolder, { recursive: true, force: true });
  }

  async sweep(parent: string, maxAgeMs: number, now = Date.now()): Promise<void> {
    const dir = path.join(this.scratch, ...checkKey(parent).split('/'));
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.startsWith('.incoming-')) continue;
      const stats = await stat(path.join(dir, name)).catch(() => null);
      if (stats && now - stats.mtimeMs > maxAgeMs) await rm(path.join(dir, name), { recursive: true, force: true });
    }
  }

  async withdraw(prefix: string): Promise<Withdrawn | null> {
    if (!(await this.hasFolder(prefix))) return null;
    return { undo: async () => undefined, finish: () => this.removeFolder(prefix) };
  }

  async writeFile<T>(key: string, write: (tempPath: string) => Promise<T>): Promise<T> {
    // Like a rename into a vanished folder: an image deleted meanwhile gets no new files.
    if (!(await this.hasFolder(path.posix.dirname(checkKey(key))))) {
      throw Object.assign(new Error(`no media folder for ${key}`), { code: 'ENOENT' });
    }
    await mkdir(this.scratch, { recursive: true });
    const temp = path.join(this.scratch, `.partial-${randomUUID()}-${path.posix.basename(key)}`);
    try {
      const result = await write(temp);
      await this.putStream(key, createReadStream(temp), (await stat(temp)).size);
      return result;
    } finally {
      await rm(temp, { force: true });
    }
  }

  async sweepFolder(): Promise<void> {
    // Objects appear whole or not at all; the local scratch files are removed by writeFile itself.
  }

  async read(key: string): Promise<Buffer | null> {
    const body = await this.open(key);
    if (!body) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const { sdk, client } = await this.connect();
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    const { sdk, client } = await this.connect();
    try {
      const got = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key), ...(range && { Range: `bytes=${range.start}-${range.end}` }) }),
      );
      return got.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async hasFolder(prefix: string): Promise<boolean> {
    const { sdk, client } = await this.connect();
    const listed = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: `${this.objectKey(prefix)}/`, MaxKeys: 1 }));
    return (listed.KeyCount ?? listed.Contents?.length ?? 0) > 0;
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const { sdk, client } = await this.connect();
    const root = this.config.prefix ? `${this.config.prefix}/` : '';
    const from = prefix ? `${this.objectKey(prefix)}/` : root;
    let token: string | undefined;
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: from, ContinuationToken: token }));
      for (const item of page.Contents ?? []) {
        const key = item.Key!.slice(root.length);
        if (!isHiddenKey(key)) yield { key, size: item.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async put(key: string, body: Readable, size: number): Promise<void> {
    await this.putStream(key, body, size);
  }

  async removeFolder(prefix: string): Promise<void> {
    const keys: string[] = [];
    for await (const item of this.list(prefix)) keys.push(item.key);
    await this.removeKeys(keys);
  }

  publicUrl(key: string): string | null {
    return joinPublicUrl(this.config.publicUrl, key);
  }

  private async putStream(key: string, body: Readable, size: number): Promise<void> {
    const { sdk, client } = await this.connect();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.config.bucket,
        Key: this.objectKey(key),
        Body: body,
        ContentLength: size,
        ContentType: contentTypeOf(key),
        // The files under a key never change (a new upload gets a new folder): a CDN may keep them.
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
  }

  private async removeKeys(keys: string[]): Promise<void> {
    const { sdk, client } = await this.connect();
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const result = await client.send(new sdk.DeleteObjectsCommand({ Bucket: this.config.bucket, Delete: { Objects: batch.map((key) => ({ Key: this.objectKey(key) })), Quiet: true } }));
      if (result.Errors?.length) throw new Error(`the media store kept ${result.Errors.length} file(s) it was asked to delete: ${result.Errors[0]?.Message ?? ''}`);
    }
  }
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
