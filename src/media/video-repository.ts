// SQL for video references.
import type { Generated, Kysely } from 'kysely';
import type { DatabaseConfig } from '../platform/config.ts';
import type { Db } from '../platform/db.ts';
import { containsText } from '../platform/text-search.ts';

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
  };
};

export interface Video {
  id: number;
  title: string;
  caption: string;
  /** Set once the clip is transcoded; until then the story shows the title alone. */
  media: { hlsUrl: string; posterUrl: string | null; durationSeconds: number | null } | null;
}

export class VideoRepository {
  private readonly db: Kysely<VideoTables>;

  constructor(
    db: Db,
    private readonly engine: DatabaseConfig['engine'],
  ) {
    this.db = db.withTables<VideoTables>();
  }

  async byIds(ids: number[]): Promise<Video[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('videos').selectAll().where('id', 'in', ids).execute();
    return rows.map(toVideo);
  }

  /** Newest first; only clips older than `before` when given; title or caption containing `search`. */
  async listBefore(options: { limit: number; before?: number; search: string }): Promise<Video[]> {
    let query = this.db.selectFrom('videos').selectAll();
    if (options.search) query = query.where(containsText(this.engine, ['title', 'caption'], options.search));
    if (options.before !== undefined) query = query.where('id', '<', options.before);
    const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map(toVideo);
  }

  async idByTitle(title: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('videos').select('id').where('title', '=', title).orderBy('id').executeTakeFirst();
    return row?.id;
  }

  async insert(title: string, caption: string, now: string): Promise<number> {
    const row = await this.db
      .insertInto('videos')
      .values({ title, caption, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Sets the caption; true when it changed. */
  async updateCaption(id: number, caption: string, trx: Db): Promise<boolean> {
    const result = await trx.withTables<VideoTables>().updateTable('videos').set({ caption }).where('id', '=', id).where('caption', '<>', caption).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  transaction<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(trx as unknown as Db));
  }
}

function toVideo(r: { id: number; title: string; caption: string; hls_url: string | null; poster_url: string | null; duration_seconds: number | null }): Video {
  return {
    id: r.id,
    title: r.title,
    caption: r.caption,
    media: r.hls_url ? { hlsUrl: r.hls_url, posterUrl: r.poster_url, durationSeconds: r.duration_seconds } : null,
  };
}
