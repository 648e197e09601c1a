// Image files on disk: DATA_DIR/media/images/<id>-<hash>/<file>. New images are built in a temporary
// folder beside the final ones (same file system, so the rename is atomic) and renamed into place
// only once every variant exists; a failed upload leaves nothing behind. Variants added later (the
// AVIF job) are written under a hidden temporary name in the folder and renamed when complete, so
// a half-written file is never served.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** "<id>-<hash>": the id of the row, then 16 hex digits of the upload's SHA-256. */
export const FOLDER_PATTERN = /^[1-9][0-9]{0,15}-[0-9a-f]{16}$/;
/** Only the variants are public; the original keeps the uploader's metadata and is never served. */
export const PUBLIC_FILE_PATTERN = /^w[1-9][0-9]{1,4}\.(avif|webp|jpg|png)$/;
/** Files being written into a published folder; the leading dot keeps them out of PUBLIC_FILE_PATTERN. */
const TEMP_PREFIX = '.partial-';
/** Any file this module reads or writes inside an image's folder: one plain name, no separators. */
const FILE_NAME = /^(?!\.\.?$)[.a-z0-9][a-z0-9.-]*$/;

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

  /** A file of a published image (the kept original, a variant), or null when it is not there. */
  async read(folder: string, file: string): Promise<Buffer | null> {
    try {
      return await readFile(this.filePath(folder, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Whether the image's folder exists (it is gone once the image is deleted). */
  async hasFolder(folder: string): Promise<boolean> {
    return (await stat(this.folderPath(folder)).catch(() => null))?.isDirectory() ?? false;
  }

  /**
   * Adds `file` to a published image's folder: `write` fills a temporary file beside it (a name no
   * public URL can reach), which is then renamed over `file` in one step. A failed write leaves
   * nothing. The folder is never created here: an image deleted meanwhile stays deleted.
   */
  async addFile<T>(folder: string, file: string, write: (tempPath: string) => Promise<T>): Promise<T> {
    const temp = this.filePath(folder, `${TEMP_PREFIX}${randomUUID()}-${file}`);
    try {
      const result = await write(temp);
      await rename(temp, this.filePath(folder, file));
      return result;
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Removes temporary files in an image's folder older than `maxAgeMs` (left by a crash mid-write). */
  async removeAbandonedFiles(folder: string, maxAgeMs: number, now = Date.now()): Promise<void> {
    const names = await readdir(this.folderPath(folder)).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const file = this.filePath(folder, name);
      const stats = await stat(file).catch(() => null);
      if (stats && now - stats.mtimeMs > maxAgeMs) await rm(file, { force: true });
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

  private filePath(folder: string, file: string): string {
    if (!FILE_NAME.test(file)) throw new Error(`not an image file name: ${file}`);
    return path.join(this.folderPath(folder), file);
  }
}
