// The rules of the image library: what an acceptable upload is, its metadata limits, and keeping
// files and rows in step (both or neither).
import { imageTag } from './change-tags.ts';
import { createHash } from 'node:crypto';
import type { ChangeFeed } from '../platform/changes.ts';
import { invalidInput, notFound, type FieldError } from '../platform/errors.ts';
import { checkBeforePage, fetchBeforePage } from '../platform/paging.ts';
import { enqueueAvif } from './image-avif-job.ts';
import {
  ACCEPTED_TYPES,
  ImageRejected,
  finishedVariant,
  originalFileFor,
  processImage,
  sortVariants,
  variantFile,
  variantWidths,
  writeVariant,
  type Variant,
} from './image-processing.ts';
import type { ImageMeta, ImageRecord, ImageRepository } from './image-repository.ts';
import type { ImageStorage } from './image-storage.ts';
import type { Withdrawn } from './store/media-store.ts';
import { checkTextChangeOfShownImage, type ImageEditor, type ImageJournal, type ImageUseSource } from './image-uses.ts';

export type { ImageRecord } from './image-repository.ts';

export const META_LIMITS = { alt: 300, caption: 1000, credit: 300 };

/** Cache tag of every reader page showing the image (its alt text, caption and credit). */
export { imageTag } from './change-tags.ts';

export interface UploadInput {
  bytes: Buffer;
  /** As the uploader's computer named it: kept (cleaned) for the library, never used for paths or type. */
  filename: string;
  /** The browser's claim about the type; not trusted — the bytes decide. */
  declaredType?: string;
  createdBy?: number | null;
  /** Alt text, caption and credit to store with it: checked before the file is, so a bad one costs nothing. */
  meta?: Partial<ImageMeta>;
}

const MB = 1024 * 1024;
const HOUR = 3600_000;

/** "31 MB", "20.4 MB": rounded up, so an over-limit size never reads as the limit itself. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / MB;
  return mb >= 100 ? `${Math.ceil(mb)} MB` : `${Math.ceil(mb * 10) / 10} MB`;
}

/** A display name for the library: no folders, no control characters, a sane length. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return clean && clean !== '.' && clean !== '..' ? clean : 'image';
}

const META_KEYS = ['alt', 'caption', 'credit'] as const;

export class ImageService {
  private lastSweep = 0;
  private readonly useSources: ImageUseSource[] = [];

  constructor(
    private readonly repo: ImageRepository,
    private readonly storage: ImageStorage,
    private readonly changes: ChangeFeed,
    private readonly options: {
      maxUploadBytes: number;
      now?: () => Date;
      journal?: ImageJournal;
      /** Told how long each piece of image work took: an upload's variants, an image's AVIF files. */
      observe?: (step: 'variants' | 'avif', seconds: number) => void;
    },
  ) {}

  /** A feature that shows library images to readers tells the library where (see image-uses.ts). */
  addUseSource(source: ImageUseSource): void {
    this.useSources.push(source);
  }

  /** Every place readers see the image, in words; empty when it shows nowhere public. */
  async usesOf(id: number): Promise<string[]> {
    return (await Promise.all(this.useSources.map((source) => source(id)))).flat();
  }

  get maxUploadBytes(): number {
    return this.options.maxUploadBytes;
  }

  /**
   * Checks, processes and stores an upload. Throws ImageRejected with a message for the uploader.
   * The record comes back with its WebP and JPEG/PNG variants; the AVIF ones follow from a job
   * queued with the row (`addAvifVariants`).
   */
  async upload(input: UploadInput): Promise<ImageRecord> {
    const { bytes } = input;
    const meta = checkMeta({ alt: '', caption: '', credit: '', ...definedOnly(input.meta ?? {}) });
    if (bytes.length === 0) throw new ImageRejected('invalid', `The file is empty; upload ${ACCEPTED_TYPES}.`);
    if (bytes.length > this.maxUploadBytes) {
      throw new ImageRejected('too_large', `The file is ${formatMegabytes(bytes.length)}; the limit is ${this.maxUploadBytes / MB} MB.`);
    }
    // Leftovers of a crash are swept here, at most hourly, rather than by a timer of their own.
    if (Date.now() - this.lastSweep > HOUR) {
      this.lastSweep = Date.now();
      await this.storage.removeAbandoned(HOUR);
    }
    const work = await this.storage.createWorkFolder();
    let placed: string | undefined;
    try {
      const started = performance.now();
      const processed = await processImage(bytes, work, { avif: false });
      this.options.observe?.('variants', (performance.now() - started) / 1000);
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
      const now = this.options.now?.() ?? new Date();
      // The row, its AVIF job and the folder appear together: the rename happens inside the
      // transaction, and a failed commit removes the folder again (below).
      return await this.repo.transaction(async (repo, trx) => {
        const image = await repo.insert({
          hash,
          filename: cleanFilename(input.filename),
          mime: processed.mime,
          width: processed.width,
          height: processed.height,
          bytes: bytes.length,
          variants: processed.variants,
          ...meta,
          createdAt: now.toISOString(),
          createdBy: input.createdBy ?? null,
        });
        await enqueueAvif(trx, image.id, now);
        await this.storage.place(work, image.folder);
        placed = image.folder;
        return image;
      });
    } catch (error) {
      await this.storage.discardWork(work);
      if (placed) await this.storage.removeFolder(placed);
      throw error;
    }
  }

  /**
   * The AVIF job's work: makes the image's AVIF variants from its kept original, at the widths of
   * its other variants, adds them to its folder and record, and drops the pages showing it. Safe
   * to run again at any point (a retry, a lease that ran out): finished files are reused and the
   * record ends the same. An image deleted meanwhile ends it quietly, leaving no files. On failure
   * the image stays as it was (usable, without AVIF) and the error is thrown for the job's retry.
   */
  async addAvifVariants(id: number): Promise<'added' | 'present' | 'deleted'> {
    const image = await this.repo.byId(id);
    if (!image) return 'deleted';
    const widths = variantWidths(image.width);
    const made = new Set(image.variants.filter((v) => v.format === 'avif').map((v) => v.file));
    if (widths.every((w) => made.has(variantFile(w, 'avif')))) return 'present';
    let avif: Variant[];
    try {
      const started = performance.now();
      avif = await this.makeAvif(image, widths);
      this.options.observe?.('avif', (performance.now() - started) / 1000);
    } catch (error) {
      // The folder vanishing under the job means a delete got there first (perhaps still
      // committing: the lock waits for it): nothing left to do.
      if (!(await this.repo.transaction((repo) => repo.lockById(id)))) return 'deleted';
      throw new Error(`AVIF variants of image ${id}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const changed = await this.repo.transaction(async (repo, trx) => {
      const current = await repo.lockById(id);
      if (!current) return null;
      await repo.setVariants(id, sortVariants([...current.variants.filter((v) => v.format !== 'avif'), ...avif]));
      return this.changes.record(trx, [imageTag(id)]);
    });
    if (!changed) {
      // Deleted while the files were made: a bucket has no folder for the delete to take away, so
      // files sent after it went are removed here (on local disk there is nothing left to remove).
      await this.storage.removeFolder(image.folder);
      return 'deleted';
    }
    this.changes.applied(changed);
    return 'added';
  }

  private async makeAvif(image: ImageRecord, widths: number[]): Promise<Variant[]> {
    await this.storage.removeAbandonedFiles(image.folder, HOUR);
    const original = await this.storage.read(image.folder, originalFileFor(image.mime));
    if (!original) throw new Error('the original file is missing');
    const variants: Variant[] = [];
    // One encode at a time: work in the background leaves room for the requests being answered.
    for (const width of widths) {
      const file = variantFile(width, 'avif');
      // A file an earlier run finished (files appear whole, by rename) is kept, not made again.
      const earlier = await this.storage.read(image.folder, file);
      const finished = earlier && (await finishedVariant(earlier, 'avif', width, file));
      variants.push(finished || (await this.storage.addFile(image.folder, file, (temp) => writeVariant(original, width, 'avif', temp, file))));
    }
    return variants;
  }

  /** The image, or undefined when there is none with that id. */
  find(id: number): Promise<ImageRecord | undefined> {
    return this.repo.byId(id);
  }

  async get(id: number): Promise<ImageRecord> {
    const image = await this.repo.byId(id);
    if (!image) throw notFound('This image does not exist (it may have been deleted).');
    return image;
  }

  async list(options: { limit?: number; offset?: number; search?: string } = {}): Promise<{ images: ImageRecord[]; total: number }> {
    const limit = options.limit ?? 30;
    const offset = options.offset ?? 0;
    const errors: FieldError[] = [];
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.push({ field: 'limit', message: 'Show 1 to 100 images at a time.' });
    if (!Number.isInteger(offset) || offset < 0) errors.push({ field: 'offset', message: 'The offset is a whole number from 0.' });
    const search = (options.search ?? '').replace(/\s+/g, ' ').trim();
    if (search.length > 200) errors.push({ field: 'search', message: 'Search for at most 200 characters.' });
    if (errors.length) throw invalidInput(errors);
    return this.repo.list({ limit, offset, search });
  }

  /**
   * One page of the library, newest first, for lists that page on with "older than this id"
   * (the editor's picker, the admin API). `next` is the id to pass as `before`, or null at the end.
   */
  async browse(options: { limit: number; before?: number; search?: string }): Promise<{ images: ImageRecord[]; next: number | null }> {
    const page = await fetchBeforePage(checkBeforePage(options, 'image'), (query) => this.repo.listBefore(query));
    return { images: page.items, next: page.next };
  }

  /**
   * Sets alt text, caption and credit; fields left out keep their value. The text of an image that
   * readers see changes only by someone who may publish, never to empty alt text, and every change
   * is audited with who made it.
   */
  async updateMeta(id: number, input: Partial<ImageMeta>, by: ImageEditor = 'cli'): Promise<ImageRecord> {
    const current = await this.get(id);
    const meta = checkMeta({ ...current, ...definedOnly(input) });
    const changedKeys = META_KEYS.filter((key) => meta[key] !== current[key]);
    if (changedKeys.length === 0) return current;
    // Asked before the transaction: the sources read other features' tables on their own connection.
    const uses = await this.usesOf(id);
    checkTextChangeOfShownImage(meta, uses, by);
    const { image, changed } = await this.repo.transaction(async (repo, trx) => {
      const updated = await repo.updateMeta(id, meta);
      if (!updated) throw notFound('This image does not exist (it may have been deleted).');
      const detail = { changed: Object.fromEntries(changedKeys.map((key) => [key, { from: current[key], to: meta[key] }])), shownIn: uses };
      await this.options.journal?.(trx, { actor: by, action: 'image.update', target: `image:${id}`, detail });
      return { image: updated, changed: await this.changes.record(trx, [imageTag(id)]) };
    });
    this.changes.applied(changed);
    return image;
  }

  /** Deletes the row and its files together. (Refusing while a story uses the image comes later.) */
  async delete(id: number): Promise<void> {
    let aside: Withdrawn | null = null;
    let committed = false;
    try {
      const changed = await this.repo.transaction(async (repo, trx) => {
        const image = await repo.delete(id);
        if (!image) throw notFound('This image does not exist (it may have been deleted).');
        aside = await this.storage.setAside(image.folder);
        return this.changes.record(trx, [imageTag(id)]);
      });
      committed = true;
      this.changes.applied(changed);
    } finally {
      const withdrawn = aside as Withdrawn | null;
      if (withdrawn) await (committed ? withdrawn.finish() : withdrawn.undo());
    }
  }

  /** The store key behind a public image URL, or null (see ImageStorage.publicKey). */
  publicKey(folder: string, file: string): string | null {
    return this.storage.publicKey(folder, file);
  }

  /** Where the files are kept, for serving them: sizes, streams, a bucket's public URL. */
  get files(): ImageStorage {
    return this.storage;
  }

  /**
   * The publishing rule for a story's image: null when it may be published, otherwise the message
   * to show the editor.
   */
  async requireAlt(id: number): Promise<string | null> {
    const image = await this.repo.byId(id);
    if (!image) return 'The story’s image no longer exists; choose another image before publishing.';
    if (!image.alt) return `Add alt text to the image “${image.filename}” before publishing: describe what it shows for readers who cannot see it.`;
    return null;
  }
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Alt text, caption and credit tidied (runs of spaces and line breaks become one space) and
 * checked against META_LIMITS; throws invalid_input naming each field that is too long.
 */
export function checkMeta(input: ImageMeta): ImageMeta {
  const meta: ImageMeta = { alt: clean(input.alt), caption: clean(input.caption), credit: clean(input.credit) };
  const errors: FieldError[] = [];
  if (meta.alt.length > META_LIMITS.alt) errors.push({ field: 'alt', message: `Alt text is at most ${META_LIMITS.alt} characters; describe what the image shows, briefly.` });
  if (meta.caption.length > META_LIMITS.caption) errors.push({ field: 'caption', message: `A caption is at most ${META_LIMITS.caption} characters.` });
  if (meta.credit.length > META_LIMITS.credit) errors.push({ field: 'credit', message: `A credit is at most ${META_LIMITS.credit} characters.` });
  if (errors.length) throw invalidInput(errors);
  return meta;
}

function definedOnly(input: Partial<ImageMeta>): Partial<ImageMeta> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
