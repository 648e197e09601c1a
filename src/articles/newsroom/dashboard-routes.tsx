// The dashboard: the newsroom's front page. What waits for an editor, what is scheduled and when,
// and what went out today (in the site's time zone).
import type { FastifyInstance } from 'fastify';
import { allows } from '../../newsroom/permissions.ts';
import { articlePath } from '../model.ts';
import type { ArticleService } from '../article-service.ts';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import { StoryLink } from './story-link.tsx';

export interface DashboardDeps {
  articles: ArticleService;
  pages: NewsroomPages;
  timeZone: string;
  now(): Date;
}

/** The calendar day of `date` in `timeZone`, as YYYY-MM-DD. */
export function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export function registerDashboardRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { articles, pages, timeZone } = deps;
  const timeOf = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });

  app.get('/newsroom', { config: { permission: 'canUseNewsroom' } }, async (request, reply) => {
    const today = dayIn(deps.now(), timeZone);
    // The newest 100 cover any day's output; older stories stop the list at yesterday.
    const recent = await articles.listPublished({}, { limit: 100 });
    const publishedToday = recent.filter((a) => dayIn(new Date(a.publishedAt), timeZone) === today);
    // Writers see their own stories here; editors see the whole desk.
    const own = allows(request.actor, 'canEditAnyStory') ? {} : { ownerUserId: request.actor?.id ?? -1 };
    const [awaiting, scheduled] = await Promise.all([
      articles.listForNewsroom({ ...own, status: 'ready' }, 50),
      articles.listForNewsroom({ ...own, status: 'scheduled' }, 50),
    ]);
    scheduled.sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''));
    const when = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    return pages.send(request, reply, { title: 'Dashboard' }, ({ staff }) => (
      <>
        <h1>{`Good to see you, ${staff!.name}`}</h1>
        <div class="cards">
          <section class="card" aria-labelledby="awaiting-edit">
            <h2 id="awaiting-edit">{`Ready for edit (${awaiting.length})`}</h2>
            {awaiting.length === 0 ? (
              <p class="muted">Nothing is waiting for an editor.</p>
            ) : (
              <ul>
                {awaiting.map((a) => (
                  <li key={a.id}>
                    <StoryLink actor={request.actor} story={a} /> <span class="muted">{a.sectionName}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="card" aria-labelledby="scheduled">
            <h2 id="scheduled">{`Scheduled (${scheduled.length})`}</h2>
            {scheduled.length === 0 ? (
              <p class="muted">Nothing is scheduled.</p>
            ) : (
              <ul>
                {scheduled.map((a) => (
                  <li key={a.id}>
                    <time class="muted" dateTime={a.publishedAt ?? undefined}>
                      {a.publishedAt ? when.format(new Date(a.publishedAt)) : ''}
                    </time>{' '}
                    <StoryLink actor={request.actor} story={a} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="card" aria-labelledby="published-today">
            <h2 id="published-today">{`Published today (${publishedToday.length})`}</h2>
            {publishedToday.length === 0 ? (
              <p class="muted">Nothing yet today.</p>
            ) : (
              <ul>
                {publishedToday.map((a) => (
                  <li key={a.id}>
                    <span class="muted">{timeOf.format(new Date(a.publishedAt))}</span> <a href={articlePath(a)}>{a.headline}</a>{' '}
                    <span class="muted">{a.section.name}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </>
    ));
  });
}
