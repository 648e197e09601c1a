// What the newsroom reads about stories besides the stories themselves: its list of stories in
// every status, and each story's saved versions. SQL only; rows become domain objects here.
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { Article, ArticleStatus } from './model.ts';
import type { ArticleTables } from './article-rows.ts';

/** A row of the newsroom's story list. */
export interface NewsroomListItem {
  id: number;
  headline: string;
  status: ArticleStatus;
  updatedAt: string;
  /** For scheduled stories, when they go out. */
  publishedAt: string | null;
  ownerUserId: number | null;
  sectionName: string;
}

export class DeskRepository {
  private readonly db: Kysely<ArticleTables>;

  constructor(db: Db) {
    this.db = db.withTables<ArticleTables>();
  }

  /** The saved versions of a story, newest first (times only: snapshots are read one at a time). */
  async revisions(articleId: number): Promise<{ version: number; createdAt: string }[]> {
    const rows = await this.db
      .selectFrom('article_revisions')
      .select(['version', 'created_at'])
      .where('article_id', '=', articleId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({ version: r.version, createdAt: r.created_at }));
  }

  /** The story as it was saved at `version` (the snapshot insertRevision wrote). */
  async revision(articleId: number, version: number): Promise<Article | undefined> {
    const row = await this.db
      .selectFrom('article_revisions')
      .select('snapshot')
      .where('article_id', '=', articleId)
      .where('version', '=', version)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row && (JSON.parse(row.snapshot) as Article);
  }

  /** Every story in any status for the newsroom's list, newest change first. */
  async listForNewsroom(filter: { ownerUserId?: number; status?: ArticleStatus }, limit: number): Promise<NewsroomListItem[]> {
    let query = this.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.headline', 'articles.status', 'articles.updated_at', 'articles.published_at', 'articles.owner_user_id', 'sections.name as section_name']);
    if (filter.ownerUserId !== undefined) query = query.where('articles.owner_user_id', '=', filter.ownerUserId);
    if (filter.status !== undefined) query = query.where('articles.status', '=', filter.status);
    const rows = await query.orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      headline: r.headline,
      status: r.status as ArticleStatus,
      updatedAt: r.updated_at,
      publishedAt: r.published_at,
      ownerUserId: r.owner_user_id,
      sectionName: r.section_name,
    }));
  }

  async revisionCount(articleId: number): Promise<number> {
    const row = await this.db
      .selectFrom('article_revisions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('article_id', '=', articleId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
