// A paginated list of stories: a section, an author or a topic.
import type { VNode } from 'preact';
import type { ArticleSummary } from '../articles/model.ts';
import type { DateFormatter } from './dates.ts';
import { StoryList } from './story-list.tsx';

export interface ListingView {
  title: string;
  intro: string;
  /** A picture beside the title: an author's photo. */
  portrait?: VNode;
  stories: ArticleSummary[];
  page: number;
  pageCount: number;
  basePath: string;
  dates: DateFormatter;
  commentCounts?: Map<number, number>;
  /** A box after the list (the alerts sign-up on section pages). */
  box?: VNode;
}

export function ListingPage({ title, intro, portrait, stories, page, pageCount, basePath, dates, commentCounts, box }: ListingView) {
  const pageHref = (n: number) => (n === 1 ? basePath : `${basePath}?page=${n}`);
  return (
    <section class="listing">
      {portrait ? (
        <div class="profile">
          {portrait}
          <div>
            <h1>{title}</h1>
            {intro && <p>{intro}</p>}
          </div>
        </div>
      ) : (
        <>
          <h1>{title}</h1>
          {intro && <p>{intro}</p>}
        </>
      )}
      {stories.length ? <StoryList stories={stories} dates={dates} headingLevel={2} commentCounts={commentCounts} /> : <p>No stories here yet.</p>}
      {box}
      {pageCount > 1 && (
        <nav class="pager" aria-label="Pages">
          {page > 1 ? <a href={pageHref(page - 1)} rel="prev">← Newer stories</a> : <span />}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? <a href={pageHref(page + 1)} rel="next">Older stories →</a> : <span />}
        </nav>
      )}
    </section>
  );
}
