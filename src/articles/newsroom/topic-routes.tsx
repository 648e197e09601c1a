// Topics, for editors: every topic with its kind and stories' spellings, and a form per topic for
// its description (shown on its reader page), its kind and its aliases (other spellings that name
// it, so a story tagged "Zelensky" gets "Volodymyr Zelenskyy").
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, type FieldError } from '../../platform/errors.ts';
import { attempt, Csrf, ErrorSummary, Field, formFields, TextArea } from '../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import { TOPIC_KINDS } from '../topics/topic-kinds.ts';
import { TOPIC_LIMITS, type TopicService } from '../topics/topic-service.ts';

const editors = { permission: 'canManageSections' as const };

export function registerTopicRoutes(app: FastifyInstance, deps: { topics: TopicService; pages: NewsroomPages }): void {
  const { topics, pages } = deps;

  app.get('/newsroom/topics', { config: editors }, async (request, reply) => {
    const list = await topics.list();
    return pages.send(request, reply, { title: 'Topics' }, () => (
      <>
        <h1>Topics</h1>
        <p>Stories get topics in the story form (suggested from their text). Here each topic gets its description, kind and other spellings.</p>
        {list.length === 0 ? (
          <p class="muted">No topic yet.</p>
        ) : (
          <table>
            <caption class="skip">Topics</caption>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Kind</th>
                <th scope="col">Other spellings</th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => (
                <tr key={t.id}>
                  <td>
                    <a href={`/newsroom/topics/${t.slug}`}>{t.name}</a>
                  </td>
                  <td>{t.kind}</td>
                  <td>{t.aliases.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ));
  });

  const editPage = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: { errors?: FieldError[]; form?: Record<string, string>; status?: number; notice?: string } = {}) => {
    const topic = await topics.bySlug(slug);
    if (!topic) throw notFound('There is no topic here.');
    const errors = extra.errors ?? [];
    const form = extra.form ?? { description: topic.description, kind: topic.kind, aliases: topic.aliases.join(', ') };
    return pages.send(request, reply, { title: `Topic: ${topic.name}`, status: extra.status }, ({ csrf }) => (
      <>
        <h1>{topic.name}</h1>
        <p>
          <a href={`/topic/${topic.slug}`}>Its page on the site</a> · <a href="/newsroom/topics">All topics</a>
        </p>
        {extra.notice && (
          <p class="notice" role="status">
            {extra.notice}
          </p>
        )}
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action={`/newsroom/topics/${topic.slug}`} novalidate>
          <Csrf token={csrf} />
          <TextArea name="description" label="Description" hint={`Shown at the top of the topic's page; at most ${TOPIC_LIMITS.description} characters.`} value={form.description} errors={errors} />
          <div>
            <label for="kind">Kind</label>
            {errors.find((e) => e.field === 'kind') && <p class="field-error">{errors.find((e) => e.field === 'kind')!.message}</p>}
            <select id="kind" name="kind">
              {TOPIC_KINDS.map((kind) => (
                <option key={kind} value={kind} selected={form.kind === kind}>
                  {kind}
                </option>
              ))}
            </select>
          </div>
          <Field name="aliases" label="Other spellings" hint="Separated by commas, e.g. Zelensky, Zelenskiy. Each names this topic when a story is tagged with it." value={form.aliases} errors={errors} />
          <div>
            <button type="submit">Save topic</button>
          </div>
        </form>
      </>
    ));
  };

  app.get('/newsroom/topics/:slug', { config: editors }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    return editPage(request, reply, slug, { notice: (request.query as Record<string, unknown>).saved ? 'Saved: the topic page shows it now.' : undefined });
  });

  app.post('/newsroom/topics/:slug', { config: editors }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const form = formFields(request.body);
    const result = await attempt(() => topics.update(slug, { description: form.description ?? '', kind: form.kind, aliases: form.aliases ?? '' }));
    if ('errors' in result) return editPage(request, reply, slug, { errors: result.errors, form, status: result.status });
    return reply.redirect(`/newsroom/topics/${result.ok.slug}?saved=1`, 303);
  });
}
