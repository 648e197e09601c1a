// A story page's head metadata: what search results and link previews show. The story's own
// search title and description win over its headline and dek; its social image wins over the
// lead image; a story with neither gets its drawn cards (social-card.ts). The JSON-LD keeps the
// headline: it describes the story itself.
import { excerpt } from '../articles/body.ts';
import type { Article } from '../articles/model.ts';
import type { ImageRecord } from '../media/image-service.ts';
import { shareImageOf, type ShareImage } from '../media/share-image.ts';
import { breadcrumbJsonLd, newsArticleJsonLd, type Publisher } from './json-ld.ts';
import type { PageMeta } from './layout.tsx';
import type { SocialCards } from './social-card.ts';

export interface ArticleMetaContext {
  publisher: Publisher;
  preview: boolean;
  /** The lead image's library record, when the page already has it. */
  leadPicture: ImageRecord | undefined;
  images: { find(id: number): Promise<ImageRecord | undefined> };
  cards: SocialCards;
}

export async function articleMeta(article: Article, context: ArticleMetaContext): Promise<PageMeta> {
  const { publisher, preview } = context;
  const { siteName, siteUrl } = publisher;
  const picture = await shareImage(article, context);
  const cards = picture ? [] : await context.cards.story(siteName, article.section.name, article.headline);
  const share = picture ?? cards[0]!;
  return {
    title: `${article.seoTitle || article.headline} – ${article.section.name} | ${siteName}`,
    description: article.seoDescription || article.dek || excerpt(article.body, 160),
    path: `/${article.section.slug}/${article.slug}`,
    type: 'article',
    image: share.url,
    imageAlt: share.alt,
    imageWidth: share.width,
    imageHeight: share.height,
    feedBase: `/${article.section.slug}`,
    feedTitle: `${siteName}: ${article.section.name}`,
    jsonLd: [
      newsArticleJsonLd(article, publisher, picture ? [{ ...picture, caption: article.leadImage?.caption }] : cards),
      breadcrumbJsonLd(siteUrl, [
        { name: siteName, path: '/' },
        { name: article.section.name, path: `/${article.section.slug}` },
        { name: article.headline, path: `/${article.section.slug}/${article.slug}` },
      ]),
    ],
    extraMeta: [
      ...(article.publishedAt ? [{ property: 'article:published_time', content: article.publishedAt }] : []),
      { property: 'article:modified_time', content: article.updatedAt },
      { property: 'article:section', content: article.section.name },
      ...article.topics.map((t) => ({ property: 'article:tag', content: t.name })),
    ],
    noindex: preview || undefined,
  };
}

/** The social image when it is set and still in the library; else the lead image. */
async function shareImage(article: Article, { leadPicture, images }: ArticleMetaContext): Promise<ShareImage | undefined> {
  const socialId = article.socialImageId;
  if (socialId) {
    const social = socialId === leadPicture?.id ? leadPicture : await images.find(socialId);
    const share = social && shareImageOf(social);
    if (share) return share;
  }
  if (leadPicture) return shareImageOf(leadPicture);
  return article.leadImage ? { url: article.leadImage.url, alt: article.leadImage.alt } : undefined;
}
