// SQL for what WordPress imports remember: which story each post became and at which version the
// import left it, which library image each uploaded file became, and the old addresses that
// answer 301 (legacy_redirects; read by old-addresses.ts).
import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db.ts';

type LedgerTables = {
  wordpress_posts: { source_key: string; article_id: number; article_version: number; imported_status: string; content_hash: string; imported_at: string };
  wordpress_media: { source_url: string; image_id: number; created_at: string };
  legacy_redirects: {
    id: import('kysely').Generated<number>;
    path: string;
    article_id: number | null;
    section_id: number | null;
    origin: string;
    created_at: string;
  };
};

export interface ImportedPost {
  articleId: number;
  /** The story's version right after the last import wrote it. */
  articleVersion: number;
  importedStatus: string;
  contentHash: string;
}

export interface LegacyRedirectRow {
  id: number;
  path: string;
  articleId: number | null;
  sectionId: number | null;
  origin: string;
  createdAt: string;
}

export class WordpressLedger {
  private readonly db: Kysely<LedgerTables>;

  constructor(db: Db) {
    this.db = db.withTables<LedgerTables>();
  }

  async post(sourceKey: string): Promise<ImportedPost | undefined> {
    const row = await this.db.selectFrom('wordpress_posts').selectAll().where('source_key', '=', sourceKey).executeTakeFirst();
    return row && { articleId: row.article_id, articleVersion: row.article_version, importedStatus: row.imported_status, contentHash: row.content_hash };
  }

  async putPost(sourceKey: string, post: ImportedPost, at: string): Promise<void> {
    const values = { article_id: post.articleId, article_version: post.articleVersion, imported_status: post.importedStatus, content_hash: post.contentHash, imported_at: at };
    await this.db
      .insertInto('wordpress_posts')
      .values({ source_key: sourceKey, ...values })
      .onConflict((oc) => oc.column('source_key').doUpdateSet(values))
      .execute();
  }

  async imageFor(sourceUrl: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('wordpress_media').select('image_id').where('source_url', '=', sourceUrl).executeTakeFirst();
    return row?.image_id;
  }

  async putImage(sourceUrl: string, imageId: number, at: string): Promise<void> {
    await this.db
      .insertInto('wordpress_media')
      .values({ source_url: sourceUrl, image_id: imageId, created_at: at })
      .onConflict((oc) => oc.column('source_url').doUpdateSet({ image_id: imageId }))
      .execute();
  }

  /** Points `path` at a story or a section; an address already taken by another target moves to this one. */
  async putRedirect(path: string, target: { articleId: number } | { sectionId: number }, origin: string, at: string): Promise<void> {
    const values = {
      article_id: 'articleId' in target ? target.articleId : null,
      section_id: 'sectionId' in target ? target.sectionId : null,
      origin,
    };
    await this.db
      .insertInto('legacy_redirects')
      .values({ path, ...values, created_at: at })
      .onConflict((oc) => oc.column('path').doUpdateSet(values))
      .execute();
  }

  async redirect(path: string): Promise<LegacyRedirectRow | undefined> {
    const row = await this.db.selectFrom('legacy_redirects').selectAll().where('path', '=', path).executeTakeFirst();
    return row && toRedirect(row);
  }

  async hasRedirects(): Promise<boolean> {
    return (await this.db.selectFrom('legacy_redirects').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  /** A page of the table for the newsroom, by path; `search` matches part of the path. */
  async listRedirects(options: { limit: number; offset: number; search?: string }): Promise<{ rows: LegacyRedirectRow[]; total: number }> {
    let query = this.db.selectFrom('legacy_redirects');
    if (options.search) query = query.where('path', 'like', `%${options.search.replace(/[%_\\]/g, '')}%`);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('path').limit(options.limit).offset(options.offset).execute(),
      query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRedirect), total: Number(count.n) };
  }
}

function toRedirect(row: { id: number; path: string; article_id: number | null; section_id: number | null; origin: string; created_at: string }): LegacyRedirectRow {
  return { id: row.id, path: row.path, articleId: row.article_id, sectionId: row.section_id, origin: row.origin, createdAt: row.created_at };
}
