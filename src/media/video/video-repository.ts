// SQL for video clips: references named in stories, and their uploaded media as it is transcoded.
import type { Generated, Kysely } from 'kysely';
import type { DatabaseConfig } from '../../platform/config.ts';
import type { Db } from '../../platform/db.ts';
import { containsText } from '../../platform/text-search.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type VideoTables = {
  videos: {
    id: Generated<number>;
    title: string;
    caption: string;
    hls_url: string | null;
    poster_url: string | null;
    duration_seconds: number | null;
    created_at: string;
    status: Generated<string>;
    progress: Generated<number>;
    credit: Generated<string>;
    alt: Generated<string>;
    error: string | null;
    folder: string | null;
    filename: string | null;
    source_bytes: number | null;
    width: number | null;
    height: number | null;
    renditions: string | null;
    poster: string | null;
    mp4: string | null;
    poster_at_ms: number | null;
    created_by: number | null;
    updated_at: string | null;
  };
  video_captions: {
    id: Generated<number>;
    video_id: number;
    lang: string;
    label: string;
    vtt: string;
    created_at: string;
  };
};

export type VideoStatus = 'reference' | 'processing' | 'ready' | 'failed';

/** A finished rung of the ladder, as recorded once its files are in place. */
export interface Rendition {
  name: string;
  size: number;
  width: number;
  height: number;
  bandwidth: number;
  bytes: number;
  fps: number;
  /** Whether it carries sound (the source had an audio track). */
  audio: boolean;
}

export interface PosterFile {
  format: 'webp' | 'jpeg';
  width: number;
  height: number;
  file: string;
}

export interface Mp4File {
  file: string;
  width: number;
  height: number;
  bytes: number;
}

export interface VideoMeta {
  title: string;
  caption: string;
  credit: string;
  alt: string;
}

export interface Video extends VideoMeta {
  id: number;
  status: VideoStatus;
  /** Percent of the transcode done (0–100). */
  progress: number;
  error: string | null;
  folder: string | null;
  filename: string | null;
  sourceBytes: number | null;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  renditions: Rendition[];
  poster: PosterFile[];
  mp4: Mp4File | null;
  /** The poster's moment as the editor chose it, in seconds; null for the automatic choice. */
  posterAt: number | null;
  createdAt: string;
  createdBy: number | null;
  /** Set once a first rung plays (before the whole ladder is done); the story shows a player from then on. */
  media: { hlsUrl: string; posterUrl: string | null; durationSeconds: number | null } | null;
}

export interface Caption {
  lang: string;
  label: string;
  vtt: string;
}

type Row = VideoTables['videos'] & { id: number; status: string; progress: number; credit: string; alt: string };

export class VideoRepository {
  private readonly db: Kysely<VideoTables>;

  constructor(
    db: Db,
    private readonly engine: DatabaseConfig['engine'],
  ) {
    this.db = db.withTables<VideoTables>();
  }

  /** This repository on another connection or transaction. */
  on(trx: Db): VideoRepository {
    return new VideoRepository(trx, this.engine);
  }

  transaction<T>(work: (repo: VideoRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(this.on(trx as unknown as Db), trx as unknown as Db));
  }

  async byId(id: number): Promise<Video | undefined> {
    const row = await this.db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toVideo(row as Row);
  }

  /** The row, locked until the transaction ends on PostgreSQL (SQLite's writer lock covers it). */
  async lockById(id: number): Promise<Video | undefined> {
    let query = this.db.selectFrom('videos').selectAll().where('id', '=', id);
    if (this.engine === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toVideo(row as Row);
  }

  async byFolder(folder: string): Promise<Video | undefined> {
    const row = await this.db.selectFrom('videos').selectAll().where('folder', '=', folder).executeTakeFirst();
    return row && toVideo(row as Row);
  }

  async byIds(ids: number[]): Promise<Video[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('videos').selectAll().where('id', 'in', ids).execute();
    return rows.map((r) => toVideo(r as Row));
  }

  /** Newest first; only clips older than `before` when given; title or caption containing `search`. */
  async listBefore(options: { limit: number; before?: number; search: string }): Promise<Video[]> {
    let query = this.db.selectFrom('videos').selectAll();
    if (options.search) query = query.where(containsText(this.engine, ['title', 'caption'], options.search));
    if (options.before !== undefined) query = query.where('id', '<', options.before);
    const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map((r) => toVideo(r as Row));
  }

  async idByTitle(title: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('videos').select('id').where('title', '=', title).orderBy('id').executeTakeFirst();
    return row?.id;
  }

  async insert(title: string, caption: string, now: string): Promise<number> {
    const row = await this.db.insertInto('videos').values({ title, caption, created_at: now }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** Sets the caption; true when it changed. */
  async updateCaption(id: number, caption: string): Promise<boolean> {
    const result = await this.db.updateTable('videos').set({ caption }).where('id', '=', id).where('caption', '<>', caption).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** A new clip with an upload, processing from now. */
  async insertUploaded(meta: VideoMeta, now: string, createdBy: number | null): Promise<number> {
    const row = await this.db
      .insertInto('videos')
      .values({ ...meta, created_at: now, updated_at: now, status: 'processing', progress: 0, created_by: createdBy })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Sets (or replaces) a clip's upload: its media starts again from nothing. */
  async setUpload(id: number, values: { folder: string; filename: string; sourceBytes: number; width: number; height: number; durationSeconds: number; meta: Partial<VideoMeta> }, now: string): Promise<void> {
    await this.db
      .updateTable('videos')
      .set({
        ...values.meta,
        folder: values.folder,
        filename: values.filename,
        source_bytes: values.sourceBytes,
        width: values.width,
        height: values.height,
        // Whole seconds: the column is an integer (readers see minutes and seconds).
        duration_seconds: Math.max(1, Math.round(values.durationSeconds)),
        status: 'processing',
        progress: 0,
        error: null,
        renditions: null,
        poster: null,
        mp4: null,
        hls_url: null,
        poster_url: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async updateMeta(id: number, meta: VideoMeta, now: string): Promise<void> {
    await this.db.updateTable('videos').set({ ...meta, updated_at: now }).where('id', '=', id).execute();
  }

  /** A new poster moment: the poster is made again by the transcode job (the rungs and MP4 are kept). */
  async choosePoster(id: number, seconds: number, now: string): Promise<void> {
    await this.db.updateTable('videos').set({ poster_at_ms: Math.round(seconds * 1000), poster: null, status: 'processing', error: null, updated_at: now }).where('id', '=', id).execute();
  }

  async setProgress(id: number, progress: number): Promise<void> {
    await this.db.updateTable('videos').set({ progress }).where('id', '=', id).where('status', '=', 'processing').execute();
  }

  async setStatus(id: number, status: VideoStatus, values: { error?: string | null; progress?: number }, now: string): Promise<void> {
    await this.db.updateTable('videos').set({ status, ...values, updated_at: now }).where('id', '=', id).execute();
  }

  async setMedia(id: number, values: { renditions?: Rendition[]; poster?: PosterFile[]; mp4?: Mp4File; hlsUrl?: string; posterUrl?: string | null }, now: string): Promise<void> {
    await this.db
      .updateTable('videos')
      .set({
        ...(values.renditions && { renditions: JSON.stringify(values.renditions) }),
        ...(values.poster && { poster: JSON.stringify(values.poster) }),
        ...(values.mp4 && { mp4: JSON.stringify(values.mp4) }),
        ...(values.hlsUrl !== undefined && { hls_url: values.hlsUrl }),
        ...(values.posterUrl !== undefined && { poster_url: values.posterUrl }),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: number): Promise<Video | undefined> {
    const video = await this.lockById(id);
    if (!video) return undefined;
    await this.db.deleteFrom('video_captions').where('video_id', '=', id).execute();
    await this.db.deleteFrom('videos').where('id', '=', id).execute();
    return video;
  }

  async captions(videoId: number): Promise<Caption[]> {
    return this.db.selectFrom('video_captions').select(['lang', 'label', 'vtt']).where('video_id', '=', videoId).orderBy('lang').execute();
  }

  async captionsOf(videoIds: number[]): Promise<Map<number, Caption[]>> {
    const map = new Map<number, Caption[]>();
    if (videoIds.length === 0) return map;
    const rows = await this.db.selectFrom('video_captions').select(['video_id', 'lang', 'label', 'vtt']).where('video_id', 'in', videoIds).orderBy('lang').execute();
    for (const { video_id, ...caption } of rows) map.set(video_id, [...(map.get(video_id) ?? []), caption]);
    return map;
  }

  async putCaption(videoId: number, caption: Caption, now: string): Promise<void> {
    await this.db.deleteFrom('video_captions').where('video_id', '=', videoId).where('lang', '=', caption.lang).execute();
    await this.db.insertInto('video_captions').values({ video_id: videoId, ...caption, created_at: now }).execute();
  }

  async deleteCaption(videoId: number, lang: string): Promise<boolean> {
    const result = await this.db.deleteFrom('video_captions').where('video_id', '=', videoId).where('lang', '=', lang).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function parsed<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toVideo(r: Row): Video {
  return {
    id: r.id,
    title: r.title,
    caption: r.caption,
    credit: r.credit,
    alt: r.alt,
    status: r.status as VideoStatus,
    progress: r.progress,
    error: r.error,
    folder: r.folder,
    filename: r.filename,
    sourceBytes: r.source_bytes,
    width: r.width,
    height: r.height,
    durationSeconds: r.duration_seconds,
    renditions: parsed<Rendition[]>(r.renditions, []),
    poster: parsed<PosterFile[]>(r.poster, []),
    mp4: parsed<Mp4File | null>(r.mp4, null),
    posterAt: r.poster_at_ms === null ? null : r.poster_at_ms / 1000,
    createdAt: r.created_at,
    createdBy: r.created_by,
    media: r.hls_url ? { hlsUrl: r.hls_url, posterUrl: r.poster_url, durationSeconds: r.duration_seconds } : null,
  };
}
