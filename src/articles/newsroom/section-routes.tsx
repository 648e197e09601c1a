// Sections, for editors: the list and a form to add one. Author profiles have their own screens
// (author-routes.tsx).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../platform/errors.ts';
import { attempt, Csrf, ErrorSummary, Field, formFields } from '../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import type { ArticleService } from '../article-service.ts';

export interface SectionDeps {
  articles: ArticleService;
  pages: NewsroomPages;
}

type Extra = { errors?: FieldError[]; form?: Record<string, string>; status?: number; notice?: string };

export function registerSectionRoutes(app: FastifyInstance, deps: SectionDeps): void {
  const { articles, pages } = deps;
  const editors = { permission: 'canManageSections' as const };

  const sectionsPage = async (request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) => {
    const sections = await articles.sections();
    const errors = extra.errors ?? [];
    return pages.send(request, reply, { title: 'Sections', status: extra.status }, ({ csrf }) => (
      <>
        <h1>Sections</h1>
        {extra.notice && <p class="notice">{extra.notice}</p>}
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <a href={`/${s.slug}`}>{s.name}</a> <span class="muted">/{s.slug}</span>
            </li>
          ))}
        </ul>
        <h2>Add a section</h2>
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/sections" novalidate>
          <Csrf token={csrf} />
          <Field name="name" label="Name" value={extra.form?.name} errors={errors} required />
          <Field name="slug" label="Address" hint="Lowercase letters, digits and dashes; left empty, it follows the name." value={extra.form?.slug} errors={errors} />
          <Field name="description" label="Description" value={extra.form?.description} errors={errors} />
          <div>
            <button type="submit">Add section</button>
          </div>
        </form>
      </>
    ));
  };

  app.get('/newsroom/sections', { config: editors }, (request, reply) => sectionsPage(request, reply));

  app.post('/newsroom/sections', { config: editors }, async (request, reply) => {
    const form = formFields(request.body);
    const result = await attempt(() => articles.createSection({ name: form.name ?? '', slug: form.slug?.trim() || undefined, description: form.description?.trim() ?? '' }));
    if ('errors' in result) return sectionsPage(request, reply, { errors: result.errors, form, status: result.status });
    return sectionsPage(request, reply, { notice: `Section "${result.ok.name}" added.`, status: 201 });
  });
}
