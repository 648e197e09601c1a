// A list of stories as fronts and listing pages show them.
import { articlePath, type ArticleSummary } from '../articles/model.ts';
import type { DateFormatter } from './dates.ts';

export function StoryList({ stories, dates, headingLevel = 3 }: { stories: ArticleSummary[]; dates: DateFormatter; headingLevel?: 2 | 3 }) {
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
        </li>
      ))}
    </ul>
  );
}
