// The reader side of comments, registered by the reader site (it lends its page shell):
// - GET  /comments/token?article=ID   a fresh form token (uncached; the form's script asks for it)
// - POST /comments                    WordPress's form post; JSON answers for the script
// - GET  /comments/reply/:id          the reply form under one comment, for readers without JS
// - GET  /comments/more/:id?after=N   the next top-level threads of a story ("Load more")
// - /comments/report/:id              readers' reports (report-routes.tsx)
// Without JavaScript a comment is posted in two steps: the first post (no token) shows the
// "Check your comment" page with a fresh token, and posting from there stores it.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { articlePath } from '../articles/model.ts';
import { AppError, notFound, type FieldError } from '../platform/errors.ts';
import { wantsJson } from '../platform/http-errors.ts';
import { Id } from '../platform/schemas.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import { FormFields } from '../newsroom/form-schemas.ts';
import { formFields } from '../newsroom/forms.tsx';
import { FIELDS, parseCommentInput } from './comment-input.ts';
import { TokenRefused, type CommentService } from './comment-service.ts';
import { CommentText } from './comment-text.tsx';
import { CommentForm } from './comment-thread.tsx';
import { registerReportRoutes, type ReaderShell } from './report-routes.tsx';
import type { ReportService } from './report-service.ts';
import type { StoryComments } from './story-comments.tsx';

export type { ReaderShell };

const NO_STORE = 'no-store';

export function registerCommentReaderRoutes(
  fastify: FastifyInstance,
  deps: { comments: CommentService; reports: ReportService; story: StoryComments; shell: ReaderShell; responder: PageResponder; scriptUrl: () => Promise<string> },
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { comments, shell } = deps;
  registerReportRoutes(fastify, deps);

  app.get('/comments/token', { schema: { querystring: Type.Object({ article: Id }, { additionalProperties: false }) } }, async (request, reply) => {
    const token = await comments.formToken(request.query.article);
    return reply.header('cache-control', NO_STORE).send({ token });
  });

  app.post('/comments', {
    schema: { body: FormFields },
    // The address's rate limit before the body is read: a flood's refused posts cost one counter each.
    onRequest: async (request) => comments.admit(request.ip),
  }, async (request, reply) => {
    const fields = formFields(request.body);
    const json = wantsJson(request);
    let result;
    try {
      const headers = { userAgent: request.headers['user-agent'] ?? '', referrer: request.headers.referer ?? '' };
      result = await comments.post(parseCommentInput(fields), request.ip, { admitted: true, ...headers });
    } catch (error) {
      // A mistake the reader can fix, or the no-JS path's token step: the form again, as they wrote it.
      if (!json && error instanceof AppError && error.code === 'invalid_input') return checkPage(request, reply, fields, error);
      throw error;
    }
    const path = articlePath(result.article);
    if (result.kind === 'discarded') {
      if (json) return reply.code(201).header('cache-control', NO_STORE).send({ status: 'pending', notice: 'Your comment is awaiting moderation.' });
      return reply.code(303).header('location', `${path}#comments`).header('cache-control', NO_STORE).send();
    }
    // Spam is not announced: its author sees what the author of any held comment sees.
    const shownStatus = result.status === 'approved' ? 'approved' : 'pending';
    const location = shownStatus === 'approved' ? `${path}#comment-${result.id}` : `${path}?unapproved=${result.id}&moderation-hash=${result.pendingHash}#comment-${result.id}`;
    if (json) {
      return reply
        .code(201)
        .header('cache-control', NO_STORE)
        .send({ id: result.id, status: shownStatus, location, ...(shownStatus === 'pending' && { notice: 'Your comment is awaiting moderation.' }) });
    }
    return reply.code(303).header('location', location).header('cache-control', NO_STORE).send();
  });

  /** "Check your comment": the comment as it will look, the problems (if any), the form with a fresh token. */
  async function checkPage(request: FastifyRequest, reply: FastifyReply, fields: Record<string, string>, error: AppError) {
    const articleId = Number(fields[FIELDS.articleId]);
    const article = Number.isInteger(articleId) && articleId > 0 && articleId <= 2_147_483_647 ? await comments.liveStory(articleId) : undefined;
    if (!article) throw notFound('This story does not exist or is not published.');
    const token = await comments.formToken(article.id);
    const tokenStep = error instanceof TokenRefused && error.problem === 'missing';
    const problems: FieldError[] = tokenStep ? [] : error.details;
    const parentId = Number(fields[FIELDS.parentId]) || 0;
    const html = await shell.page(
      { title: 'Check your comment', description: 'Check your comment before it is posted.', path: articlePath(article), noindex: true },
      <section class="comment-check">
        <h1>Check your comment</h1>
        <p>
          On <a href={articlePath(article)}>{article.headline}</a>
        </p>
        {problems.length > 0 && (
          <div class="comment-errors" role="alert">
            <h2>There is a problem</h2>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>{p.field && p.field !== FIELDS.token ? <a href={`#${p.field === FIELDS.comment ? 'comment' : p.field}`}>{p.message}</a> : p.message}</li>
              ))}
            </ul>
          </div>
        )}
        {tokenStep && (fields[FIELDS.comment] ?? '').trim() && (
          <div class="comment-preview">
            <h2>Your comment</h2>
            <CommentText text={fields[FIELDS.comment] ?? ''} />
          </div>
        )}
        <CommentForm
          articleId={article.id}
          parentId={parentId}
          token={token}
          heading={tokenStep ? 'Post it' : 'Leave a Reply'}
          values={{ comment: fields[FIELDS.comment], author: fields[FIELDS.author], email: fields[FIELDS.email], url: fields[FIELDS.url] }}
        />
      </section>,
    );
    return reply
      .code(tokenStep ? 200 : error.status)
      .header('cache-control', NO_STORE)
      .type('text/html; charset=utf-8')
      .send(html);
  }

  app.get('/comments/reply/:id', async (request, reply) => {
    const { id } = request.params as { id: number };
    const parent = await comments.approvedComment(id);
    const article = parent && (await comments.liveStory(parent.articleId));
    if (!parent || !article) throw notFound('That comment is not on any story readers can see.');
    if (!(await comments.isOpen(article))) throw new AppError('comments_closed', 'Comments are closed on this story.');
    const settings = await comments.settings();
    if (parent.depth >= settings.depthLimit) throw new AppError('invalid_input', `Replies can nest only ${settings.depthLimit} levels deep; reply further up the thread.`);
    const token = await comments.formToken(article.id);
    const html = await shell.page(
      { title: `Reply to ${parent.authorName}`, description: `Reply to a comment on ${article.headline}`, path: articlePath(article), noindex: true },
      <section class="comment-check">
        <h1>Reply to {parent.authorName}</h1>
        <p>
          On <a href={`${articlePath(article)}#comment-${parent.id}`}>{article.headline}</a>
        </p>
        <blockquote class="comment-content">
          <CommentText text={parent.body} />
        </blockquote>
        <CommentForm articleId={article.id} parentId={parent.id} token={token} heading={`Reply to ${parent.authorName}`} />
      </section>,
    );
    return reply.header('cache-control', NO_STORE).type('text/html; charset=utf-8').send(html);
  });

  app.get('/comments/more/:id', { schema: { querystring: Type.Object({ after: Id }, { additionalProperties: false }) } }, async (request, reply) => {
    const { id } = request.params as { id: number };
    const { after } = request.query;
    await deps.responder.respond(request, reply, `/comments/more/${id}?after=${after}`, async () => {
      const article = await comments.liveStory(id);
      const part = article && (await deps.story.part(article, undefined, after));
      if (!article || !part) throw notFound();
      const body = await shell.page(
        { title: `Comments on ${article.headline}`, description: `More comments on ${article.headline}`, path: `${articlePath(article)}#comments`, noindex: true },
        <>
          <p>
            Comments on <a href={articlePath(article)}>{article.headline}</a>
          </p>
          {part.node}
        </>,
      );
      return { body, tags: part.tags };
    });
  });
}
