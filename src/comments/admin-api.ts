// The Admin API for comments (/api/admin/v1/comments): the moderation queue, the four moves, edits
// (audited), readers' reports (a filter, dismissing them), and whether a story takes comments: what moderators do on the newsroom's Comments
// screen. Staff see commenters' emails and addresses here; readers never do.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ArticleService } from '../articles/article-service.ts';
import { ErrorsJson as Errors, Id } from '../platform/schemas.ts';
import { LIMITS } from './comment-input.ts';
import { MOVES } from './comment-moves.ts';
import type { StoredComment } from './comment-rows.ts';
import type { CommentService } from './comment-service.ts';
import type { ModerationService } from './moderation-service.ts';
import type { ReportService } from './report-service.ts';

const Status = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('spam'), Type.Literal('trash')]);
const CommentJson = Type.Object({
  id: Type.Integer(),
  articleId: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  status: Status,
  authorName: Type.String(),
  authorEmail: Type.String({ description: 'Never shown to readers' }),
  authorUrl: Type.String(),
  body: Type.String({ description: 'Plain text' }),
  ip: Type.Union([Type.String(), Type.Null()], { description: 'Null once the retention period has passed' }),
  reasons: Type.Array(Type.String(), { description: 'Why the automatic decision was taken ("2 links", "first comment", "classifier 0.97")' }),
  spamScore: Type.Union([Type.Number(), Type.Null()]),
  fromNewsroom: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  url: Type.String({ description: 'Its permalink on the story (readers see it once approved)' }),
  reports: Type.Object(
    {
      count: Type.Integer({ description: 'Readers who reported it and whose reports are still open' }),
      reasons: Type.Record(Type.String(), Type.Integer(), { description: 'Reason (spam, abuse, misinformation, privacy, off-topic, other) → readers' }),
      notes: Type.Array(Type.String(), { description: 'Readers’ notes, newest first' }),
    },
    { description: 'Readers’ open reports' },
  ),
});
const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    article: Type.Optional(Id),
    reported: Type.Optional(Type.Boolean({ description: 'Only comments with open reports from readers' })),
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
const Edit = Type.Object(
  {
    body: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.comment * 2 })),
    authorName: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.author * 2 })),
    authorUrl: Type.Optional(Type.String({ maxLength: LIMITS.url * 2 })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Id });
const one = { 200: Type.Object({ comment: CommentJson }), 400: Errors, 401: Errors, 403: Errors, 404: Errors, 409: Errors };

export function registerCommentsAdminApi(
  fastify: FastifyInstance,
  deps: { comments: CommentService; moderation: ModerationService; reports: ReportService; articles: ArticleService; siteUrl: string },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { moderation } = deps;
  const moderators = { permission: 'canModerateComments' as const };
  // Story addresses looked up once per answer (a story may move between answers); reports read for
  // the answer's comments at once.
  const presenter = async (comments: readonly StoredComment[]) => {
    const paths = new Map<number, string>();
    const reports = await moderation.reportsOf(comments.map((c) => c.id));
    return async (c: StoredComment) => {
    let path = paths.get(c.articleId);
    if (path === undefined) {
      const article = await deps.articles.findById(c.articleId);
      path = article ? `/${article.section.slug}/${article.slug}` : '';
      paths.set(c.articleId, path);
    }
    const { trainedAs: _trained, origin, depth: _depth, ...rest } = c;
    return { ...rest, fromNewsroom: origin === 'newsroom', url: `${deps.siteUrl}${path}#comment-${c.id}`, reports: reports.get(c.id) ?? { count: 0, reasons: {}, notes: [] } };
    };
  };

  const present = async (c: StoredComment) => (await presenter([c]))(c);

  app.get('/api/admin/v1/comments', {
    config: moderators,
    schema: {
      tags: ['comments'],
      summary: 'The moderation queue: comments newest first, by status and story; `before` pages on (the last id seen)',
      querystring: ListQuery,
      response: { 200: Type.Object({ comments: Type.Array(CommentJson), next: Type.Union([Type.Integer(), Type.Null()]) }), 400: Errors, 401: Errors, 403: Errors },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const found = await moderation.queue({ status: request.query.status, articleId: request.query.article, reported: request.query.reported, beforeId: request.query.before, limit });
    return { comments: await Promise.all(found.map(await presenter(found))), next: found.length === limit ? found[found.length - 1]!.id : null };
  });

  for (const move of MOVES) {
    app.post(`/api/admin/v1/comments/:id/${move}`, {
      config: moderators,
      schema: { tags: ['comments'], summary: `${move[0]!.toUpperCase()}${move.slice(1)} a comment (409 when it is already there)`, params: IdParams, response: one },
    }, async (request) => {
      if (!request.actor) throw new Error('the gate lets no request through without an actor');
      return { comment: await present(await moderation.move(request.params.id, move, request.actor)) };
    });
  }

  app.patch('/api/admin/v1/comments/:id', {
    config: moderators,
    schema: { tags: ['comments'], summary: 'Edit a comment’s text, name or website (written to the audit log)', params: IdParams, body: Edit, response: one },
  }, async (request) => {
    if (!request.actor) throw new Error('the gate lets no request through without an actor');
    return { comment: await present(await moderation.edit(request.params.id, request.body, request.actor)) };
  });

  app.post('/api/admin/v1/comments/:id/dismiss-reports', {
    config: moderators,
    schema: { tags: ['comments'], summary: 'Dismiss readers’ open reports on a comment, leaving it as it is (409 when it has none; audited)', params: IdParams, response: one },
  }, async (request) => {
    if (!request.actor) throw new Error('the gate lets no request through without an actor');
    await deps.reports.dismiss(request.params.id, request.actor);
    return { comment: await present(await moderation.get(request.params.id)) };
  });

  const Privacy = Type.Object({ email: Type.String({ minLength: 3, maxLength: LIMITS.email, pattern: '^[^\\s@]+@[^\\s@]+$' }) }, { additionalProperties: false });
  app.get('/api/admin/v1/comments/privacy', {
    config: { permission: 'canManageCommenterData' },
    schema: {
      tags: ['comments'],
      summary: 'Every comment (with its stored address) of one email, for a privacy request; audited',
      querystring: Privacy,
      response: { 200: Type.Object({ email: Type.String(), comments: Type.Array(CommentJson) }), 400: Errors, 401: Errors, 403: Errors },
    },
  }, async (request) => {
    if (!request.actor) throw new Error('the gate lets no request through without an actor');
    const found = await moderation.exportEmail(request.query.email, request.actor);
    return { email: request.query.email.toLowerCase(), comments: await Promise.all(found.map(await presenter(found))) };
  });

  app.delete('/api/admin/v1/comments/privacy', {
    config: { permission: 'canManageCommenterData' },
    schema: {
      tags: ['comments'],
      summary: 'Erase every comment and stored address of one email (replies to them stay); audited',
      querystring: Privacy,
      response: { 200: Type.Object({ erased: Type.Integer() }), 400: Errors, 401: Errors, 403: Errors },
    },
  }, async (request) => {
    if (!request.actor) throw new Error('the gate lets no request through without an actor');
    return { erased: await moderation.eraseEmail(request.query.email, request.actor) };
  });

  app.put('/api/admin/v1/comments/stories/:id', {
    config: moderators,
    schema: {
      tags: ['comments'],
      summary: 'Open or close a story’s comments',
      params: IdParams,
      body: Type.Object({ open: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: Type.Object({ articleId: Type.Integer(), open: Type.Boolean() }), 400: Errors, 401: Errors, 403: Errors, 404: Errors },
    },
  }, async (request) => {
    await deps.comments.setOpen(request.params.id, request.body.open);
    return { articleId: request.params.id, open: request.body.open };
  });
}
