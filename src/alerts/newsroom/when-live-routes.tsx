// The newsroom's alerts that wait for a scheduled story (when-live.ts): write one for a scheduled
// story, see every one waiting with the story's time, take one back. Editors and administrators.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Csrf, ErrorSummary, Field, TextArea, attempt } from '../../newsroom/forms.tsx';
import { topicKey } from '../audience.ts';
import { AudienceFields, formValues, one, topicChoices, type TopicChoices, type Values } from './alert-form-parts.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import type { FieldError } from '../../platform/errors.ts';
import { TEXT_MAX, TITLE_MAX } from '../alert-service.ts';
import type { WhenLiveAlerts } from '../when-live.ts';

export interface WhenLiveDeps {
  whenLive: WhenLiveAlerts;
  pages: NewsroomPages;
  sections(): Promise<{ slug: string; name: string }[]>;
  topics: TopicChoices;
  /** A story's headline, dek, section and state, for the form's first values. */
  story(articleId: number): Promise<{ status: string; headline: string; dek: string; section: string; topics: { slug: string }[] } | null>;
}

const senders = { permission: 'canSendAlerts' as const };

export function registerWhenLiveDesk(app: FastifyInstance, deps: WhenLiveDeps): void {
  const { whenLive, pages } = deps;

  const formPage = async (request: FastifyRequest, reply: FastifyReply, values: Values, errors: FieldError[] = [], status = 200) => {
    const [sections, topics] = await Promise.all([deps.sections(), topicChoices(values, deps.topics)]);
    return pages.send(request, reply, { title: 'An alert for when a story goes live', status }, ({ csrf }) => (
      <>
        <h1>An alert for when a story goes live</h1>
        <p>It is sent once, at the moment the scheduled story is published; not at all if the story is unpublished or taken back to draft first.</p>
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/alerts/when-live" novalidate>
          <Csrf token={csrf} />
          <Field name="articleId" label="Story number" hint="The scheduled story (its number is in its edit address)." value={one(values.articleId)} errors={errors} inputMode="numeric" required />
          <Field name="title" label="Title" hint={`Up to ${TITLE_MAX} characters.`} value={one(values.title)} errors={errors} required />
          <TextArea name="text" label="Text" hint={`Up to ${TEXT_MAX} characters.`} value={one(values.text)} errors={errors} />
          <AudienceFields sections={sections} topics={topics} chosen={values.sections} errors={errors} />
          <div>
            <button type="submit">Send when it goes live</button>
          </div>
        </form>
      </>
    ));
  };

  app.get('/newsroom/alerts/when-live', { config: senders }, async (request, reply) => {
    const articleId = String((request.query as Record<string, unknown>).article ?? '');
    const story = /^\d{1,10}$/.test(articleId) ? await deps.story(Number(articleId)) : null;
    const waiting = story ? await whenLive.waiting(Number(articleId)) : undefined;
    const values: Values = waiting
      ? { articleId, title: waiting.title, text: waiting.text, sections: waiting.sections }
      : story
        ? { articleId, title: story.headline.slice(0, TITLE_MAX), text: story.dek.slice(0, TEXT_MAX), sections: [story.section, ...story.topics.map((t) => topicKey(t.slug))] }
        : {};
    return formPage(request, reply, values);
  });

  app.post('/newsroom/alerts/when-live', { config: senders }, async (request, reply) => {
    const values = formValues(request.body);
    const articleId = Number(one(values.articleId));
    if (!Number.isInteger(articleId) || articleId < 1 || articleId >= 2 ** 31) {
      return formPage(request, reply, values, [{ field: 'articleId', message: 'Give the number of a scheduled story.' }], 400);
    }
    const result = await attempt(() => whenLive.arm({ articleId, title: one(values.title), text: one(values.text), sections: values.sections }, request.actor!));
    if ('errors' in result) {
      // A story that does not exist is the form's problem here, not a missing page.
      const errors = result.status === 404 ? [{ field: 'articleId', message: 'There is no story with that number.' }] : result.errors;
      return formPage(request, reply, values, errors, result.status === 404 ? 400 : result.status);
    }
    return reply.redirect(`/newsroom/alerts/waiting?armed=${articleId}`, 303);
  });

  app.get('/newsroom/alerts/waiting', { config: senders }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const waiting = await whenLive.list();
    const notice = query.armed ? 'The alert will be sent when the story goes live.' : query.cancelled ? 'The alert was taken off the story: it will not be sent.' : '';
    return pages.send(request, reply, { title: 'Alerts waiting for their story' }, ({ csrf }) => (
      <>
        <h1>Alerts waiting for their story</h1>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <p>
          <a href="/newsroom/alerts/when-live">Write an alert for a scheduled story</a> · <a href="/newsroom/alerts">Alerts sent</a>
        </p>
        {waiting.length === 0 ? (
          <p class="muted">No alert is waiting for a story.</p>
        ) : (
          <table>
            <caption class="skip">Alerts waiting for a scheduled story</caption>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Story</th>
                <th scope="col">Goes live</th>
                <th scope="col">Written by</th>
                <th scope="col">
                  <span class="skip">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {waiting.map((w) => (
                <tr key={w.articleId}>
                  <td>
                    <a href={`/newsroom/alerts/when-live?article=${w.articleId}`}>{w.title}</a>
                  </td>
                  <td>
                    <a href={`/newsroom/stories/${w.articleId}/edit`}>{w.story?.headline ?? `Story ${w.articleId}`}</a>
                  </td>
                  <td>{w.story?.status === 'scheduled' && w.story.publishedAt ? w.story.publishedAt.slice(0, 16).replace('T', ' ') : `not scheduled (${w.story?.status ?? 'gone'}): it will not be sent`}</td>
                  <td>{w.armedBy}</td>
                  <td>
                    <form method="post" action={`/newsroom/alerts/waiting/${w.articleId}/cancel`}>
                      <Csrf token={csrf} />
                      <button class="quiet" type="submit" aria-label={`Do not send “${w.title}”`}>
                        Do not send
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ));
  });

  app.post('/newsroom/alerts/waiting/:id/cancel', { config: senders }, async (request, reply) => {
    await whenLive.cancel((request.params as { id: number }).id, request.actor!);
    return reply.redirect('/newsroom/alerts/waiting?cancelled=1', 303);
  });
}
