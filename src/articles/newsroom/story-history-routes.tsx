// Preview (the reader page, pending changes applied) and revisions: the list, "compare with
// current", and restoring an old version as a new one (publishing state unchanged).
import { storyInput } from '../story-input.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkBody } from '../body.ts';
import type { Article, ArticleInput } from '../model.ts';
import type { ArticleService } from '../article-service.ts';
import { slugify } from '../slug.ts';
import { AppError } from '../../platform/errors.ts';
import { Csrf, formFields } from '../../newsroom/forms.tsx';
import { compare, DiffView } from './story-diff.tsx';
import { formErrors } from './story-form.tsx';
import { expectedVersionOf, type storyScreens, type StoryDeps } from './story-screens.tsx';

const writers = { permission: 'canWriteStories' as const };

export function registerStoryHistoryRoutes(app: FastifyInstance, deps: StoryDeps, screens: ReturnType<typeof storyScreens>): void {
  const { articles, pages, site } = deps;
  const { editable, showEdit } = screens;

  app.get('/newsroom/stories/:id/preview', { config: writers }, async (request, reply) => {
    const article = await editable(request);
    const pending = article.status === 'published' ? await articles.workingCopy(article.id) : undefined;
    const shown = pending ? await withPending(articles, article, pending) : article;
    // The staff gate already marks every /newsroom answer no-store; noindex is said twice on purpose.
    return reply.header('x-robots-tag', 'noindex').type('text/html; charset=utf-8').send(await site.preview(shown));
  });

  /** The revision named in the address, or 404. */
  async function revisionOf(request: FastifyRequest, article: Article): Promise<Article> {
    const revision = await articles.revision(article.id, (request.params as { version: number }).version);
    if (!revision) throw new AppError('not_found', 'This story has no such version.');
    return revision;
  }

  app.get('/newsroom/stories/:id/revisions', { config: writers }, async (request, reply) => {
    const article = await editable(request);
    const revisions = await articles.revisions(article.id);
    const base = `/newsroom/stories/${article.id}`;
    return pages.send(request, reply, { title: `Revisions: ${article.headline}` }, () => (
      <>
        <h1>Revisions</h1>
        <p>
          <a href={`${base}/edit`}>Back to “{article.headline}”</a>
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved (UTC)</th>
              <th scope="col">Compare</th>
            </tr>
          </thead>
          <tbody>
            {revisions.map((r) => (
              <tr key={r.version}>
                <td>{r.version === article.version ? `${r.version} (current)` : r.version}</td>
                <td>{r.createdAt.slice(0, 19).replace('T', ' ')}</td>
                <td>{r.version !== article.version && <a href={`${base}/revisions/${r.version}`}>Compare with current</a>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ));
  });

  app.get('/newsroom/stories/:id/revisions/:version', { config: writers }, async (request, reply) => {
    const article = await editable(request);
    const revision = await revisionOf(request, article);
    const base = `/newsroom/stories/${article.id}`;
    return pages.send(request, reply, { title: `Version ${revision.version}: ${article.headline}` }, ({ csrf }) => (
      <>
        <h1>
          Version {revision.version} compared with the current version ({article.version})
        </h1>
        <p>
          <a href={`${base}/revisions`}>All revisions</a>
        </p>
        <DiffView diff={compare(revision, article)} />
        <h2>Restore this version</h2>
        <p>
          Restoring saves version {revision.version}'s text and fields as a new version; nothing is lost, and the story's publishing state stays
          as it is{article.status === 'published' ? ' (for a published story, as pending changes to review and apply)' : ''}.
        </p>
        <form method="post" action={`${base}/revisions/${revision.version}/restore`}>
          <Csrf token={csrf} />
          <input type="hidden" name="expectedVersion" value={String(article.version)} />
          <button type="submit">Restore version {revision.version}</button>
        </form>
      </>
    ));
  });

  app.post('/newsroom/stories/:id/revisions/:version/restore', { config: writers }, async (request, reply) => {
    const article = await editable(request);
    const revision = await revisionOf(request, article);
    try {
      const expectedVersion = expectedVersionOf(formFields(request.body));
      const input = storyInput(revision);
      if (article.status === 'published') await articles.saveWorkingCopy(article.id, input, expectedVersion);
      else await articles.save(input, { id: article.id, expectedVersion, by: request.staff! });
    } catch (error) {
      const failed = formErrors(error);
      if (!failed) throw error;
      return showEdit(request, reply, (await articles.findById(article.id))!, { errors: failed.errors, status: failed.status });
    }
    return reply.redirect(`/newsroom/stories/${article.id}/edit?done=${article.status === 'published' ? 'pending' : 'restored'}`, 303);
  });
}

/** The published story with its pending changes applied, as the preview shows it. */
async function withPending(articles: ArticleService, article: Article, pending: ArticleInput): Promise<Article> {
  const [section, authors] = await Promise.all([articles.sectionBySlug(pending.sectionSlug), articles.authors()]);
  const body = checkBody(pending.body).doc ?? article.body;
  return {
    ...article,
    headline: pending.headline,
    dek: pending.dek ?? article.dek,
    section: section ?? article.section,
    body,
    authors: (pending.authorSlugs ?? []).flatMap((slug) => authors.filter((a) => a.slug === slug)),
    topics: (pending.topicNames ?? []).map((name, i) => ({ id: -1 - i, slug: slugify(name), name })),
    credit: pending.credit ?? article.credit,
    leadImage: pending.leadImage === undefined ? article.leadImage : pending.leadImage,
    seoTitle: pending.seoTitle ?? article.seoTitle,
    seoDescription: pending.seoDescription ?? article.seoDescription,
    socialImageId: pending.socialImageId === undefined ? article.socialImageId : pending.socialImageId,
  };
}
