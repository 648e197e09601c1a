// Readers' reports, registered with the other reader routes (the story page stays cached and the
// same for everyone: "Report" is a plain link):
// - GET  /comments/report/:id   the report form for one approved comment (uncached)
// - POST /comments/report/:id   the report; answers a thank-you page, or JSON for the form's script
// With JavaScript the script fetches this form, shows it under the comment and posts it in place.
import type { VNode } from 'preact';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { articlePath } from '../articles/model.ts';
import { AppError, notFound, type FieldError } from '../platform/errors.ts';
import { wantsJson } from '../platform/http-errors.ts';
import { FormFields } from '../newsroom/form-schemas.ts';
import { formFields } from '../newsroom/forms.tsx';
import type { CommentService } from './comment-service.ts';
import { CommentText } from './comment-text.tsx';
import { REPORT_FIELDS, REPORT_LIMITS, REPORT_REASONS, type ReportService } from './report-service.ts';

const NO_STORE = 'no-store';
const THANKS = 'Thank you. The moderators will look at this comment.';

/** A reader page in the site's layout: what the comment pages draw into. */
export interface ReaderShell {
  page(meta: { title: string; description: string; path: string; noindex?: boolean }, content: VNode): Promise<string>;
}

export function registerReportRoutes(app: FastifyInstance, deps: { comments: CommentService; reports: ReportService; shell: ReaderShell }): void {
  const { comments, reports, shell } = deps;
  const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;

  /** The comment with its story, when readers can see both. */
  async function reportable(id: number) {
    const comment = await comments.approvedComment(id);
    const article = comment && (await comments.liveStory(comment.articleId));
    if (!comment || !article || comment.fromNewsroom) throw notFound('That comment is not on any story readers can see.');
    return { comment, article };
  }

  async function formPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, string> = {}, errors: FieldError[] = [], status = 200) {
    const { comment, article } = await reportable(idOf(request));
    const html = await shell.page(
      { title: 'Report a comment', description: `Report a comment on ${article.headline}`, path: articlePath(article), noindex: true },
      <section class="comment-check">
        <h1>Report a comment</h1>
        <p>
          By {comment.authorName}, on <a href={`${articlePath(article)}#comment-${comment.id}`}>{article.headline}</a>
        </p>
        <blockquote class="comment-content">
          <CommentText text={comment.body} />
        </blockquote>
        <ReportForm commentId={comment.id} values={values} errors={errors} />
      </section>,
    );
    return reply.code(status).header('cache-control', NO_STORE).type('text/html; charset=utf-8').send(html);
  }

  app.get('/comments/report/:id', (request, reply) => formPage(request, reply));

  app.post('/comments/report/:id', { schema: { body: FormFields } }, async (request, reply) => {
    const fields = formFields(request.body);
    const json = wantsJson(request);
    let outcome;
    try {
      outcome = await reports.report(idOf(request), fields, request.ip);
    } catch (error) {
      if (!json && error instanceof AppError && error.code === 'invalid_input') return formPage(request, reply, fields, error.details, error.status);
      throw error;
    }
    if (json) return reply.code(outcome === 'reported' ? 201 : 200).header('cache-control', NO_STORE).send({ status: outcome, notice: THANKS });
    const { article } = await reportable(idOf(request));
    const html = await shell.page(
      { title: 'Comment reported', description: THANKS, path: articlePath(article), noindex: true },
      <section class="comment-check">
        <h1>Comment reported</h1>
        <p role="status">{THANKS}</p>
        <p>
          <a href={`${articlePath(article)}#comment-${idOf(request)}`}>Back to {article.headline}</a>
        </p>
      </section>,
    );
    return reply.header('cache-control', NO_STORE).type('text/html; charset=utf-8').send(html);
  });
}

function ReportForm({ commentId, values, errors }: { commentId: number; values: Record<string, string>; errors: FieldError[] }) {
  const chosen = values[REPORT_FIELDS.reason] ?? '';
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const reasonError = errorOf(REPORT_FIELDS.reason);
  const noteError = errorOf(REPORT_FIELDS.note);
  return (
    <form method="post" action={`/comments/report/${commentId}`} class="comment-report-form" data-comment-id={commentId}>
      {errors.length > 0 && (
        <div class="comment-errors" role="alert">
          <h2>There is a problem</h2>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset aria-describedby={reasonError ? `report-${commentId}-reason-error` : undefined}>
        <legend>Why are you reporting this comment?</legend>
        {reasonError && (
          <p class="field-error" id={`report-${commentId}-reason-error`}>
            {reasonError}
          </p>
        )}
        {Object.entries(REPORT_REASONS).map(([value, label]) => (
          <p key={value}>
            <input type="radio" id={`report-${commentId}-${value}`} name={REPORT_FIELDS.reason} value={value} checked={chosen === value} required />{' '}
            <label for={`report-${commentId}-${value}`}>{label}</label>
          </p>
        ))}
      </fieldset>
      <p>
        <label for={`report-${commentId}-note`}>Anything the moderators should know (optional)</label>
        <textarea id={`report-${commentId}-note`} name={REPORT_FIELDS.note} rows={3} maxLength={REPORT_LIMITS.note} aria-describedby={noteError ? `report-${commentId}-note-error` : undefined}>
          {values[REPORT_FIELDS.note] ?? ''}
        </textarea>
        {noteError && (
          <span class="field-error" id={`report-${commentId}-note-error`}>
            {noteError}
          </span>
        )}
      </p>
      {/* The honeypot, as on the comment form. */}
      <p class="comment-form-fax" aria-hidden="true">
        <label for={`report-${commentId}-fax`}>Leave this field empty</label>
        <input id={`report-${commentId}-fax`} name={REPORT_FIELDS.honeypot} type="text" value="" tabIndex={-1} autocomplete="off" />
      </p>
      <p>
        <button type="submit">Report comment</button>
      </p>
      <p class="comment-report-status" role="status" aria-live="polite"></p>
    </form>
  );
}
