// The newsroom's Related Articles screen for one story (editors and administrators): the stored
// list as readers see it, with why each item was chosen (shared topics, the words weighing most,
// the days between the stories, the score), and the editors' pins and exclusions. A pin or an
// exclusion recomputes the list at once; the story's page follows through the change feed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleService } from '../../articles/article-service.ts';
import { Csrf, ErrorSummary, Field, attempt, formFields } from '../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import type { FieldError } from '../../platform/errors.ts';
import type { RelatedService } from '../related-service.ts';

const editors = { permission: 'canEditAnyStory' as const };
const NOTICES: Record<string, string> = {
  pin: 'Pinned: it shows first under this story.',
  exclude: 'Excluded: it will not show under this story.',
  clear: 'Taken back: the story is ranked like any other again.',
};

export function registerRelatedDesk(app: FastifyInstance, deps: { related: RelatedService; articles: ArticleService; pages: NewsroomPages }): void {
  const { related, pages } = deps;

  const screen = async (request: FastifyRequest, reply: FastifyReply, articleId: number, options: { errors?: FieldError[]; status?: number; notice?: string; story?: string } = {}) => {
    const story = await related.requireStory(articleId);
    const { items, choices } = await related.explain(articleId);
    const errors = options.errors ?? [];
    const base = `/newsroom/stories/${articleId}/related`;
    return pages.send(request, reply, { title: `Related Articles: ${story.headline}`, status: options.status }, ({ csrf }) => (
      <>
        <h1>Related Articles</h1>
        <p>
          Under <a href={`/newsroom/stories/${articleId}/edit`}>{story.headline}</a>. Computed when a story is published or updated, and again when a newer story is published that belongs here; never padded with unrelated stories.
        </p>
        {options.notice && (
          <p class="notice" role="status">
            {options.notice}
          </p>
        )}
        <ErrorSummary errors={errors} />
        {items.length === 0 ? (
          <p class="muted">{story.status === 'published' ? 'No story is related closely enough yet: readers see no Related Articles under this one.' : 'The list is made when the story is published.'}</p>
        ) : (
          <table>
            <caption>What readers see, in order</caption>
            <thead>
              <tr>
                <th scope="col">Story</th>
                <th scope="col">Why</th>
                <th scope="col">Days apart</th>
                <th scope="col">Score</th>
                <th scope="col">
                  <span class="skip">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.relatedId}>
                  <td>
                    <a href={`/newsroom/stories/${item.relatedId}/edit`}>{item.headline}</a>
                  </td>
                  <td>
                    {item.reason.pinned && <strong>Pinned by an editor. </strong>}
                    {item.reason.topics.length > 0 && <>Topics: {item.reason.topics.join(', ')}. </>}
                    {item.reason.terms.length > 0 && <>Words: {item.reason.terms.join(', ')}.</>}
                  </td>
                  <td>{item.reason.pinned ? '' : item.reason.ageDays.toFixed(1)}</td>
                  <td>{item.reason.pinned ? 'pinned' : item.score.toFixed(3)}</td>
                  <td>
                    {!item.reason.pinned && (
                      <ChoiceButton action={base} csrf={csrf} relatedId={item.relatedId} choice="exclude" label={`Exclude “${item.headline}”`} text="Exclude" />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>Pins and exclusions</h2>
        {choices.length === 0 ? (
          <p class="muted">None: the list is computed alone.</p>
        ) : (
          <ul>
            {choices.map((c) => (
              <li key={c.relatedId}>
                {c.choice === 'pin' ? 'Pinned' : 'Excluded'}: {c.headline} ({c.status}), by {c.chosenBy}{' '}
                <form method="post" action={`${base}/clear`} class="inline">
                  <Csrf token={csrf} />
                  <input type="hidden" name="relatedId" value={String(c.relatedId)} />
                  <button class="quiet" type="submit" aria-label={`Take back the ${c.choice} of “${c.headline}”`}>
                    Take back
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <form class="stack" method="post" action={base} novalidate>
          <Csrf token={csrf} />
          <Field name="story" label="Story" hint="Its number (in its edit address) or its address on the site (/world/…)." value={options.story} errors={errors} required />
          <fieldset>
            <legend>Choice</legend>
            <label>
              <input type="radio" name="choice" value="pin" checked /> Pin: show it first under this story
            </label>
            <label>
              <input type="radio" name="choice" value="exclude" /> Exclude: never show it under this story
            </label>
          </fieldset>
          <div>
            <button type="submit">Save choice</button>
          </div>
        </form>
      </>
    ));
  };

  app.get('/newsroom/stories/:id/related', { config: editors }, async (request, reply) => {
    const id = (request.params as { id: number }).id;
    const done = String((request.query as Record<string, unknown>).done ?? '');
    return screen(request, reply, id, { notice: NOTICES[done] });
  });

  app.post('/newsroom/stories/:id/related', { config: editors }, async (request, reply) => {
    const id = (request.params as { id: number }).id;
    await related.requireStory(id);
    const fields = formFields(request.body);
    const story = (fields.story ?? '').trim();
    const choice = fields.choice === 'exclude' ? 'exclude' : fields.choice === 'pin' ? 'pin' : undefined;
    if (!choice) return screen(request, reply, id, { errors: [{ field: 'choice', message: 'Choose whether to pin or exclude the story.' }], status: 400, story });
    const relatedId = await storyNumber(deps.articles, story);
    if (typeof relatedId === 'string') return screen(request, reply, id, { errors: [{ field: 'story', message: relatedId }], status: 400, story });
    const result = await attempt(() => related.choose(id, relatedId, choice, request.actor!));
    if ('errors' in result) return screen(request, reply, id, { errors: result.errors.map((e) => ({ ...e, field: 'story' })), status: result.status, story });
    return reply.redirect(`/newsroom/stories/${id}/related?done=${choice}`, 303);
  });

  app.post('/newsroom/stories/:id/related/clear', { config: editors }, async (request, reply) => {
    const id = (request.params as { id: number }).id;
    await related.requireStory(id);
    const relatedId = Number(formFields(request.body).relatedId);
    if (!Number.isInteger(relatedId) || relatedId < 1 || relatedId >= 2 ** 31 || !(await related.clearChoice(id, relatedId))) {
      return screen(request, reply, id, { errors: [{ field: 'story', message: 'That story is neither pinned nor excluded here.' }], status: 400 });
    }
    return reply.redirect(`/newsroom/stories/${id}/related?done=clear`, 303);
  });
}

function ChoiceButton(props: { action: string; csrf: string; relatedId: number; choice: 'pin' | 'exclude'; label: string; text: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <Csrf token={props.csrf} />
      <input type="hidden" name="story" value={String(props.relatedId)} />
      <input type="hidden" name="choice" value={props.choice} />
      <button class="quiet" type="submit" aria-label={props.label}>
        {props.text}
      </button>
    </form>
  );
}

/** The story a person named by number or by its address on the site; a sentence saying what is wrong otherwise. */
async function storyNumber(articles: ArticleService, text: string): Promise<number | string> {
  if (text === '') return 'Give the number or the address of a story.';
  if (/^\d{1,10}$/.test(text)) {
    const id = Number(text);
    return id >= 1 && id < 2 ** 31 ? id : 'There is no story with that number.';
  }
  const path = text.replace(/^https?:\/\/[^/]+/i, '').split(/[?#]/)[0]!;
  const match = /^\/([a-z0-9-]{1,100})\/([a-z0-9-]{1,200})\/?$/.exec(path);
  if (!match) return 'Give a story number (like 42) or an address on the site (like /world/some-story).';
  const story = await articles.findPublished(match[1]!, match[2]!);
  return story ? story.id : 'No published story has that address.';
}
