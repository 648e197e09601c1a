// "Related Articles" under a story, as the seed page has it: up to six cards, each with its
// picture, section, headline and time. Drawn from the stored list (the reader's request computes
// nothing); left out when the list is empty.
import { articlePath, type ArticleSummary } from '../articles/model.ts';
import { ResponsivePicture, type PictureImage } from '../media/image-picture.tsx';
import type { DateFormatter } from '../site/dates.ts';

/** A card's picture: two or three to a row on wide screens, the column on phones (styles.css .related). */
const CARD_SIZES = '(min-width: 44rem) 14rem, calc(50vw - 1.5rem)';

export function RelatedArticles({ stories, pictures, dates }: { stories: ArticleSummary[]; pictures: Map<number, PictureImage>; dates: DateFormatter }) {
  return (
    <section class="related" aria-labelledby="related-heading">
      <h2 id="related-heading">Related Articles</h2>
      <ul>
        {stories.map((story) => (
          <li key={story.id}>
            <CardPicture story={story} picture={story.leadImage?.imageId ? pictures.get(story.leadImage.imageId) : undefined} />
            <p class="kicker">{story.section.name}</p>
            <h3>
              <a href={articlePath(story)}>{story.headline}</a>
            </h3>
            <time dateTime={story.publishedAt}>{dates.short(story.publishedAt)}</time>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The lead image, small; its caption and credit stay with the story itself. */
function CardPicture({ story, picture }: { story: ArticleSummary; picture: PictureImage | undefined }) {
  if (picture) return <ResponsivePicture image={{ ...picture, caption: '', credit: '' }} sizes={CARD_SIZES} class="related-picture" />;
  if (!story.leadImage?.url) return null;
  return (
    <figure class="related-picture">
      <img src={story.leadImage.url} alt={story.leadImage.alt} width={320} height={180} loading="lazy" decoding="async" />
    </figure>
  );
}
