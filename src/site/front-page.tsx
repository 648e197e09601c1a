// The home front: the lead story, the latest stories, and a rail for each section.
import { articlePath, type ArticleSummary, type Section } from '../articles/model.ts';
import type { DateFormatter } from './dates.ts';
import { CommentCount, StoryList } from './story-list.tsx';

export interface FrontView {
  siteName: string;
  lead: ArticleSummary | undefined;
  /** The opening of the lead story, under its dek. */
  leadExcerpt: string;
  /** The next stories, shown with their deks beside the lead. */
  top: ArticleSummary[];
  latest: ArticleSummary[];
  rails: { section: Section; stories: ArticleSummary[] }[];
  dates: DateFormatter;
  /** Approved comments per story shown. */
  commentCounts: Map<number, number>;
}

export function FrontPage({ siteName, lead, leadExcerpt, top, latest, rails, dates, commentCounts }: FrontView) {
  if (!lead) {
    return (
      <section class="notice">
        <h1>{siteName}</h1>
        <p>No stories have been published yet. Check back soon.</p>
      </section>
    );
  }
  return (
    <>
      <h1 class="visually-hidden">{siteName}: top stories</h1>
      <div class="front-lead">
        <div>
        <article class="lead-story">
          <p class="kicker">
            <a href={`/${lead.section.slug}`}>{lead.section.name}</a>
          </p>
          <h2>
            <a href={articlePath(lead)}>{lead.headline}</a>
          </h2>
          {lead.dek && <p class="dek">{lead.dek}</p>}
          {leadExcerpt && <p class="lead-excerpt">{leadExcerpt}</p>}
          <time dateTime={lead.publishedAt}>{dates.long(lead.publishedAt)}</time>
          <CommentCount count={commentCounts.get(lead.id) ?? 0} href={`${articlePath(lead)}#comments`} />
        </article>
          {top.length > 0 && (
            <section class="top-stories" aria-labelledby="top-heading">
              <h2 id="top-heading" class="visually-hidden">
                Top stories
              </h2>
              <StoryList stories={top} dates={dates} commentCounts={commentCounts} />
            </section>
          )}
        </div>
        {latest.length > 0 && (
          <section class="latest" aria-labelledby="latest-heading">
            <h2 id="latest-heading">Latest</h2>
            <StoryList stories={latest} dates={dates} commentCounts={commentCounts} />
          </section>
        )}
      </div>
      <div class="rails">
        {rails
          .filter((rail) => rail.stories.length > 0)
          .map((rail) => (
            <section class="rail" key={rail.section.id} aria-labelledby={`rail-${rail.section.slug}`}>
              <h2 id={`rail-${rail.section.slug}`}>
                <a href={`/${rail.section.slug}`}>{rail.section.name}</a>
              </h2>
              <StoryList stories={rail.stories} dates={dates} commentCounts={commentCounts} />
            </section>
          ))}
      </div>
    </>
  );
}
