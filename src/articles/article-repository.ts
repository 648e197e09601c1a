// All SQL for sections and stories (authors, topics, workflow and the rest through the repositories it hands out). Rows are turned into domain objects here
// (column mapping in article-rows.ts) and never leave the articles repositories.
import type { Compilable, Kysely } from 'kysely';
import { jsonArrayFrom as pgJsonArray } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArray } from 'kysely/helpers/sqlite';
import { param, Prepared, type Db } from '../platform/db.ts';
import type { BodyDoc } from './body.ts';
import { leadImage, toColumns, type ArticleRecord, type ArticleRow, type ArticleTables, type SectionColumns } from './article-rows.ts';
import { AuthorRepository } from './author-repository.ts';
import { DeskRepository } from './desk-repository.ts';
import { ImageUseRepository } from './image-use-repository.ts';
import { VideoUseRepository } from './video-use-repository.ts';
import { WorkflowRepository } from './workflow-repository.ts';
import { TopicRepository } from './topics/topic-repository.ts';
import type { Article, ArticleStatus, ArticleSummary, Author, Correction, Section, Topic } from './model.ts';

export type { ArticleRecord } from './article-rows.ts';

export interface ListFilter {
  sectionId?: number;
  authorId?: number;
  topicId?: number;
  /** Stories published at or before this time are visible. */
  now: string;
  /**
   * Only stories listed after this one, newest first (published earlier, or at the same time with
   * a smaller id): cursor paging for the Content API, which an insert cannot shift as it does an offset.
   */
  before?: { publishedAt: string; id: number };
}

const PREPARED = new Map<string, Prepared<unknown, Record<string, unknown>>>();

function filterShape(filter: ListFilter): string {
  return ['sectionId', 'authorId', 'topicId', 'before'].filter((k) => filter[k as keyof ListFilter] !== undefined).join('+') || 'all';
}

/** The filter as query parameters (`before` flattened: prepared queries take named scalars). */
function filterParams({ before, ...filter }: ListFilter): Record<string, unknown> {
  return before ? { ...filter, beforeAt: before.publishedAt, beforeId: before.id } : filter;
}

export class ArticleRepository {
  private readonly db: Kysely<ArticleTables>;
  private readonly jsonArrayFrom: typeof sqliteJsonArray;

  constructor(
    private readonly rawDb: Db,
    private readonly engine: 'sqlite' | 'postgres',
  ) {
    this.db = rawDb.withTables<ArticleTables>();
    this.jsonArrayFrom = engine === 'postgres' ? pgJsonArray : sqliteJsonArray;
  }

  /** Runs `fn` in one transaction with a repository bound to it. */
  transaction<T>(fn: (repo: ArticleRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new ArticleRepository(trx as unknown as Db, this.engine), trx as unknown as Db));
  }

  /** The workflow tables (working copies, redirects), on the same connection or transaction. */
  workflow(): WorkflowRepository {
    return new WorkflowRepository(this.rawDb);
  }

  /** The newsroom's lists and story history. */
  desk(): DeskRepository {
    return new DeskRepository(this.rawDb, this.engine);
  }

  /** Which images stories and author profiles show, on the same connection or transaction. */
  imageUses(): ImageUseRepository {
    return new ImageUseRepository(this.rawDb);
  }

  /** Which clips stories show, on the same connection or transaction. */
  videoUses(): VideoUseRepository {
    return new VideoUseRepository(this.rawDb);
  }

  /** Author profiles, on the same connection or transaction. */
  authors(): AuthorRepository {
    return new AuthorRepository(this.rawDb);
  }

  /** Topics, their spellings and which stories carry them, on the same connection or transaction. */
  topics(): TopicRepository {
    return new TopicRepository(this.rawDb);
  }

  // Sections

  async sections(): Promise<Section[]> {
    return this.db.selectFrom('sections').selectAll().orderBy('position').orderBy('name').execute();
  }

  async insertSection(section: Omit<Section, 'id'>): Promise<Section> {
    return this.db.insertInto('sections').values(section).returningAll().executeTakeFirstOrThrow();
  }

  // Articles

  async findById(id: number): Promise<Article | undefined> {
    const query = this.prepared('byId', () => this.withSection().where('articles.id', '=', param<number>('id')));
    const [row] = await query.execute(this.db, { id });
    return row && this.hydrate(row);
  }

  async findIdBySourceKey(sourceKey: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('articles').select('id').where('source_key', '=', sourceKey).executeTakeFirst();
    return row?.id;
  }

  async countBySourcePrefix(prefix: string): Promise<number> {
    const row = await this.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('source_key', 'like', `${prefix.replace(/[%_\\]/g, '')}%`)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findPublished(sectionSlug: string, slug: string, now: string): Promise<Article | undefined> {
    const query = this.prepared('published', () =>
      this.withSection()
        .where('sections.slug', '=', param<string>('sectionSlug'))
        .where('articles.slug', '=', param<string>('slug'))
        .where('articles.status', '=', 'published')
        .where('articles.published_at', '<=', param<string>('now')),
    );
    const [row] = await query.execute(this.db, { sectionSlug, slug, now });
    return row && this.hydrate(row);
  }

  async slugTaken(sectionId: number, slug: string, exceptId?: number): Promise<boolean> {
    let query = this.db
      .selectFrom('articles')
      .select('id')
      .where('section_id', '=', sectionId)
      .where('slug', '=', slug);
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  async insert(record: ArticleRecord): Promise<number> {
    const row = await this.db
      .insertInto('articles')
      .values({ ...toColumns(record), created_at: record.updatedAt, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.imageUses().set(row.id, record);
    await this.videoUses().set(row.id, record.body);
    return row.id;
  }

  /** Updates when the stored version is still `expectedVersion`; false when someone saved first. */
  async update(id: number, record: ArticleRecord, expectedVersion: number): Promise<boolean> {
    const result = await this.db
      .updateTable('articles')
      .set({ ...toColumns(record), version: expectedVersion + 1 })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.imageUses().set(id, record);
    await this.videoUses().set(id, record.body);
    return true;
  }

  async setAuthors(articleId: number, authorIds: number[]): Promise<void> {
    await this.db.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
    if (authorIds.length === 0) return;
    await this.db
      .insertInto('article_authors')
      .values(authorIds.map((author_id, position) => ({ article_id: articleId, author_id, position })))
      .execute();
  }

  /** Finds a story at a path whatever its status: what a reader's old link pointed at. */
  async findByPath(sectionSlug: string, slug: string): Promise<Article | undefined> {
    const row = await this.withSection().where('sections.slug', '=', sectionSlug).where('articles.slug', '=', slug).executeTakeFirst();
    return row && this.hydrate(row);
  }

  /** Raises the version alone (a working-copy save): false when someone saved first. */
  async bumpVersion(id: number, expectedVersion: number): Promise<boolean> {
    const result = await this.db
      .updateTable('articles')
      .set({ version: expectedVersion + 1 })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertCorrection(articleId: number, text: string, createdAt: string): Promise<void> {
    await this.db.insertInto('article_corrections').values({ article_id: articleId, text, created_at: createdAt }).execute();
  }

  async insertRevision(article: Article): Promise<void> {
    const { version, id } = article;
    await this.db
      .insertInto('article_revisions')
      .values({ article_id: id, version, snapshot: JSON.stringify(article), created_at: article.updatedAt })
      .execute();
  }

  async listPublished(filter: ListFilter, limit: number, offset: number): Promise<ArticleSummary[]> {
    const query = this.prepared(`list:${filterShape(filter)}`, () =>
      this.summaries(this.visible(filter))
        .orderBy('articles.published_at', 'desc')
        .orderBy('articles.id', 'desc')
        .limit(param<number>('limit'))
        .offset(param<number>('offset')),
    );
    const rows = await query.execute(this.db, { ...filterParams(filter), limit, offset });
    return rows.map(toSummary);
  }

  /** The stories of `ids` readers may see now, in no particular order (Related Articles' cards). */
  async publishedByIds(ids: number[], now: string): Promise<ArticleSummary[]> {
    if (ids.length === 0) return [];
    // Built for each call (the number of ids varies); `now` fills the visibility filter's slot.
    const rows = await new Prepared(this.summaries(this.visible({ now })).where('articles.id', 'in', ids)).execute(this.db, { now });
    return rows.map(toSummary);
  }

  private summaries(query: ReturnType<ArticleRepository['visible']>) {
    return query
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select([
        'articles.id',
        'articles.slug',
        'articles.headline',
        'articles.dek',
        'articles.published_at',
        'articles.updated_at',
        'articles.lead_image_url',
        'articles.lead_image_id',
        'articles.lead_image_alt',
        'articles.lead_image_caption',
        'articles.lead_image_credit',
        'sections.id as section_id',
        'sections.slug as section_slug',
        'sections.name as section_name',
      ]);
  }

  async countPublished(filter: ListFilter): Promise<number> {
    const query = this.prepared(`count:${filterShape(filter)}`, () =>
      this.visible(filter).select((eb) => eb.fn.countAll().as('n')),
    );
    const [row] = await query.execute(this.db, filterParams(filter));
    return Number(row?.n ?? 0);
  }

  /** Stories readers may see, narrowed by the filter; filter values are left as parameters. */
  private visible(filter: ListFilter) {
    let query = this.db
      .selectFrom('articles')
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', param<string>('now'));
    if (filter.sectionId !== undefined) query = query.where('articles.section_id', '=', param<number>('sectionId'));
    if (filter.before !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('articles.published_at', '<', param<string>('beforeAt')),
          eb.and([eb('articles.published_at', '=', param<string>('beforeAt')), eb('articles.id', '<', param<number>('beforeId'))]),
        ]),
      );
    }
    if (filter.authorId !== undefined) {
      query = query.where('articles.id', 'in', (eb) =>
        eb.selectFrom('article_authors').select('article_id').where('author_id', '=', param<number>('authorId')),
      );
    }
    if (filter.topicId !== undefined) {
      query = query.where('articles.id', 'in', (eb) =>
        eb.selectFrom('article_topics').select('article_id').where('topic_id', '=', param<number>('topicId')),
      );
    }
    return query;
  }

  /** Hot queries are compiled once per engine (see Prepared); `name` identifies the query's shape. */
  private prepared<Row>(name: string, build: () => Compilable<Row>): Prepared<Row, Record<string, unknown>> {
    const key = `${this.engine}:${name}`;
    let query = PREPARED.get(key) as Prepared<Row, Record<string, unknown>> | undefined;
    if (!query) PREPARED.set(key, (query = new Prepared(build())));
    return query;
  }

  /**
   * An article row with its section, bylines and topics in one query: story pages are read far
   * more often than written, and each query costs more in the query builder than in the database.
   */
  private withSection() {
    return this.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .selectAll('articles')
      .select((eb) => [
        'sections.slug as section_slug',
        'sections.name as section_name',
        'sections.description as section_description',
        'sections.position as section_position',
        this.jsonArrayFrom(
          eb
            .selectFrom('article_authors')
            .innerJoin('authors', 'authors.id', 'article_authors.author_id')
            .select(['authors.id', 'authors.slug', 'authors.name', 'authors.bio', 'authors.photo_image_id as photoImageId'])
            .whereRef('article_authors.article_id', '=', 'articles.id')
            .orderBy('article_authors.position'),
        ).as('authors'),
        this.jsonArrayFrom(
          eb
            .selectFrom('article_topics')
            .innerJoin('topics', 'topics.id', 'article_topics.topic_id')
            .select(['topics.id', 'topics.slug', 'topics.name'])
            .whereRef('article_topics.article_id', '=', 'articles.id')
            .orderBy('article_topics.position'),
        ).as('topics'),
        this.jsonArrayFrom(
          eb
            .selectFrom('article_corrections')
            .select(['article_corrections.id', 'article_corrections.text', 'article_corrections.created_at as createdAt'])
            .whereRef('article_corrections.article_id', '=', 'articles.id')
            .orderBy('article_corrections.id'),
        ).as('corrections'),
      ]);
  }

  private hydrate(row: ArticleRow & SectionColumns & { authors: unknown; topics: unknown; corrections: unknown }): Article {
    const section: Section = {
      id: row.section_id,
      slug: row.section_slug,
      name: row.section_name,
      description: row.section_description,
      position: row.section_position,
    };
    // SQLite hands JSON back as text, PostgreSQL as parsed values.
    const authors = (typeof row.authors === 'string' ? JSON.parse(row.authors) : row.authors) as Author[];
    const topics = (typeof row.topics === 'string' ? JSON.parse(row.topics) : row.topics) as Topic[];
    const corrections = (typeof row.corrections === 'string' ? JSON.parse(row.corrections) : row.corrections) as Correction[];
    return {
      id: row.id,
      slug: row.slug,
      section,
      headline: row.headline,
      dek: row.dek,
      body: JSON.parse(row.body) as BodyDoc,
      status: row.status as ArticleStatus,
      publishedAt: row.published_at,
      updatedAt: row.updated_at,
      createdAt: row.created_at,
      credit: {
        text: row.credit_text,
        contributors: JSON.parse(row.credit_contributors) as string[],
        agencies: JSON.parse(row.credit_agencies) as string[],
      },
      authors,
      topics,
      leadImage: leadImage(row),
      seoTitle: row.seo_title,
      seoDescription: row.seo_description,
      socialImageId: row.social_image_id,
      corrections,
      version: row.version,
      sourceKey: row.source_key,
      ownerUserId: row.owner_user_id,
    };
  }
}

function toSummary(row: Parameters<typeof leadImage>[0] & {
  id: number; slug: string; headline: string; dek: string; published_at: string | null; updated_at: string;
  section_id: number; section_slug: string; section_name: string;
}): ArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    headline: row.headline,
    dek: row.dek,
    publishedAt: row.published_at ?? row.updated_at,
    updatedAt: row.updated_at,
    section: { id: row.section_id, slug: row.section_slug, name: row.section_name },
    leadImage: leadImage(row),
  };
}
