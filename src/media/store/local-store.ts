// Media on local disk, under DATA_DIR/media: a key is a path below that folder. Working folders
// are built beside the folders they become (same file system), so publishing one is a single
// rename; a file added later is written under a hidden name and renamed into place. A reader never
// sees half a folder or half a file.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey, isHiddenKey, joinPublicUrl, type ByteRange, type MediaStore, type StoredObject, type Withdrawn } from './media-store.ts';

const TEMP_PREFIX = '.partial-';

export class LocalMediaStore implements MediaStore {
  readonly kind = 'local';
  readonly root: string;

  constructor(
    root: string,
    private readonly publicBase: string | null = null,
  ) {
    this.root = path.resolve(root);
  }

  get description(): string {
    return `local disk (${this.root})`;
  }

  workRoot(parent: string): string {
    return this.pathOf(parent);
  }

  async createWorkFolder(parent: string): Promise<string> {
    const dir = path.join(this.pathOf(parent), `.incoming-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async publishFolder(workFolder: string, prefix: string): Promise<void> {
    await rename(workFolder, this.pathOf(prefix));
  }

  async discardWorkFolder(workFolder: string): Promise<void> {
    await rm(workFolder, { recursive: true, force: true });
  }

  async sweep(parent: string, maxAgeMs: number, now = Date.now()): Promise<void> {
    const dir = this.pathOf(parent);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!/^\.(incoming|deleting)-/.test(name)) continue;
      const stats = await stat(path.join(dir, name)).catch(() => null);
      if (stats && now - stats.mtimeMs > maxAgeMs) await rm(path.join(dir, name), { recursive: true, force: true });
    }
  }

  async addToFolder(workFolder: string, names: string[], prefix: string): Promise<void> {
    const home = this.pathOf(prefix);
    if (!(await orNull(stat(home)))?.isDirectory()) throw Object.assign(new Error(`no media folder ${prefix}`), { code: 'ENOENT' });
    for (const name of names) {
      const target = path.join(home, ...checkKey(name).split('/'));
      await rm(target, { recursive: true, force: true });
      await rename(path.join(workFolder, name), target);
    }
  }

  localFile(key: string): string {
    return this.pathOf(key);
  }

  async withdraw(prefix: string): Promise<Withdrawn | null> {
    const home = this.pathOf(prefix);
    const aside = path.join(path.dirname(home), `.deleting-${randomUUID()}`);
    try {
      await rename(home, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return { undo: () => rename(aside, home), finish: () => rm(aside, { recursive: true, force: true }) };
  }

  async writeFile<T>(key: string, write: (tempPath: string) => Promise<T>): Promise<T> {
    const target = this.pathOf(key);
    const temp = path.join(path.dirname(target), `${TEMP_PREFIX}${randomUUID()}-${path.basename(target)}`);
    try {
      const result = await write(temp);
      await rename(temp, target);
      return result;
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async sweepFolder(prefix: string, maxAgeMs: number, now = Date.now()): Promise<void> {
    const dir = this.pathOf(prefix);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const stats = await stat(path.join(dir, name)).catch(() => null);
      if (stats && now - stats.mtimeMs > maxAgeMs) await rm(path.join(dir, name), { force: true });
    }
  }

  read(key: string): Promise<Buffer | null> {
    return orNull(readFile(this.pathOf(key)));
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const stats = await orNull(stat(this.pathOf(key)));
    return stats?.isFile() ? { size: stats.size } : null;
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    const file = this.pathOf(key);
    if (!(await this.stat(key))) return null;
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async hasFolder(prefix: string): Promise<boolean> {
    return (await orNull(stat(this.pathOf(prefix))))?.isDirectory() ?? false;
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const base = prefix ? this.pathOf(prefix) : this.root;
    const names = ((await orNull(readdir(base, { recursive: true }))) ?? []).map(String).sort();
    for (const name of names) {
      const key = (prefix ? `${prefix}/` : '') + name.split(path.sep).join('/');
      if (isHiddenKey(key)) continue;
      const stats = await orNull(stat(path.join(base, name)));
      if (stats?.isFile()) yield { key, size: stats.size };
    }
  }

  async put(key: string, body: Readable): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(path.dirname(target), `${TEMP_PREFIX}${randomUUID()}`);
    try {
      await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async removeFolder(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  publicUrl(key: string): string | null {
    return joinPublicUrl(this.publicBase, key);
  }

  /** The path of a key; checkKey has refused separators, "." and "..", so it stays under the root. */
  private pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }
}

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}
