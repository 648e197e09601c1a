// A list of stories as fronts and listing pages show them.
import { articlePath, type ArticleSummary } from '../articles/model.ts';
import type { DateFormatter } from './dates.ts';

export function StoryList({ stories, dates, headingLevel = 3, commentCounts }: { stories: ArticleSummary[]; dates: DateFormatter; headingLevel?: 2 | 3; commentCounts?: Map<number, number> }) {
  const Heading = `h${headingLevel}` as 'h2' | 'h3';
  return (
    <ul class="story-list">
      {stories.map((story) => (
        <li key={story.id}>
          <Heading>
            <a href={articlePath(story)}>{story.headline}</a>
          </Heading>
          {story.dek && <p>{story.dek}</p>}
          <time dateTime={story.publishedAt}>{dates.short(story.publishedAt)}</time>
          <CommentCount count={commentCounts?.get(story.id) ?? 0} href={`${articlePath(story)}#comments`} />
        </li>
      ))}
    </ul>
  );
}

/** "3 comments" on a card, linking to the thread; nothing when there are none. */
export function CommentCount({ count, href }: { count: number; href: string }) {
  if (count === 0) return null;
  return (
    <>
      {' · '}
      <a class="comment-count" href={href}>
        {count === 1 ? '1 comment' : `${count.toLocaleString('en')} comments`}
      </a>
    </>
  );
}
