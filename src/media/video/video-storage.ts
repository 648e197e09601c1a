// Clip files in the media store every node shares, under `videos/<id>-<16 hex>/` (on local disk:
// DATA_DIR/media/videos/, as before the store). Inside a clip's folder the upload is `source`
// (never served). Work happens on this machine's disk first, in the store's working space for
// `videos`: an upload streams into an `.incoming-` folder, published whole with the clip's row; a
// transcode writes under `.transcode-<folder>/`, and each finished part is added to the clip's
// folder before the row that names it commits. Readers reach a part only through that row (the
// master playlist, poster and MP4 addresses are written from it), so none sees half a clip.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, MediaStore } from '../store/media-store.ts';

export const VIDEO_FOLDER = /^[1-9][0-9]{0,9}-[0-9a-f]{16}$/;
/**
 * The files readers may fetch: HLS playlists and segments of a rung (`r360/index.m3u8`,
 * `r360/seg-004.ts`), the progressive MP4 and WebM, posters. `source` never matches.
 */
export const PUBLIC_VIDEO_FILE = /^(r[1-9][0-9]{2,3}\/(index\.m3u8|seg-[0-9]{3,5}\.ts)|clip-[1-9][0-9]{2,3}\.(mp4|webm)|poster-(t[0-9]{1,9}-)?w[1-9][0-9]{2,3}\.(webp|jpg))$/;
export const SOURCE_FILE = 'source';
const PARENT = 'videos';
const TRANSCODE = '.transcode-';

/** The source a transcode reads: in place on local disk, or a copy fetched from the bucket. */
export interface SourceFile {
  path: string;
  /** Removes the copy, if one was made. */
  done(): Promise<void>;
}

export class VideoStorage {
  constructor(private readonly store: MediaStore) {}

  /** Where unfinished resumable uploads collect: this machine's working space for clips. */
  get uploadsDir(): string {
    return path.join(this.store.workRoot(PARENT), '.uploads');
  }

  /** A new, empty working folder for one upload (its file is `source`). */
  createIncoming(): Promise<string> {
    return this.store.createWorkFolder(PARENT);
  }

  /** A new folder name for clip `id`: the random part keeps a deleted clip's addresses from ever meaning a new one. */
  folderFor(id: number): string {
    return `${id}-${randomBytes(8).toString('hex')}`;
  }

  /** Publishes an upload's working folder as the clip's folder (local disk: one rename). */
  place(incoming: string, folder: string): Promise<void> {
    return this.store.publishFolder(incoming, this.prefix(folder));
  }

  discard(incoming: string): Promise<void> {
    return this.store.discardWorkFolder(incoming);
  }

  removeFolder(folder: string): Promise<void> {
    return this.store.removeFolder(this.prefix(folder));
  }

  /** Takes a clip's folder out of reach (the first step of a delete); null when it is already gone. */
  withdraw(folder: string) {
    return this.store.withdraw(this.prefix(folder));
  }

  /**
   * Working and withdrawn folders a crash left behind, older than `maxAgeMs` (a younger one may
   * be an upload in progress), and transcode folders of clips that no longer exist.
   */
  async removeAbandoned(maxAgeMs: number, now = Date.now()): Promise<void> {
    await this.store.sweep(PARENT, maxAgeMs, now);
    const root = this.store.workRoot(PARENT);
    for (const name of await readdir(root).catch(() => [] as string[])) {
      const folder = name.startsWith(TRANSCODE) ? name.slice(TRANSCODE.length) : '';
      if (VIDEO_FOLDER.test(folder) && !(await this.store.hasFolder(this.prefix(folder)))) await rm(path.join(root, name), { recursive: true, force: true });
    }
  }

  /** The clip's source for ffmpeg: read in place from local disk, or fetched into `work` from the bucket. */
  async source(folder: string, work: string): Promise<SourceFile> {
    const key = this.key(folder, SOURCE_FILE);
    const local = this.store.localFile(key);
    if (local) return { path: local, done: async () => undefined };
    const body = await this.store.open(key);
    if (!body) throw Object.assign(new Error(`the clip's upload is missing from the media store (${key})`), { code: 'ENOENT' });
    const copy = path.join(work, `.${SOURCE_FILE}`);
    await pipeline(body, createWriteStream(copy));
    return { path: copy, done: () => rm(copy, { force: true }) };
  }

  /** A fresh, empty folder for one transcode of the clip (an earlier run's leftovers removed). */
  async freshWork(folder: string): Promise<string> {
    const dir = this.workFolder(folder);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async clearWork(folder: string): Promise<void> {
    await rm(this.workFolder(folder), { recursive: true, force: true });
  }

  /** Adds finished parts (`r360`, `clip-480.mp4`, posters) from the work folder to the clip's, replacing older ones; ENOENT when the clip is gone. */
  promote(folder: string, work: string, names: string[]): Promise<void> {
    return this.store.addToFolder(work, names, this.prefix(folder));
  }

  /** The size of one of the clip's files, or null (see `publicFile` for which names readers may ask for). */
  stat(folder: string, file: string): Promise<{ size: number } | null> {
    return this.store.stat(this.key(folder, file));
  }

  open(folder: string, file: string, range?: ByteRange) {
    return this.store.open(this.key(folder, file), range);
  }

  /** Whether a public URL's two parts name a file readers may fetch: both match strict patterns. */
  isPublicFile(folder: string, file: string): boolean {
    return VIDEO_FOLDER.test(folder) && PUBLIC_VIDEO_FILE.test(file);
  }

  private workFolder(folder: string): string {
    return path.join(this.store.workRoot(PARENT), TRANSCODE + this.checked(folder));
  }

  private prefix(folder: string): string {
    return `${PARENT}/${this.checked(folder)}`;
  }

  private key(folder: string, file: string): string {
    return `${this.prefix(folder)}/${file}`;
  }

  private checked(folder: string): string {
    if (!VIDEO_FOLDER.test(folder)) throw new Error(`not a clip folder name: ${folder}`);
    return folder;
  }
}
