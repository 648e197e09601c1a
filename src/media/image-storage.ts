// Image files on disk: DATA_DIR/media/images/<id>-<hash>/<file>. New images are built in a temporary
// folder beside the final ones (same file system, so the rename is atomic) and renamed into place
// only once every variant exists; a failed upload leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** "<id>-<hash>": the id of the row, then 16 hex digits of the upload's SHA-256. */
export const FOLDER_PATTERN = /^[1-9][0-9]{0,15}-[0-9a-f]{16}$/;
/** Only the variants are public; the original keeps the uploader's metadata and is never served. */
export const PUBLIC_FILE_PATTERN = /^w[1-9][0-9]{1,4}\.(avif|webp|jpg|png)$/;

export class ImageStorage {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, 'media', 'images');
  }

  /** A new, empty working folder for one upload. */
  async createWorkFolder(): Promise<string> {
    const dir = path.join(this.root, `.incoming-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Moves a finished working folder to its public name. */
  async place(workFolder: string, folder: string): Promise<void> {
    await rename(workFolder, this.folderPath(folder));
  }

  /**
   * Moves a published folder out of reach (first step of a delete); `restore` undoes it. Null when
   * the folder is already gone, so a row whose files were lost can still be deleted.
   */
  async setAside(folder: string): Promise<string | null> {
    const aside = path.join(this.root, `.deleting-${randomUUID()}`);
    try {
      await rename(this.folderPath(folder), aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return aside;
  }

  async restore(aside: string, folder: string): Promise<void> {
    await rename(aside, this.folderPath(folder));
  }

  async discard(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  async removeFolder(folder: string): Promise<void> {
    await this.discard(this.folderPath(folder));
  }

  /**
   * Removes working and set-aside folders that a crash (mid-upload or mid-delete) left behind.
   * Only those older than `maxAgeMs`: a younger one may belong to an upload still running.
   */
  async removeAbandoned(maxAgeMs: number, now = Date.now()): Promise<void> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    for (const name of names) {
      if (!/^\.(incoming|deleting)-/.test(name)) continue;
      const dir = path.join(this.root, name);
      const stats = await stat(dir).catch(() => null);
      if (stats && now - stats.mtimeMs > maxAgeMs) await this.discard(dir);
    }
  }

  /**
   * The file a public URL names, or null. Both parts must match strict patterns, and the resolved
   * path must still lie inside the images folder: no "..", no absolute paths, no separators.
   */
  publicFile(folder: string, file: string): string | null {
    if (!FOLDER_PATTERN.test(folder) || !PUBLIC_FILE_PATTERN.test(file)) return null;
    const resolved = path.resolve(this.root, folder, file);
    return resolved.startsWith(this.root + path.sep) ? resolved : null;
  }

  private folderPath(folder: string): string {
    if (!FOLDER_PATTERN.test(folder)) throw new Error(`not an image folder name: ${folder}`);
    return path.join(this.root, folder);
  }
}
