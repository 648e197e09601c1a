// The dashboard: the newsroom's front page. Shows what went out today (in the site's time zone).
import type { FastifyInstance } from 'fastify';
import { articlePath } from '../articles/model.ts';
import type { ArticlesService } from '../articles/service.ts';
import type { NewsroomPages } from './layout.tsx';

export interface DashboardDeps {
  articles: ArticlesService;
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
    return pages.send(request, reply, { title: 'Dashboard' }, ({ staff }) => (
      <>
        <h1>{`Good to see you, ${staff!.name}`}</h1>
        <div class="cards">
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
