// The reading side of stories: sections (kept in memory: every page shows the navigation),
// authors and topics by slug, what readers may see now (published and not embargoed), the
// newsroom's and the Admin API's lists, revisions, old addresses, and clips for feeds and sitemaps.
// ArticleService (article-service.ts) adds the writing side: saves and workflow moves.
import type { Clock } from '../platform/clock.ts';
import { isVisible } from './change-tags.ts';
import { articlePath, type Article, type ArticleInput, type ArticleStatus, type ArticleSummary, type Author, type Section, type Topic } from './model.ts';
import type { NewsroomListItem, StoryListFilter, StoryListItem } from './desk-repository.ts';
import type { ArticleRepository, ListFilter } from './article-repository.ts';

export class StoryReads {
  private sectionsMemo: Promise<Section[]> | undefined;

  constructor(
    protected readonly repo: ArticleRepository,
    protected readonly clock: Clock,
  ) {}

  /** Drops the sections kept in memory (a section was added, here or on another node). */
  protected forgetSections(): void {
    this.sectionsMemo = undefined;
  }

  sections(): Promise<Section[]> {
    this.sectionsMemo ??= this.repo.sections().catch((error: unknown) => {
      this.sectionsMemo = undefined;
      throw error;
    });
    return this.sectionsMemo;
  }

  async sectionBySlug(slug: string): Promise<Section | undefined> {
    return (await this.sections()).find((s) => s.slug === slug);
  }

  // Authors (their profiles are kept by author-profiles.ts) and topics

  authorBySlug(slug: string): Promise<Author | undefined> {
    return this.repo.authors().bySlug(slug);
  }

  topicBySlug(slug: string): Promise<Topic | undefined> {
    return this.repo.topics().bySlug(slug);
  }

  /** Topics readers can see (a visible story carries them), by slug, those after `afterSlug`. */
  visibleTopics(page: { afterSlug?: string; limit: number }): Promise<Topic[]> {
    return this.repo.topics().inUse(this.clock.now().toISOString(), page.afterSlug ?? '', page.limit);
  }

  // Reading

  findById(id: number): Promise<Article | undefined> {
    return this.repo.findById(id);
  }

  /** A story as readers may see it: published, and not embargoed. */
  findPublished(sectionSlug: string, slug: string): Promise<Article | undefined> {
    return this.repo.findPublished(sectionSlug, slug, this.clock.now().toISOString());
  }

  async listPublished(
    filter: Omit<ListFilter, 'now'>,
    page: { limit: number; offset?: number },
  ): Promise<ArticleSummary[]> {
    return this.repo.listPublished({ ...filter, now: this.clock.now().toISOString() }, page.limit, page.offset ?? 0);
  }

  /** Those of `ids` readers may see now, in the order of `ids`. */
  async publishedByIds(ids: number[]): Promise<ArticleSummary[]> {
    const found = new Map((await this.repo.publishedByIds(ids, this.clock.now().toISOString())).map((s) => [s.id, s]));
    return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }

  countPublished(filter: Omit<ListFilter, 'now'>): Promise<number> {
    return this.repo.countPublished({ ...filter, now: this.clock.now().toISOString() });
  }

  /** Every author profile, by name: the newsroom's byline picker. */
  authors(): Promise<Author[]> {
    return this.repo.authors().all();
  }

  /** Stories in any status for the newsroom (its own screen checks who may see which). */
  listForNewsroom(filter: { ownerUserId?: number; status?: ArticleStatus }, limit = 200): Promise<NewsroomListItem[]> {
    return this.repo.desk().listForNewsroom(filter, limit);
  }

  /** Stories in any status for the Admin API's list (its route says who may see which). */
  listForApi(filter: StoryListFilter, limit: number): Promise<StoryListItem[]> {
    return this.repo.desk().listForApi(filter, limit);
  }

  revisions(articleId: number): Promise<{ version: number; createdAt: string }[]> {
    return this.repo.desk().revisions(articleId);
  }

  /** The story as saved at `version`, for comparing and restoring. */
  revision(articleId: number, version: number): Promise<Article | undefined> {
    return this.repo.desk().revision(articleId, version);
  }

  revisionCount(articleId: number): Promise<number> {
    return this.repo.desk().revisionCount(articleId);
  }

  /** Finds the story an import source was saved as, so a re-import updates it. */
  findIdBySourceKey(sourceKey: string): Promise<number | undefined> {
    return this.repo.findIdBySourceKey(sourceKey);
  }

  /** How many stories came from sources whose key starts with `prefix` (e.g. "generated:"). */
  countBySourcePrefix(prefix: string): Promise<number> {
    return this.repo.countBySourcePrefix(prefix);
  }

  /** The pending changes to a published story, if any. */
  async workingCopy(id: number): Promise<ArticleInput | undefined> {
    return (await this.repo.workflow().workingCopy(id))?.input as ArticleInput | undefined;
  }

  /** Each listed story's lead clip (the first video block), for feeds' enclosures. */
  leadClips(articleIds: number[]): Promise<Map<number, number>> {
    return this.repo.videoUses().leadClips(articleIds);
  }

  /** Published stories with clips, newest first, and their clips in order: what the video sitemap lists. */
  async publishedWithClips(limit: number): Promise<{ story: Article; videoIds: number[] }[]> {
    const found = await this.repo.videoUses().publishedWithClips(limit);
    const stories = await Promise.all(found.map(async (f) => ({ story: await this.findById(f.articleId), videoIds: f.videoIds })));
    return stories.flatMap((s) => (s.story ? [{ story: s.story, videoIds: s.videoIds }] : []));
  }

  /** Where an old address of a moved story now points (undefined when a live story is there). */
  async movedTo(sectionSlug: string, slug: string): Promise<string | undefined> {
    const target = await this.repo.workflow().redirectTarget(sectionSlug, slug);
    if (target === undefined || (await this.findPublished(sectionSlug, slug))) return undefined;
    const article = await this.repo.findById(target);
    if (!isVisible(article, this.clock.now())) return undefined;
    const path = articlePath(article!);
    return path === `/${sectionSlug}/${slug}` ? undefined : path;
  }

  /** Whether the address belonged to a story that has been unpublished (readers get 410 Gone). */
  async removed(sectionSlug: string, slug: string): Promise<boolean> {
    const here = await this.repo.findByPath(sectionSlug, slug);
    if (here) return here.status === 'unpublished';
    const target = await this.repo.workflow().redirectTarget(sectionSlug, slug);
    return target !== undefined && (await this.repo.findById(target))?.status === 'unpublished';
  }
}
