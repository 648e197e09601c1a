// What the newsroom reads about stories besides the stories themselves: its list of stories in
// every status, and each story's saved versions. SQL only; rows become domain objects here.
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import { containsText } from '../platform/text-search.ts';
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

/** The Admin API's story list: filters, what the caller may see, and where the last page ended. */
export interface StoryListFilter {
  statuses?: readonly ArticleStatus[];
  ownerUserId?: number;
  sectionId?: number;
  authorId?: number;
  topicId?: number;
  /** Text the headline or dek contains (platform/text-search.ts). */
  search?: string;
  /** ISO: changed at or after. */
  updatedSince?: string;
  /** The last story of the previous page (newest change first, then highest id). */
  after?: { updatedAt: string; id: number };
}

/** A row of the Admin API's story list: enough to choose a story, whose whole is one GET away. */
export interface StoryListItem {
  id: number;
  slug: string;
  section: { slug: string; name: string };
  headline: string;
  dek: string;
  status: ArticleStatus;
  publishedAt: string | null;
  updatedAt: string;
  version: number;
}

export class DeskRepository {
  private readonly db: Kysely<ArticleTables>;

  constructor(
    db: Db,
    private readonly engine: 'sqlite' | 'postgres',
  ) {
    this.db = db.withTables<ArticleTables>();
  }

  /** Stories in any status, newest change first, after the cursor: `limit` of them. */
  async listForApi(filter: StoryListFilter, limit: number): Promise<StoryListItem[]> {
    let query = this.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.slug', 'articles.headline', 'articles.dek', 'articles.status', 'articles.published_at', 'articles.updated_at', 'articles.version', 'sections.slug as section_slug', 'sections.name as section_name']);
    if (filter.statuses) query = query.where('articles.status', 'in', filter.statuses.length ? [...filter.statuses] : ['']);
    if (filter.ownerUserId !== undefined) query = query.where('articles.owner_user_id', '=', filter.ownerUserId);
    if (filter.sectionId !== undefined) query = query.where('articles.section_id', '=', filter.sectionId);
    const { authorId, topicId, after } = filter;
    if (authorId !== undefined) {
      query = query.where((eb) => eb.exists(eb.selectFrom('article_authors').select('article_id').whereRef('article_id', '=', 'articles.id').where('author_id', '=', authorId)));
    }
    if (topicId !== undefined) {
      query = query.where((eb) => eb.exists(eb.selectFrom('article_topics').select('article_id').whereRef('article_id', '=', 'articles.id').where('topic_id', '=', topicId)));
    }
    if (filter.search) query = query.where(containsText(this.engine, ['articles.headline', 'articles.dek'], filter.search));
    if (filter.updatedSince) query = query.where('articles.updated_at', '>=', filter.updatedSince);
    if (after) {
      query = query.where((eb) => eb.or([eb('articles.updated_at', '<', after.updatedAt), eb.and([eb('articles.updated_at', '=', after.updatedAt), eb('articles.id', '<', after.id)])]));
    }
    const rows = await query.orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      section: { slug: r.section_slug, name: r.section_name },
      headline: r.headline,
      dek: r.dek,
      status: r.status as ArticleStatus,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      version: r.version,
    }));
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
