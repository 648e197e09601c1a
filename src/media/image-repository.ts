// SQL for the image library.
import { type Generated, type Kysely, type Selectable } from 'kysely';
import type { DatabaseConfig } from '../platform/config.ts';
import type { Db } from '../platform/db.ts';
import { containsText } from '../platform/text-search.ts';
import type { Variant } from './image-processing.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type ImageTables = {
  images: {
    id: Generated<number>;
    hash: string;
    filename: string;
    mime: string;
    width: number;
    height: number;
    bytes: number;
    alt: Generated<string>;
    caption: Generated<string>;
    credit: Generated<string>;
    /** JSON array of Variant. */
    variants: string;
    created_at: string;
    created_by: number | null;
  };
};

type ImageRow = Selectable<ImageTables['images']>;

export interface ImageRecord {
  id: number;
  /** The folder holding its files, "<id>-<hash>"; part of every public URL. */
  folder: string;
  filename: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  variants: Variant[];
  createdAt: string;
  createdBy: number | null;
}

/** A row to insert: the record's fields before it has an id (hence no folder), its text optional. */
export type NewImage = Omit<ImageRecord, 'id' | 'folder' | keyof ImageMeta> & Partial<ImageMeta> & { hash: string };

export interface ImageMeta {
  alt: string;
  caption: string;
  credit: string;
}

export class ImageRepository {
  private readonly db: Kysely<ImageTables>;

  constructor(
    private readonly rawDb: Db,
    private readonly engine: DatabaseConfig['engine'],
  ) {
    this.db = rawDb.withTables<ImageTables>();
  }

  /** Runs `fn` in one transaction with a repository bound to it. */
  transaction<T>(fn: (repo: ImageRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.rawDb.transaction().execute((trx) => fn(new ImageRepository(trx as unknown as Db, this.engine), trx as unknown as Db));
  }

  async insert(image: NewImage): Promise<ImageRecord> {
    const row = await this.db
      .insertInto('images')
      .values({
        hash: image.hash,
        filename: image.filename,
        mime: image.mime,
        width: image.width,
        height: image.height,
        bytes: image.bytes,
        alt: image.alt ?? '',
        caption: image.caption ?? '',
        credit: image.credit ?? '',
        variants: JSON.stringify(image.variants),
        created_at: image.createdAt,
        created_by: image.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async byId(id: number): Promise<ImageRecord | undefined> {
    const row = await this.db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /**
   * The image, locked for the rest of the transaction on PostgreSQL (SQLite runs one write
   * transaction at a time anyway). Waits for a transaction deleting or changing the row, so the
   * answer is its outcome, not the state before it.
   */
  async lockById(id: number): Promise<ImageRecord | undefined> {
    let query = this.db.selectFrom('images').selectAll().where('id', '=', id);
    if (this.engine === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toRecord(row);
  }

  async updateMeta(id: number, meta: ImageMeta): Promise<ImageRecord | undefined> {
    const row = await this.db.updateTable('images').set(meta).where('id', '=', id).returningAll().executeTakeFirst();
    return row && toRecord(row);
  }

  async setVariants(id: number, variants: Variant[]): Promise<ImageRecord | undefined> {
    const row = await this.db.updateTable('images').set({ variants: JSON.stringify(variants) }).where('id', '=', id).returningAll().executeTakeFirst();
    return row && toRecord(row);
  }

  async delete(id: number): Promise<ImageRecord | undefined> {
    const row = await this.db.deleteFrom('images').where('id', '=', id).returningAll().executeTakeFirst();
    return row && toRecord(row);
  }

  /** Newest first; `search` matches the file name, alt text, caption or credit, ignoring case. */
  async list(options: { limit: number; offset: number; search: string }): Promise<{ images: ImageRecord[]; total: number }> {
    const query = this.searched(options.search);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).offset(options.offset).execute(),
      query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { images: rows.map(toRecord), total: Number(count.n) };
  }

  /**
   * Newest (highest id) first, only images older than `before` when given: a page that stays put
   * while others upload, unlike an offset. Returns up to `limit` images.
   */
  async listBefore(options: { limit: number; before?: number; search: string }): Promise<ImageRecord[]> {
    let query = this.searched(options.search);
    if (options.before !== undefined) query = query.where('id', '<', options.before);
    const rows = await query.selectAll().orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map(toRecord);
  }

  /** Images whose file name, alt text, caption or credit contains `search` (see platform/text-search.ts). */
  private searched(search: string) {
    const query = this.db.selectFrom('images');
    return search ? query.where(containsText(this.engine, ['filename', 'alt', 'caption', 'credit'], search)) : query;
  }
}

function toRecord(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    folder: `${row.id}-${row.hash}`,
    filename: row.filename,
    mime: row.mime,
    width: row.width,
    height: row.height,
    bytes: Number(row.bytes),
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    variants: JSON.parse(row.variants) as Variant[],
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
