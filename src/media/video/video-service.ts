// The rules of video clips: references named in stories, uploads checked by ffprobe before anything
// is kept, the transcode job, captions, who may fetch a clip's files, and delete. Rows and files
// stay in step: a refused upload leaves nothing, a delete removes both.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, invalidInput, notFound, type FieldError } from '../../platform/errors.ts';
import { checkBeforePage, fetchBeforePage } from '../../platform/paging.ts';
import { videoMediaTag, videoTag } from '../change-tags.ts';
import { cleanFilename, formatMegabytes } from '../image-service.ts';
import { MISSING_FFMPEG, type FfmpegTools } from './ffmpeg.ts';
import { LANG_TAG, parseCaptions } from './video-captions.ts';
import { enqueueTranscode } from './video-job.ts';
import { framesDecode, judgeProbe, probeFile } from './video-probe.ts';
import type { Caption, Video, VideoMeta, VideoRepository } from './video-repository.ts';
import type { Withdrawn } from '../store/media-store.ts';
import { SOURCE_FILE, type VideoStorage } from './video-storage.ts';

export type { Video, Caption } from './video-repository.ts';

export const VIDEO_META_LIMITS = { title: 300, caption: 1000, credit: 300, alt: 1000 };

/** A refused upload or caption: the HTTP status and the messages for the person who sent it. */
export class VideoRejected extends Error {
  constructor(
    readonly status: number,
    readonly details: FieldError[],
  ) {
    super(details.map((d) => d.message).join(' '));
  }
}

export interface VideoUpload {
  /** The working folder the upload was streamed into (its file is `source`); taken over or removed. */
  incoming: string;
  filename: string;
  meta: Partial<VideoMeta>;
  createdBy: number | null;
  /** Fill this clip (a reference named in a story, or a clip being replaced) instead of making a new one. */
  videoId?: number;
}

/** Whether a published story shows the clip: the articles feature answers (media cannot read its tables). */
export type PublishedCheck = (videoId: number) => Promise<boolean>;

const MB = 1024 * 1024;
const HOUR = 3600_000;

export class VideoService {
  private published: PublishedCheck = async () => false;
  private lastSweep = 0;

  constructor(
    private readonly repo: VideoRepository,
    private readonly storage: VideoStorage,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
    readonly tools: () => Promise<FfmpegTools | null>,
    readonly limits: { maxBytes: number; maxDurationSeconds: number },
  ) {}

  /** The articles feature tells media which clips readers may see. */
  setPublishedCheck(check: PublishedCheck): void {
    this.published = check;
  }

  byIds(ids: number[]): Promise<Video[]> {
    return this.repo.byIds([...new Set(ids)]);
  }

  find(id: number): Promise<Video | undefined> {
    return this.repo.byId(id);
  }

  async get(id: number): Promise<Video> {
    const video = await this.repo.byId(id);
    if (!video) throw notFound('This clip does not exist (it may have been deleted).');
    return video;
  }

  captions(id: number): Promise<Caption[]> {
    return this.repo.captions(id);
  }

  captionsOf(ids: number[]): Promise<Map<number, Caption[]>> {
    return this.repo.captionsOf([...new Set(ids)]);
  }

  /** A page of clips for the editor's video picker and the library, newest first; `next` is the `before` of the following page. */
  async browse(options: { limit: number; before?: number; search?: string }): Promise<{ videos: Video[]; next: number | null }> {
    const page = await fetchBeforePage(checkBeforePage(options, 'clip'), (query) => this.repo.listBefore(query));
    return { videos: page.items, next: page.next };
  }

  /**
   * The reference for a clip named in an imported story: the existing one with that title, or a
   * new one. Titles identify clips in captures, so a re-import reuses the same reference.
   */
  async ensureReference(title: string, caption: string, now = new Date()): Promise<number> {
    const clean = title.replace(/\s+/g, ' ').trim();
    if (!clean || clean.length > 300) throw invalidInput([{ field: 'video', message: 'A video title is 1 to 300 characters.' }]);
    const existing = await this.repo.idByTitle(clean);
    if (existing !== undefined) {
      if (caption) {
        // Pages showing the clip carry its tag: a new caption drops them.
        const change = await this.repo.transaction(async (repo, trx) => ((await repo.updateCaption(existing, caption.trim())) ? this.changes.record(trx, [videoTag(existing)]) : undefined));
        if (change) this.changes.applied(change);
      }
      return existing;
    }
    return this.repo.insert(clean, caption.trim(), now.toISOString());
  }

  /**
   * Checks an upload with ffprobe and keeps it: the clip's row (new, or the one named), its
   * transcode job and its folder appear together. Anything refused is removed, with a message for
   * the uploader (VideoRejected); nothing is kept before every check has passed.
   */
  async upload(input: VideoUpload): Promise<Video> {
    let placed: string | undefined;
    try {
      const tools = await this.tools();
      if (!tools) throw new VideoRejected(503, [{ field: 'file', message: MISSING_FFMPEG }]);
      const existing = input.videoId === undefined ? undefined : await this.get(input.videoId);
      const meta = existing ? checkVideoMeta({ ...existing, ...definedOnly(input.meta) }) : checkVideoMeta(input.meta, input.filename);
      const source = path.join(input.incoming, SOURCE_FILE);
      const bytes = (await stat(source).catch(() => null))?.size ?? 0;
      if (bytes === 0) throw new VideoRejected(400, [{ field: 'file', message: 'The file is empty; choose the video file again.' }]);
      if (bytes > this.limits.maxBytes) throw new VideoRejected(413, [{ field: 'file', message: `The file is ${formatMegabytes(bytes)}; the limit is ${this.limits.maxBytes / MB} MB.` }]);
      const probed = await probeFile(tools, source);
      // A file that begins like a video but cannot be read through (an MP4 whose index never arrived) was cut short.
      if (probed === null && looksLikeVideo(await readHead(source))) {
        throw new VideoRejected(400, [{ field: 'file', message: 'This video is damaged or cut short: it cannot be read to the end. Export or copy it again and upload the new file.' }]);
      }
      const verdict = judgeProbe(probed, { maxDurationSeconds: this.limits.maxDurationSeconds });
      if (!verdict.ok) throw new VideoRejected(415, [{ field: 'file', message: verdict.message }]);
      if (!(await framesDecode(tools, source, verdict.info))) {
        throw new VideoRejected(400, [{ field: 'file', message: 'This video is damaged or cut short: parts of it cannot be played. Export or copy it again and upload the new file.' }]);
      }
      await this.sweep();
      const now = this.clock.now();
      const { id, previous, change } = await this.repo.transaction(async (repo, trx) => {
        const id = existing ? existing.id : await repo.insertUploaded(meta as VideoMeta, now.toISOString(), input.createdBy);
        const previous = existing ? (await repo.lockById(id))?.folder ?? null : null;
        const folder = this.storage.folderFor(id);
        const info = verdict.info;
        await repo.setUpload(id, { folder, filename: cleanFilename(input.filename), sourceBytes: bytes, width: info.width, height: info.height, durationSeconds: info.durationSeconds, meta }, now.toISOString());
        // Published before the job and the change are written, so a slow bucket holds them open no
        // longer than it must; a failed publish rolls the row back.
        await this.storage.place(input.incoming, folder);
        placed = folder;
        await enqueueTranscode(trx, id, now);
        return { id, previous, change: await this.changes.record(trx, [videoTag(id), videoMediaTag(id)]) };
      });
      this.changes.applied(change);
      // A replaced upload's files go once the new one is recorded (its addresses stop answering).
      if (previous) await this.storage.removeFolder(previous).catch(() => undefined);
      return this.get(id);
    } catch (error) {
      await this.storage.discard(input.incoming);
      if (placed) await this.storage.removeFolder(placed).catch(() => undefined);
      throw error;
    }
  }

  /** Leftovers of a crash are swept at most hourly, on an upload, rather than by a timer of their own. */
  private async sweep(): Promise<void> {
    if (Date.now() - this.lastSweep < HOUR) return;
    this.lastSweep = Date.now();
    await this.storage.removeAbandoned(HOUR);
  }

  /** Title, caption, credit and description; fields left out keep their value. Story pages showing the clip follow. */
  async updateMeta(id: number, input: Partial<VideoMeta>): Promise<Video> {
    const current = await this.get(id);
    const meta = checkVideoMeta({ ...current, ...definedOnly(input) });
    const change = await this.repo.transaction(async (repo, trx) => {
      await repo.updateMeta(id, meta as VideoMeta, this.clock.now().toISOString());
      return this.changes.record(trx, [videoTag(id)]);
    });
    this.changes.applied(change);
    return this.get(id);
  }

  /** Takes the poster from `seconds` into the clip (the editor's pick): the job makes it again, keeping the rest. */
  async choosePoster(id: number, seconds: number): Promise<Video> {
    const video = await this.get(id);
    if (!video.folder || video.durationSeconds === null) throw new AppError('conflict', 'Upload the video first; its poster comes from it.');
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > video.durationSeconds) {
      throw new VideoRejected(400, [{ field: 'posterAt', message: `The poster’s moment is a number of seconds from 0 to ${video.durationSeconds}.` }]);
    }
    const now = this.clock.now();
    const change = await this.repo.transaction(async (repo, trx) => {
      await repo.choosePoster(id, seconds, now.toISOString());
      await enqueueTranscode(trx, id, now);
      return this.changes.record(trx, [videoTag(id)]);
    });
    this.changes.applied(change);
    return this.get(id);
  }

  /** Runs a failed clip's transcode again from the kept upload. */
  async retry(id: number): Promise<Video> {
    const video = await this.get(id);
    if (video.status !== 'failed' || !video.folder) throw new AppError('conflict', 'Only a clip whose conversion failed can be retried.');
    const now = this.clock.now();
    const change = await this.repo.transaction(async (repo, trx) => {
      await repo.setStatus(id, 'processing', { error: null, progress: 0 }, now.toISOString());
      await enqueueTranscode(trx, id, now);
      return this.changes.record(trx, [videoTag(id)]);
    });
    this.changes.applied(change);
    return this.get(id);
  }

  /**
   * Deletes the clip, its captions and its files; a transcode under way stops at its next beat.
   * Stories naming it show its title without a player.
   */
  async delete(id: number): Promise<void> {
    let withdrawn: Withdrawn | null = null;
    let committed = false;
    try {
      const change = await this.repo.transaction(async (repo, trx) => {
        const video = await repo.delete(id);
        if (!video) throw notFound('This clip does not exist (it may have been deleted).');
        if (video.folder) withdrawn = await this.storage.withdraw(video.folder);
        return this.changes.record(trx, [videoTag(id), videoMediaTag(id)]);
      });
      committed = true;
      this.changes.applied(change);
    } finally {
      const files = withdrawn as Withdrawn | null;
      if (files) await (committed ? files.finish() : files.undo());
    }
  }

  /** Adds or replaces the captions in one language (WebVTT or SRT, checked line by line). */
  async putCaption(id: number, input: { lang: string; label: string; bytes: Buffer }): Promise<Caption[]> {
    await this.get(id);
    const lang = input.lang.trim();
    const label = input.label.replace(/\s+/g, ' ').trim() || lang;
    const errors: FieldError[] = [];
    if (!LANG_TAG.test(lang)) errors.push({ field: 'lang', message: 'The language is a code such as en, fr or pt-BR.' });
    if (label.length > 60) errors.push({ field: 'label', message: 'The label is at most 60 characters, such as “English” or “Français”.' });
    if (errors.length) throw new VideoRejected(400, errors);
    const parsed = parseCaptions(input.bytes);
    if (!parsed.ok) throw new VideoRejected(400, [{ field: 'captions', message: parsed.message }]);
    const change = await this.repo.transaction(async (repo, trx) => {
      await repo.putCaption(id, { lang, label, vtt: parsed.vtt }, this.clock.now().toISOString());
      return this.changes.record(trx, [videoTag(id)]);
    });
    this.changes.applied(change);
    return this.repo.captions(id);
  }

  async deleteCaption(id: number, lang: string): Promise<void> {
    const change = await this.repo.transaction(async (repo, trx) => {
      if (!(await repo.deleteCaption(id, lang))) throw notFound('This clip has no captions in that language.');
      return this.changes.record(trx, [videoTag(id)]);
    });
    this.changes.applied(change);
  }

  /**
   * The clip a public file address names, when the asker may fetch it: staff always; readers only
   * once a published story shows it. Undefined otherwise (answered as not found: nothing leaks).
   */
  async servable(folder: string, staff: boolean): Promise<Video | undefined> {
    const video = await this.repo.byFolder(folder);
    if (!video) return undefined;
    if (staff || (await this.published(video.id))) return video;
    return undefined;
  }

  /** Whether readers may see the clip (a published story shows it). */
  isPublic(id: number): Promise<boolean> {
    return this.published(id);
  }

  /** The clips' files in the media store, for the routes that serve them. */
  get files(): VideoStorage {
    return this.storage;
  }

  /** Removes an abandoned upload's working folder (a request that failed before the service saw it). */
  discardIncoming(dir: string): Promise<void> {
    return this.storage.discard(dir);
  }

  createIncoming(): Promise<string> {
    return this.storage.createIncoming();
  }
}

/** Tidied (runs of spaces become one) and checked; a new clip without a title takes its file's name. */
export function checkVideoMeta(input: Partial<VideoMeta>, filenameForTitle?: string): VideoMeta {
  const tidy = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
  const meta: VideoMeta = { title: tidy(input.title), caption: tidy(input.caption), credit: tidy(input.credit), alt: tidy(input.alt) };
  if (!meta.title && filenameForTitle !== undefined) meta.title = cleanFilename(filenameForTitle).replace(/\.[a-z0-9]{2,4}$/i, '').slice(0, VIDEO_META_LIMITS.title);
  const errors: FieldError[] = [];
  if (!meta.title) errors.push({ field: 'title', message: 'Give the clip a title: readers see it on the play button.' });
  for (const key of ['title', 'caption', 'credit', 'alt'] as const) {
    if (meta[key].length > VIDEO_META_LIMITS[key]) errors.push({ field: key, message: `The ${key === 'alt' ? 'description' : key} is at most ${VIDEO_META_LIMITS[key]} characters.` });
  }
  if (errors.length) throw new VideoRejected(400, errors);
  return meta;
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** ISO base media (MP4, MOV, 3GP: "ftyp" at byte 4) or Matroska/WebM (the EBML magic). */
function looksLikeVideo(head: Buffer): boolean {
  return head.subarray(4, 8).toString('latin1') === 'ftyp' || head.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
}

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}
