// Each Content API answer as a cacheable page: its JSON and the tags naming what it shows, so the
// changes that drop the site's pages drop these too. Lists page by cursor (the last item's
// position), never by counting: a large site costs the same on its thousandth page as its first.
import type { ArticleService } from '../articles/article-service.ts';
import { isVisible, tags } from '../articles/change-tags.ts';
import type { Article, ArticleSummary } from '../articles/model.ts';
import { portableBody } from '../feeds/portable-body.tsx';
import { imageTag } from '../media/change-tags.ts';
import type { ImageRecord } from '../media/image-service.ts';
import { shareImageOf } from '../media/share-image.ts';
import { invalidInput, type FieldError } from '../platform/errors.ts';
import { STORY_CACHE_CONTROL, type PageResult } from '../platform/page-responder.ts';
import type { SearchService } from '../search/search-service.ts';
import { RESULTS_PER_PAGE } from '../search/search-service.ts';
import { API_BASE, authorJson, readCursor, sectionJson, storyJson, storySummaryJson, topicJson, writeCursor } from './content-json.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Lists carry these beside the tags of what they show: an author or topic appearing anywhere drops them (content-api-feature.ts). */
export const AUTHORS_INDEX_TAG = 'api:authors';
export const TOPICS_INDEX_TAG = 'api:topics';
export const SEARCH_TAG = 'api:search';

export interface ContentAnswersDeps {
  articles: ArticleService;
  search: SearchService;
  images: { find(id: number): Promise<ImageRecord | undefined> };
  siteUrl: string;
  now: () => Date;
}

export interface StoriesRequest {
  section?: string;
  topic?: string;
  author?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

const json = (value: unknown, pageTags: string[]): PageResult => ({ body: JSON.stringify(value), contentType: JSON_TYPE, tags: pageTags, cacheControl: STORY_CACHE_CONTROL });

export class ContentAnswers {
  constructor(private readonly deps: ContentAnswersDeps) {}

  async stories(request: StoriesRequest): Promise<PageResult> {
    const { articles } = this.deps;
    const errors: FieldError[] = [];
    const [section, topic, author] = await Promise.all([
      request.section ? articles.sectionBySlug(request.section) : undefined,
      request.topic ? articles.topicBySlug(request.topic) : undefined,
      request.author ? articles.authorBySlug(request.author) : undefined,
    ]);
    if (request.section && !section) errors.push({ field: 'section', message: `There is no section “${request.section}”.` });
    if (request.topic && !topic) errors.push({ field: 'topic', message: `There is no topic “${request.topic}”.` });
    if (request.author && !author) errors.push({ field: 'author', message: `There is no author “${request.author}”.` });
    if (request.q !== undefined && (request.topic || request.author)) errors.push({ field: 'q', message: 'A search can be narrowed to a section, not to a topic or an author.' });
    if (request.q !== undefined && !request.q.trim()) errors.push({ field: 'q', message: 'Search for at least one word.' });
    if (request.q !== undefined) {
      const offset = request.cursor === undefined ? 0 : readCursor(request.cursor);
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) errors.push(badCursor);
      if (errors.length) throw invalidInput(errors);
      return this.searchStories(request.q, section?.id, offset as number, request);
    }
    const before = request.cursor === undefined ? undefined : storyPosition(readCursor(request.cursor));
    if (before === null) errors.push(badCursor);
    if (errors.length) throw invalidInput(errors);
    const filter = { sectionId: section?.id, topicId: topic?.id, authorId: author?.id, before: before ?? undefined };
    const rows = await articles.listPublished(filter, { limit: request.limit + 1 });
    const page = rows.slice(0, request.limit);
    const last = page.at(-1);
    const next = rows.length > request.limit && last ? this.next('stories', request, writeCursor([last.publishedAt, last.id])) : null;
    const listTags = [
      ...(section ? [tags.sectionList(section.id)] : []),
      ...(topic ? [tags.topicList(topic.id)] : []),
      ...(author ? [tags.authorList(author.id)] : []),
    ];
    return json({ stories: page.map((s) => storySummaryJson(this.deps.siteUrl, s)), next }, [tags.sections, ...(listTags.length ? listTags : [tags.allLists]), ...articleTags(page)]);
  }

  /** Ranked results, best first; the cursor is how many were shown before (pages cannot be keyed by a position in a ranking). */
  private async searchStories(q: string, sectionId: number | undefined, offset: number, request: StoriesRequest): Promise<PageResult> {
    const { search, articles } = this.deps;
    const found: number[] = [];
    let more = false;
    // The search answers in pages of RESULTS_PER_PAGE: read those that cover [offset, offset + limit], plus one to know if more follow.
    for (let page = Math.floor(offset / RESULTS_PER_PAGE) + 1; ; page++) {
      const answer = await search.search({ q, sectionId, page });
      if (answer.suggestion?.shown) break; // Results for another spelling are not results for these words.
      const ids = answer.results.map((r) => r.articleId);
      found.push(...ids.slice(page === Math.floor(offset / RESULTS_PER_PAGE) + 1 ? offset % RESULTS_PER_PAGE : 0));
      if (found.length > request.limit) {
        more = true;
        break;
      }
      if (page >= answer.pageCount || ids.length < RESULTS_PER_PAGE) break;
    }
    const stories = (await Promise.all(found.slice(0, request.limit).map((id) => articles.findById(id)))).filter((s): s is Article & { publishedAt: string } => isVisible(s, this.deps.now()));
    const next = more ? this.next('stories', request, writeCursor(offset + request.limit)) : null;
    return json({ stories: stories.map((s) => storySummaryJson(this.deps.siteUrl, s)), next }, [SEARCH_TAG, tags.sections, ...articleTags(stories)]);
  }

  async story(article: Article | undefined): Promise<PageResult | null> {
    // Drafts, working copies, scheduled stories before their time, unpublished ones: none exist here.
    if (!article || !isVisible(article, this.deps.now())) return null;
    const { siteUrl, images } = this.deps;
    const [body, lead] = await Promise.all([portableBody(article, siteUrl, images), article.leadImage?.imageId ? images.find(article.leadImage.imageId) : undefined]);
    const share = lead && shareImageOf(lead);
    return json(storyJson(siteUrl, article, body.html, share), [
      tags.sections,
      tags.article(article.id),
      ...article.authors.map((a) => tags.author(a.id)),
      ...body.imageIds.map(imageTag),
      ...(lead ? [imageTag(lead.id)] : []),
    ]);
  }

  async sections(): Promise<PageResult> {
    const sections = await this.deps.articles.sections();
    return json({ sections: sections.map((s) => sectionJson(this.deps.siteUrl, s)) }, [tags.sections]);
  }

  async section(slug: string): Promise<PageResult | null> {
    const section = await this.deps.articles.sectionBySlug(slug);
    return section ? json(sectionJson(this.deps.siteUrl, section), [tags.sections]) : null;
  }

  async topics(limit: number, cursor: string | undefined): Promise<PageResult> {
    const after = cursor === undefined ? '' : readCursor(cursor);
    if (typeof after !== 'string') throw invalidInput([badCursor]);
    const rows = await this.deps.articles.visibleTopics({ afterSlug: after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? this.next('topics', { limit }, writeCursor(page.at(-1)!.slug)) : null;
    return json({ topics: page.map((t) => topicJson(this.deps.siteUrl, t)), next }, [TOPICS_INDEX_TAG, tags.allLists]);
  }

  /** A topic exists for readers once a visible story carries it. */
  async topic(slug: string): Promise<PageResult | null> {
    const topic = await this.deps.articles.topicBySlug(slug);
    if (!topic || (await this.deps.articles.listPublished({ topicId: topic.id }, { limit: 1 })).length === 0) return null;
    return json(topicJson(this.deps.siteUrl, topic), [tags.topicList(topic.id)]);
  }

  async authors(limit: number, cursor: string | undefined): Promise<PageResult> {
    const after = cursor === undefined ? '' : readCursor(cursor);
    if (typeof after !== 'string') throw invalidInput([badCursor]);
    // Every profile is public (each has its page); a newsroom has hundreds, not millions, so they are read whole.
    const all = (await this.deps.articles.authors()).sort((a, b) => (a.slug < b.slug ? -1 : 1)).filter((a) => a.slug > after);
    const page = all.slice(0, limit);
    const next = all.length > limit ? this.next('authors', { limit }, writeCursor(page.at(-1)!.slug)) : null;
    const authors = await Promise.all(page.map((a) => this.authorJson(a)));
    return json({ authors: authors.map((a) => a.json), next }, [AUTHORS_INDEX_TAG, ...authors.flatMap((a) => a.tags)]);
  }

  async author(slug: string): Promise<PageResult | null> {
    const author = await this.deps.articles.authorBySlug(slug);
    if (!author) return null;
    const { json: body, tags: authorTags } = await this.authorJson(author);
    return json(body, authorTags);
  }

  private async authorJson(author: Awaited<ReturnType<ArticleService['authors']>>[number]) {
    const photo = author.photoImageId ? await this.deps.images.find(author.photoImageId) : undefined;
    return {
      json: authorJson(this.deps.siteUrl, author, photo && shareImageOf(photo)),
      tags: [tags.author(author.id), ...(author.photoImageId ? [imageTag(author.photoImageId)] : [])],
    };
  }

  /** The next page's absolute address: this request's parameters with the new cursor. */
  private next(list: 'stories' | 'topics' | 'authors', request: Partial<StoriesRequest>, cursor: string): string {
    const params = new URLSearchParams();
    for (const key of ['section', 'topic', 'author', 'q'] as const) if (request[key] !== undefined) params.set(key, request[key]!);
    params.set('limit', String(request.limit));
    params.set('cursor', cursor);
    return `${this.deps.siteUrl}${API_BASE}/${list}?${params.toString()}`;
  }
}

const badCursor: FieldError = { field: 'cursor', message: 'This cursor is not one this API gave out: start again without it.' };

function storyPosition(value: unknown): { publishedAt: string; id: number } | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [publishedAt, id] = value as unknown[];
  if (typeof publishedAt !== 'string' || Number.isNaN(Date.parse(publishedAt)) || !Number.isSafeInteger(id) || (id as number) < 1) return null;
  return { publishedAt, id: id as number };
}

function articleTags(stories: Pick<ArticleSummary, 'id'>[]): string[] {
  return stories.map((s) => tags.article(s.id));
}
