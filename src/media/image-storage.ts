// Image files in the media store, under images/<id>-<hash>/<file> (on local disk:
// DATA_DIR/media/images/…). New images are built in a working folder and published whole only once
// every variant exists; a failed upload leaves nothing behind. Variants added later (the AVIF job)
// appear whole, so a half-written file is never served. Which store (local disk or a bucket) and
// how each keeps those promises: store/media-store.ts.
import type { Readable } from 'node:stream';
import type { ByteRange, MediaStore, Withdrawn } from './store/media-store.ts';

/** "<id>-<hash>": the id of the row, then 16 hex digits of the upload's SHA-256. */
export const FOLDER_PATTERN = /^[1-9][0-9]{0,15}-[0-9a-f]{16}$/;
/** Only the variants are public; the original keeps the uploader's metadata and is never served. */
export const PUBLIC_FILE_PATTERN = /^w[1-9][0-9]{1,4}\.(avif|webp|jpg|png)$/;
/** Any file this module reads or writes inside an image's folder: one plain name, no separators. */
const FILE_NAME = /^(?!\.\.?$)[.a-z0-9][a-z0-9.-]*$/;
/** The store's folder of every image. */
export const IMAGES = 'images';

export class ImageStorage {
  constructor(readonly store: MediaStore) {}

  /** A new, empty working folder (on local disk) for one upload. */
  async createWorkFolder(): Promise<string> {
    return await this.store.createWorkFolder(IMAGES);
  }

  /** Publishes a finished working folder under the image's folder name. */
  async place(workFolder: string, folder: string): Promise<void> {
    return await this.store.publishFolder(workFolder, this.prefix(folder));
  }

  /**
   * Takes a published folder out of reach (first step of a delete): undo or finish it once the
   * row's fate is known. Null when the folder is already gone, so a row whose files were lost can
   * still be deleted.
   */
  async setAside(folder: string): Promise<Withdrawn | null> {
    return await this.store.withdraw(this.prefix(folder));
  }

  async discardWork(workFolder: string): Promise<void> {
    return await this.store.discardWorkFolder(workFolder);
  }

  async removeFolder(folder: string): Promise<void> {
    return await this.store.removeFolder(this.prefix(folder));
  }

  /**
   * Removes working and set-aside folders that a crash (mid-upload or mid-delete) left behind.
   * Only those older than `maxAgeMs`: a younger one may belong to an upload still running.
   */
  async removeAbandoned(maxAgeMs: number, now = Date.now()): Promise<void> {
    return await this.store.sweep(IMAGES, maxAgeMs, now);
  }

  /** A file of a published image (the kept original, a variant), or null when it is not there. */
  async read(folder: string, file: string): Promise<Buffer | null> {
    return await this.store.read(this.key(folder, file));
  }

  /** Whether the image's folder exists (it is gone once the image is deleted). */
  async hasFolder(folder: string): Promise<boolean> {
    return await this.store.hasFolder(this.prefix(folder));
  }

  /**
   * Adds `file` to a published image's folder: `write` fills a temporary file (a name no public
   * URL can reach), which then appears under `file` in one step. A failed write leaves nothing.
   * The folder is never created here: an image deleted meanwhile stays deleted (ENOENT).
   */
  async addFile<T>(folder: string, file: string, write: (tempPath: string) => Promise<T>): Promise<T> {
    return await this.store.writeFile(this.key(folder, file), write);
  }

  /** Removes temporary files in an image's folder older than `maxAgeMs` (left by a crash mid-write). */
  async removeAbandonedFiles(folder: string, maxAgeMs: number, now = Date.now()): Promise<void> {
    return await this.store.sweepFolder(this.prefix(folder), maxAgeMs, now);
  }

  /** The store key a public URL names, or null: both parts must match strict patterns. */
  publicKey(folder: string, file: string): string | null {
    if (!FOLDER_PATTERN.test(folder) || !PUBLIC_FILE_PATTERN.test(file)) return null;
    return `${IMAGES}/${folder}/${file}`;
  }

  async stat(key: string): Promise<{ size: number } | null> {
    return await this.store.stat(key);
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    return await this.store.open(key, range);
  }

  private prefix(folder: string): string {
    if (!FOLDER_PATTERN.test(folder)) throw new Error(`not an image folder name: ${folder}`);
    return `${IMAGES}/${folder}`;
  }

  private key(folder: string, file: string): string {
    if (!FILE_NAME.test(file)) throw new Error(`not an image file name: ${file}`);
    return `${this.prefix(folder)}/${file}`;
  }
}
