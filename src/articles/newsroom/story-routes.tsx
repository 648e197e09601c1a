// The newsroom's story screens: the list, a new story, and the edit screen with its plain save,
// the editor's JSON autosave, and "Update live story" for published stories. Workflow moves,
// preview and revisions register from their own files.
import { Type } from 'typebox';
import { ErrorsJson } from '../../platform/schemas.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allows, type Actor } from '../../newsroom/permissions.ts';
import { ARTICLE_STATUSES, type Article, type ArticleStatus } from '../model.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { Csrf, formFields } from '../../newsroom/forms.tsx';
import { compare } from './story-diff.tsx';
import { StoryLink } from './story-link.tsx';
import { formErrors, StoryFields, toStoryInput, type StoryFormValues } from './story-form.tsx';
import { registerStoryHistoryRoutes } from './story-history-routes.tsx';
import { expectedVersionOf, storyScreens, type StoryDeps } from './story-screens.tsx';
import { registerStoryWorkflowRoutes } from './story-workflow-routes.tsx';

const writers = { permission: 'canWriteStories' as const };

export function registerStoryRoutes(app: FastifyInstance, deps: StoryDeps): void {
  const { articles, pages, presence } = deps;
  const screens = storyScreens(deps);
  const { editable, showEdit } = screens;

  app.get('/newsroom/stories', { config: writers }, async (request, reply) => {
    const staff = request.staff!;
    const wanted = (request.query as Record<string, unknown>).status;
    const status = ARTICLE_STATUSES.includes(wanted as ArticleStatus) ? (wanted as ArticleStatus) : undefined;
    // Editors see every story; everyone else the stories they started.
    const mine = !allows(staff, 'canEditAnyStory');
    const stories = await articles.listForNewsroom({ ownerUserId: mine ? staff.id : undefined, status });
    const notice = noticeFor((request.query as Record<string, unknown>).done);
    return pages.send(request, reply, { title: 'Stories' }, () => (
      <>
        <h1>{mine ? 'My stories' : 'Stories'}</h1>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <p>
          <a href="/newsroom/stories/new">New story</a>
        </p>
        <nav aria-label="Filter by status">
          <ul class="filters">
            <li>
              <a href="/newsroom/stories" aria-current={status ? undefined : 'page'}>All</a>
            </li>
            {ARTICLE_STATUSES.map((s) => (
              <li key={s}>
                <a href={`/newsroom/stories?status=${s}`} aria-current={status === s ? 'page' : undefined}>
                  {s}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {stories.length === 0 ? (
          <p>No stories{status ? ` with the status “${status}”` : ''} yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Headline</th>
                <th scope="col">Section</th>
                <th scope="col">Status</th>
                <th scope="col">Updated (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {stories.map((s) => (
                <tr key={s.id}>
                  <td>
                    <StoryLink actor={staff} story={s} />
                  </td>
                  <td>{s.sectionName}</td>
                  <td>{s.status}</td>
                  <td>{s.updatedAt.slice(0, 16).replace('T', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ));
  });

  const newPage = async (request: FastifyRequest, reply: FastifyReply, values: StoryFormValues = {}, errors: FieldError[] = [], status = 200) => {
    const [sections, authors] = await Promise.all([articles.sections(), articles.authors()]);
    return pages.send(request, reply, { title: 'New story', status }, ({ csrf }) => (
      <>
        <h1>New story</h1>
        {sections.length === 0 ? (
          <p>There are no sections yet; an editor adds them under Sections.</p>
        ) : (
          <form class="stack" method="post" action="/newsroom/stories/new" novalidate>
            <Csrf token={csrf} />
            <StoryFields values={values} errors={errors} sections={sections} authors={authors} />
            <div>
              <button type="submit">Create draft</button>
            </div>
          </form>
        )}
      </>
    ));
  };

  app.get('/newsroom/stories/new', { config: writers }, (request, reply) => newPage(request, reply));

  app.post('/newsroom/stories/new', { config: writers }, async (request, reply) => {
    const values = formFields(request.body);
    try {
      const input = toStoryInput(values, await articles.authors());
      const article = await articles.save({ ...input, status: 'draft', ownerUserId: request.staff!.id });
      return reply.redirect(`/newsroom/stories/${article.id}/edit`, 303);
    } catch (error) {
      const failed = formErrors(error);
      if (!failed) throw error;
      return newPage(request, reply, values, failed.errors, failed.status);
    }
  });

  app.get('/newsroom/stories/:id/edit', { config: writers }, async (request, reply) => {
    const article = await editable(request);
    return showEdit(request, reply, article, { notice: noticeFor((request.query as Record<string, unknown>).done) });
  });

  /** A save of the form: published stories keep it as pending changes (the working copy). */
  async function saveForm(article: Article, values: StoryFormValues, by: Actor, expectedVersion = expectedVersionOf(values)): Promise<Article> {
    const prepared = deps.storyFormParts.reduce((fields, part) => part.prepare(fields), values);
    const input = toStoryInput(prepared, await articles.authors(), article);
    const saved = article.status === 'published' ? await articles.saveWorkingCopy(article.id, input, expectedVersion) : await articles.save(input, { id: article.id, expectedVersion, by });
    for (const part of deps.storyFormParts) await part.saved(saved, values, by);
    return saved;
  }

  /** A refused save shows the form again with the person's text; a stale one also shows what changed. */
  async function refused(request: FastifyRequest, reply: FastifyReply, article: Article, values: StoryFormValues, error: unknown) {
    const failed = formErrors(error);
    if (!failed) throw error;
    const current = (await articles.findById(article.id))!;
    let conflict;
    if (failed.status === 409 && failed.errors.some((e) => e.field === 'version')) {
      const base = await articles.revision(article.id, expectedVersionOf(values));
      if (base) conflict = compare(base, current);
    }
    return showEdit(request, reply, current, { values, errors: failed.errors, status: failed.status, conflict });
  }

  app.post('/newsroom/stories/:id/edit', { config: writers }, async (request, reply) => {
    const article = await editable(request);
    const values = formFields(request.body);
    try {
      await saveForm(article, values, request.actor!);
    } catch (error) {
      return refused(request, reply, article, values, error);
    }
    return reply.redirect(`/newsroom/stories/${article.id}/edit?done=${article.status === 'published' ? 'pending' : 'saved'}`, 303);
  });

  // The editor's autosave: the same fields as JSON; errors answer {errors} (the gate and the error
  // handler answer JSON to requests that accept it).
  const autosaveSchema = {
    // The form's fields as strings, and the version the island tracks as a number.
    body: Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String(), Type.Integer()])),
    response: { 200: Type.Object({ version: Type.Integer({ minimum: 1 }) }), 400: ErrorsJson, 404: ErrorsJson, 409: ErrorsJson },
  };
  app.post('/newsroom/stories/:id/autosave', { config: writers, schema: autosaveSchema }, async (request, reply) => {
    const article = await editable(request);
    // The form's fields arrive as strings; the version the island tracks arrives as a number.
    const raw = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    const saved = await saveForm(article, formFields(raw), request.actor!, expectedVersionOf(raw));
    await presence.heartbeat(article.id, request.staff!.id, request.staff!.name);
    return reply.send({ version: saved.version });
  });

  // "Update live story": saves the form as pending changes, then applies them for readers.
  app.post('/newsroom/stories/:id/update', { config: { permission: 'canPublish' } }, async (request, reply) => {
    const article = await editable(request);
    if (article.status !== 'published') throw new AppError('conflict', 'Only a published story has pending changes to apply.');
    const values = formFields(request.body);
    try {
      const pending = await saveForm(article, values, request.actor!);
      await articles.applyWorkingCopy(article.id, pending.version, request.actor!);
    } catch (error) {
      return refused(request, reply, article, values, error);
    }
    return reply.redirect(`/newsroom/stories/${article.id}/edit?done=updated`, 303);
  });

  registerStoryWorkflowRoutes(app, deps, screens);
  registerStoryHistoryRoutes(app, deps, screens);
}

/** Notices after a redirect, by key: the address never carries text to show. */
export const NOTICES: Record<string, string> = {
  saved: 'Saved.',
  pending: 'Saved as pending changes; readers still see the published version.',
  updated: 'The live story is updated.',
  submitted: 'Submitted for edit.',
  returned: 'Returned to draft.',
  published: 'Published.',
  scheduled: 'Scheduled.',
  unpublished: 'Unpublished: readers now see “removed” at its address.',
  corrected: 'Correction added.',
  restored: 'The older version is restored as a new version.',
};

/** The notice a `done` key names; anything else (including keys every object has) names none. */
export function noticeFor(done: unknown): string | undefined {
  return typeof done === 'string' && Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined;
}
