// The newsroom's privacy screen for a commenter's request (administrators: canManageCommenterData):
// - GET  /newsroom/comments/privacy?email=…         what is stored for the email (audited look-up)
// - GET  /newsroom/comments/privacy/export.json?email=…  every comment and stored address, as a JSON download (audited)
// - POST /newsroom/comments/privacy/erase           erases them, once the administrator confirmed (audited)
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleService } from '../../articles/article-service.ts';
import { articlePath } from '../../articles/model.ts';
import { attempt, Csrf, ErrorSummary, Field, formFields } from '../../newsroom/forms.tsx';
import type { NewsroomPages, PageContext } from '../../newsroom/layout.tsx';
import type { FieldError } from '../../platform/errors.ts';
import type { StoredComment } from '../comment-rows.ts';
import { privacyAddress, type ModerationService } from '../moderation-service.ts';

const PERMISSION = { permission: 'canManageCommenterData' as const };

export function registerPrivacyScreen(app: FastifyInstance, deps: { moderation: ModerationService; articles: ArticleService; pages: NewsroomPages; siteUrl: string }): void {
  const { moderation, pages } = deps;

  const headlines = async (found: StoredComment[]) => {
    const out = new Map<number, { headline: string; url: string }>();
    for (const id of new Set(found.map((c) => c.articleId))) {
      const article = await deps.articles.findById(id);
      out.set(id, article ? { headline: article.headline, url: `${deps.siteUrl}${articlePath(article)}` } : { headline: 'a story that is gone', url: '' });
    }
    return out;
  };

  const screen = async (request: FastifyRequest, reply: FastifyReply, values: { email?: string; erased?: string } = {}, errors: FieldError[] = [], status = 200) => {
    const email = values.email ?? formFields(request.query).email ?? '';
    let found: StoredComment[] | undefined;
    if (email && errors.length === 0) {
      const outcome = await attempt(() => moderation.exportEmail(email, request.staff!, 'lookup'));
      if ('ok' in outcome) found = outcome.ok;
      else ({ errors, status } = outcome);
    }
    const stories = found ? await headlines(found) : new Map();
    const erased = values.erased ?? formFields(request.query).erased;
    return pages.send(request, reply, { title: 'Commenter privacy', status }, (ctx) => <PrivacyPage ctx={ctx} email={email} found={found} stories={stories} errors={errors} erased={erased} />);
  };

  app.get('/newsroom/comments/privacy', { config: PERMISSION }, (request, reply) => screen(request, reply));

  app.get('/newsroom/comments/privacy/export.json', { config: PERMISSION }, async (request, reply) => {
    const email = formFields(request.query).email ?? '';
    const outcome = await attempt(() => moderation.exportEmail(email, request.staff!));
    if ('errors' in outcome) return screen(request, reply, { email }, outcome.errors, outcome.status);
    const stories = await headlines(outcome.ok);
    const address = privacyAddress(email);
    const comments = outcome.ok.map((c) => ({
      id: c.id,
      story: stories.get(c.articleId)?.headline ?? '',
      storyUrl: stories.get(c.articleId)?.url ?? '',
      status: c.status,
      authorName: c.authorName,
      authorEmail: c.authorEmail,
      authorUrl: c.authorUrl,
      text: c.body,
      ip: c.ip,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    }));
    const file = `comments-${address.replace(/[^a-z0-9.@_-]+/g, '_')}.json`;
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${file}"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ email: address, exportedAt: new Date().toISOString(), comments }, null, 2));
  });

  app.post('/newsroom/comments/privacy/erase', { config: PERMISSION }, async (request, reply) => {
    const fields = formFields(request.body);
    const email = fields.email ?? '';
    if (fields.confirm !== 'yes') return screen(request, reply, { email }, [{ field: 'confirm', message: 'Tick the box to confirm that these comments are to be erased.' }], 400);
    const outcome = await attempt(() => moderation.eraseEmail(email, request.staff!));
    if ('errors' in outcome) return screen(request, reply, { email }, outcome.errors, outcome.status);
    return reply.code(303).header('location', `/newsroom/comments/privacy?erased=${outcome.ok}`).send();
  });
}

function PrivacyPage(props: { ctx: PageContext; email: string; found?: StoredComment[]; stories: Map<number, { headline: string }>; errors: FieldError[]; erased?: string }) {
  const { found } = props;
  const addresses = found?.filter((c) => c.ip).length ?? 0;
  const confirmError = props.errors.find((e) => e.field === 'confirm');
  return (
    <>
      <h1>Commenter privacy</h1>
      <p class="hint">For a commenter’s request: find everything stored for one email address, download it as JSON, or erase it. Every look-up, download and erasure is written to the audit log.</p>
      {props.erased !== undefined && /^\d+$/.test(props.erased) && (
        <p class="notice" role="status">
          Erased {props.erased} {props.erased === '1' ? 'comment' : 'comments'} and their stored addresses.
        </p>
      )}
      <ErrorSummary errors={props.errors} />
      <form method="get" action="/newsroom/comments/privacy">
        <Field name="email" label="The commenter’s email address" type="email" value={props.email} errors={props.errors.filter((e) => e.field === 'email')} required />
        <button type="submit">Find their comments</button>
      </form>
      {found && (
        <section aria-labelledby="found-title">
          <h2 id="found-title">
            {found.length === 0 ? 'Nothing is stored for this address' : `${found.length} ${found.length === 1 ? 'comment' : 'comments'}, ${addresses} with a stored address`}
          </h2>
          {found.length > 0 && (
            <>
              <ul>
                {found.map((c) => (
                  <li key={c.id}>
                    {c.createdAt.slice(0, 10)} · {c.status} · on {props.stories.get(c.articleId)?.headline ?? 'a story that is gone'}: “{c.body.slice(0, 120)}
                    {c.body.length > 120 ? '…' : ''}”
                  </li>
                ))}
              </ul>
              <p>
                <a href={`/newsroom/comments/privacy/export.json?email=${encodeURIComponent(props.email)}`} download>
                  Download everything as JSON
                </a>
              </p>
              <form method="post" action="/newsroom/comments/privacy/erase" class="danger">
                <Csrf token={props.ctx.csrf} />
                <input type="hidden" name="email" value={props.email} />
                {confirmError && (
                  <p class="field-error" id="confirm-error">
                    {confirmError.message}
                  </p>
                )}
                <p>
                  <input type="checkbox" id="confirm" name="confirm" value="yes" required aria-describedby={confirmError ? 'confirm-error' : undefined} />{' '}
                  <label for="confirm">
                    Erase these {found.length} {found.length === 1 ? 'comment' : 'comments'} and their stored addresses for good (replies to them stay).
                  </label>
                </p>
                <button type="submit">Erase</button>
              </form>
            </>
          )}
        </section>
      )}
    </>
  );
}
