// GET /api/admin/v1/articles: the Admin API finds stories, for the scripts newsrooms run against it
// ("every story changed since my last sync", "the drafts in Politics"). Filters by status, section,
// author, topic, text and change time; newest change first; cursor paging, so a list that changes
// while a script pages through it neither skips nor repeats a story. Each caller sees exactly the
// stories GET /articles/:id would show them (permissions.ts, mayEditStory).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { allows, mayEditStory, type Actor } from '../newsroom/permissions.ts';
import { invalidInput, type FieldError } from '../platform/errors.ts';
import { ErrorsJson as Errors } from '../platform/schemas.ts';
import type { ArticleService } from './article-service.ts';
import type { StoryListFilter } from './desk-repository.ts';
import { ARTICLE_STATUSES, articlePath, type ArticleStatus } from './model.ts';

const Slug = (what: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,99}$', description: `Only stories ${what} (its slug)` });

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(ARTICLE_STATUSES.map((s) => Type.Literal(s)), { description: 'Only stories in this status' })),
    section: Type.Optional(Slug('in this section')),
    author: Type.Optional(Slug('with this author in the byline')),
    topic: Type.Optional(Slug('tagged with this topic')),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only stories whose headline or dek contains this text (case-insensitive for A–Z)' })),
    updatedSince: Type.Optional(Type.String({ format: 'date-time', description: 'Only stories changed at or after this time (ISO 8601 with a zone)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Stories per page, 1 to 100 (default 20)' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The `next` of the previous page' })),
  },
  { additionalProperties: false },
);

const ListedStory = Type.Object({
  id: Type.Integer(),
  url: Type.String({ description: 'Public address of the story (live only when published)' }),
  slug: Type.String(),
  section: Type.Object({ slug: Type.String(), name: Type.String() }),
  headline: Type.String(),
  dek: Type.String(),
  status: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  version: Type.Integer(),
});

const ListReply = Type.Object({
  articles: Type.Array(ListedStory),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page' }),
});

export function registerArticleListAdminApi(fastify: FastifyInstance, articles: ArticleService, siteUrl: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/admin/v1/articles', {
    config: { permission: 'canWriteStories' },
    schema: {
      tags: ['stories'],
      summary: 'List stories (newest change first), with filters and cursor paging',
      querystring: ListQuery,
      response: { 200: ListReply, 400: Errors, 401: Errors, 403: Errors },
    },
  }, async (request) => {
    const { status, section, author, topic, q, updatedSince, cursor } = request.query;
    const limit = request.query.limit ?? 20;
    const errors: FieldError[] = [];
    const [sectionRow, authorRow, topicRow] = await Promise.all([
      section ? articles.sectionBySlug(section) : undefined,
      author ? articles.authorBySlug(author) : undefined,
      topic ? articles.topicBySlug(topic) : undefined,
    ]);
    if (section && !sectionRow) errors.push({ field: 'section', message: `There is no section “${section}”.` });
    if (author && !authorRow) errors.push({ field: 'author', message: `There is no author “${author}”.` });
    if (topic && !topicRow) errors.push({ field: 'topic', message: `There is no topic “${topic}”.` });
    const after = cursor === undefined ? undefined : readCursor(cursor);
    if (after === null) errors.push({ field: 'cursor', message: 'This cursor is not one this API gave out: start again without it.' });
    if (errors.length) throw invalidInput(errors);
    const visible = visibleTo(request.actor);
    const filter: StoryListFilter = {
      statuses: narrow(visible.statuses, status),
      ownerUserId: visible.ownerUserId,
      sectionId: sectionRow?.id,
      authorId: authorRow?.id,
      topicId: topicRow?.id,
      search: q,
      updatedSince: updatedSince && new Date(updatedSince).toISOString(),
      after: after ?? undefined,
    };
    // One more than the page: its presence says another page follows.
    const rows = await articles.listForApi(filter, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      articles: page.map((story) => ({ ...story, url: siteUrl + articlePath(story) })),
      next: rows.length > limit && last ? writeCursor({ updatedAt: last.updatedAt, id: last.id }) : null,
    };
  });
}

/** What the caller may see: every story (editors), their own in the statuses they may edit, or nothing. */
function visibleTo(actor: Actor | undefined): { statuses?: ArticleStatus[]; ownerUserId?: number } {
  if (actor && allows(actor, 'canEditAnyStory')) return {};
  if (!actor || actor.kind !== 'user') return { statuses: [] };
  return { ownerUserId: actor.id, statuses: ARTICLE_STATUSES.filter((status) => mayEditStory(actor, { ownerUserId: actor.id, status })) };
}

function narrow(allowed: ArticleStatus[] | undefined, wanted: ArticleStatus | undefined): ArticleStatus[] | undefined {
  if (!wanted) return allowed;
  return !allowed || allowed.includes(wanted) ? [wanted] : [];
}

/** Where a page ended, opaque to clients: the last story's change time and id. */
function writeCursor(at: { updatedAt: string; id: number }): string {
  return Buffer.from(JSON.stringify([at.updatedAt, at.id])).toString('base64url');
}

/** The cursor's position, or null when it is not one writeCursor made. */
function readCursor(cursor: string): { updatedAt: string; id: number } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [updatedAt, id] = value as unknown[];
    if (typeof updatedAt !== 'string' || Number.isNaN(Date.parse(updatedAt)) || !Number.isSafeInteger(id) || (id as number) < 1) return null;
    return { updatedAt, id: id as number };
  } catch {
    return null;
  }
}
