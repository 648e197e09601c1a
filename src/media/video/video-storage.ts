// Clip files on disk: DATA_DIR/media/videos/<id>-<16 hex>/. An upload streams into a working
// folder beside the final ones (same file system, so renames are atomic) and is renamed into place
// with the row. Inside a clip's folder the upload is `source` (never served); the transcoder writes
// under `.work/` and each finished part is renamed into place in the transaction that records it,
// so a half-written playlist or segment is never served.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export const VIDEO_FOLDER = /^[1-9][0-9]{0,9}-[0-9a-f]{16}$/;
/**
 * The files readers may fetch: HLS playlists and segments of a rung (`r360/index.m3u8`,
 * `r360/seg-004.ts`), the progressive MP4 and WebM, posters. `source` and `.work` never match.
 */
export const PUBLIC_VIDEO_FILE = /^(r[1-9][0-9]{2,3}\/(index\.m3u8|seg-[0-9]{3,5}\.ts)|clip-[1-9][0-9]{2,3}\.(mp4|webm)|poster-(t[0-9]{1,9}-)?w[1-9][0-9]{2,3}\.(webp|jpg))$/;
export const SOURCE_FILE = 'source';
const WORK = '.work';

export class VideoStorage {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, 'media', 'videos');
  }

  /** A new, empty working folder for one upload. */
  async createIncoming(): Promise<string> {
    const dir = path.join(this.root, `.incoming-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** A new folder name for clip `id`: the random part keeps a deleted clip's addresses from ever meaning a new one. */
  folderFor(id: number): string {
    return `${id}-${randomBytes(8).toString('hex')}`;
  }

  async place(incoming: string, folder: string): Promise<void> {
    await rename(incoming, this.folderPath(folder));
  }

  async discard(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  async removeFolder(folder: string): Promise<void> {
    await this.discard(this.folderPath(folder));
  }

  /** Moves a clip's folder out of reach (the first step of a delete); null when it is already gone. */
  async setAside(folder: string): Promise<string | null> {
    const aside = path.join(this.root, `.deleting-${randomUUID()}`);
    try {
      await rename(this.folderPath(folder), aside);
      return aside;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async restore(aside: string, folder: string): Promise<void> {
    await rename(aside, this.folderPath(folder));
  }

  /** Working and set-aside folders a crash left behind, older than `maxAgeMs` (a younger one may be an upload in progress). */
  async removeAbandoned(maxAgeMs: number, now = Date.now()): Promise<void> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    for (const name of names) {
      if (!/^\.(incoming|deleting)-/.test(name)) continue;
      const dir = path.join(this.root, name);
      const stats = await stat(dir).catch(() => null);
      if (stats && now - stats.mtimeMs > maxAgeMs) await this.discard(dir);
    }
  }

  sourcePath(folder: string): string {
    return path.join(this.folderPath(folder), SOURCE_FILE);
  }

  /** A fresh, empty `.work/` in the clip's folder (an earlier run's leftovers removed); throws when the folder is gone. */
  async freshWork(folder: string): Promise<string> {
    const dir = path.join(this.folderPath(folder), WORK);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    return dir;
  }

  async clearWork(folder: string): Promise<void> {
    await rm(path.join(this.folderPath(folder), WORK), { recursive: true, force: true });
  }

  /** Renames finished parts (`r360`, `clip-480.mp4`, …) from `.work/` into the clip's folder, replacing older ones. */
  async promote(folder: string, names: string[]): Promise<void> {
    for (const name of names) {
      const target = path.join(this.folderPath(folder), name);
      await rm(target, { recursive: true, force: true });
      await rename(path.join(this.folderPath(folder), WORK, name), target);
    }
  }

  async exists(folder: string, name: string): Promise<boolean> {
    return (await stat(path.join(this.folderPath(folder), name)).catch(() => null)) !== null;
  }

  /** The file a public URL names, or null: both parts match strict patterns and stay inside the clips folder. */
  publicFile(folder: string, file: string): string | null {
    if (!VIDEO_FOLDER.test(folder) || !PUBLIC_VIDEO_FILE.test(file)) return null;
    const resolved = path.resolve(this.root, folder, file);
    return resolved.startsWith(this.root + path.sep) ? resolved : null;
  }

  folderPath(folder: string): string {
    if (!VIDEO_FOLDER.test(folder)) throw new Error(`not a clip folder name: ${folder}`);
    return path.join(this.root, folder);
  }
}
