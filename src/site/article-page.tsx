// The article page: every part of a story, in reading order.
import { placeAdSlots } from '../ads/placement.ts';
import { AdSlot } from '../ads/ad-slot.tsx';
import type { Creative } from '../ads/ad-service.ts';
import { BodyBlock } from '../articles/body-view.tsx';
import type { Article } from '../articles/model.ts';
import type { Caption, Video } from '../media/video/video-service.ts';
import { VideoFacade } from '../media/video/video-facade.tsx';
import { ResponsivePicture, type PictureImage } from '../media/image-picture.tsx';
import type { VNode } from 'preact';
import type { DateFormatter } from './dates.ts';

export interface ArticleView {
  article: Article;
  videos: Map<number, Video>;
  /** Each clip's captions by language (tracks and the transcript). */
  captions?: Map<number, Caption[]>;
  /** The player chunk a facade loads on a click. */
  playerUrl?: string;
  /** The creative for each ad slot, in order; fewer than the slots (or none) collapses the rest. */
  creativeFor: (slotIndex: number) => Creative | undefined;
  dates: DateFormatter;
  siteName: string;
  /** The lead image from the media library, rendered responsively (else the stored lead image). */
  leadPicture?: PictureImage;
  /** The media-library images the body shows, by id; one missing (deleted) is left out of the page. */
  bodyPictures?: Map<number, PictureImage>;
  /** A box another feature places in the story (the alerts sign-up): where, by its own rule, and what. */
  box?: { node: VNode; place: BoxPlacer };
}

/** Where in a story a box goes: after block `inside`, or after the body. */
export type BoxPlacer = (blocks: readonly { type: string }[], adSlotsAfter: ReadonlySet<number>) => { inside: number } | 'after-body';

export function ArticlePage({ article, videos, captions, playerUrl, creativeFor, dates, siteName, leadPicture, bodyPictures, box }: ArticleView) {
  const slotsAfter = new Set(placeAdSlots(article.body.content));
  const boxPlace = box?.place(article.body.content, slotsAfter);
  const boxAfter = boxPlace && boxPlace !== 'after-body' ? boxPlace.inside : -1;
  let slotIndex = 0;
  const updated = article.publishedAt && article.updatedAt > article.publishedAt ? article.updatedAt : null;
  return (
    <article class="story">
      <header>
        <p class="kicker">
          <a href={`/${article.section.slug}`}>{article.section.name}</a>
        </p>
        <h1>{article.headline}</h1>
        {article.dek && <p class="dek">{article.dek}</p>}
        <div class="meta">
          <p class="byline">
            By <Byline article={article} siteName={siteName} />
          </p>
          {article.publishedAt && (
            <p>
              Posted <time dateTime={article.publishedAt}>{dates.long(article.publishedAt)}</time>
              {updated && (
                <>
                  {' · '}Updated <time dateTime={updated}>{dates.long(updated)}</time>
                </>
              )}
            </p>
          )}
        </div>
      </header>
      {leadPicture ? (
        <ResponsivePicture image={leadPicture} lead class="lead-image" />
      ) : article.leadImage && (
        <figure class="lead-image">
          <img src={article.leadImage.url} alt={article.leadImage.alt} />
          {(article.leadImage.caption || article.leadImage.credit) && (
            <figcaption>
              {article.leadImage.caption} {article.leadImage.credit && <span>({article.leadImage.credit})</span>}
            </figcaption>
          )}
        </figure>
      )}
      <div class="story-body">
        {article.body.content.map((block, i) => {
          const content =
            block.type === 'video' ? (
              <VideoFacade
                title={block.attrs.title}
                caption={block.attrs.caption}
                video={block.attrs.videoId === null ? undefined : videos.get(block.attrs.videoId)}
                captions={block.attrs.videoId === null ? undefined : captions?.get(block.attrs.videoId)}
                playerUrl={playerUrl}
              />
            ) : (
              block.type === 'image' ? (
                <BodyPicture picture={bodyPictures?.get(block.attrs.imageId)} caption={block.attrs.caption} />
              ) : (
                <BodyBlock block={block} />
              )
            );
          if (i === boxAfter) {
            return (
              <>
                {content}
                {box!.node}
              </>
            );
          }
          if (!slotsAfter.has(i)) return content;
          const creative = creativeFor(slotIndex++);
          return (
            <>
              {content}
              {creative && <AdSlot creative={creative} position={slotIndex} />}
            </>
          );
        })}
        {article.credit.text && <p class="credit-line">{article.credit.text}</p>}
      </div>
      {boxPlace === 'after-body' && box!.node}
      {article.corrections.length > 0 && (
        <aside class="corrections" aria-labelledby="corrections-title">
          <h2 id="corrections-title">{article.corrections.length === 1 ? 'Correction' : 'Corrections'}</h2>
          {article.corrections.map((c) => (
            <p key={c.id}>
              <time dateTime={c.createdAt}>{dates.long(c.createdAt)}</time>: {c.text}
            </p>
          ))}
        </aside>
      )}
      {article.topics.length > 0 && (
        <nav aria-label="Topics">
          <ul class="topics">
            {article.topics.map((topic) => (
              <li key={topic.id}>
                <a href={`/topic/${topic.slug}`}>{topic.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <p class="back-to-top">
        <a href="#top">
          <span aria-hidden="true">↑ </span>Back to top
        </a>
      </p>
    </article>
  );
}

/** A picture inside the story: the story's own caption when it has one, else the library's. */
function BodyPicture({ picture, caption }: { picture: PictureImage | undefined; caption: string | undefined }) {
  if (!picture) return null;
  return <ResponsivePicture image={caption ? { ...picture, caption } : picture} class="body-image" />;
}

/** Staff bylines when there are any; else the agencies in the credit; else the newsroom. */
function Byline({ article, siteName }: { article: Article; siteName: string }) {
  if (article.authors.length === 0) {
    return <>{article.credit.agencies.length ? joinNames(article.credit.agencies) : `${siteName} Staff`}</>;
  }
  return (
    <>
      {article.authors.map((author, i) => (
        <>
          {i > 0 && (i === article.authors.length - 1 ? ' and ' : ', ')}
          <a href={`/author/${author.slug}`}>{author.name}</a>
        </>
      ))}
    </>
  );
}

export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
