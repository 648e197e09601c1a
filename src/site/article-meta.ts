// A story page's head metadata: what search results and link previews show. The story's own
// search title and description win over its headline and dek; its social image wins over the
// lead image. The JSON-LD keeps the headline: it describes the story itself.
import { excerpt } from '../articles/body.ts';
import type { Article } from '../articles/model.ts';
import { shareImageOf, type ShareImage } from '../media/share-image.ts';
import type { ImageRecord } from '../media/image-service.ts';
import { newsArticleJsonLd } from './json-ld.ts';
import type { PageMeta } from './layout.tsx';

export interface ArticleMetaContext {
  siteName: string;
  siteUrl: string;
  preview: boolean;
  /** The lead image's library record, when the page already has it. */
  leadPicture: ImageRecord | undefined;
  images: { find(id: number): Promise<ImageRecord | undefined> };
}

export async function articleMeta(article: Article, context: ArticleMetaContext): Promise<PageMeta> {
  const { siteName, siteUrl, preview } = context;
  const share = await shareImage(article, context);
  return {
    title: `${article.seoTitle || article.headline} – ${article.section.name} | ${siteName}`,
    description: article.seoDescription || article.dek || excerpt(article.body, 160),
    path: `/${article.section.slug}/${article.slug}`,
    type: 'article',
    image: share?.url,
    imageAlt: share?.alt,
    imageWidth: share?.width,
    imageHeight: share?.height,
    feedBase: `/${article.section.slug}`,
    feedTitle: `${siteName}: ${article.section.name}`,
    jsonLd: newsArticleJsonLd(article, siteUrl, siteName),
    extraMeta: [
      ...(article.publishedAt ? [{ property: 'article:published_time', content: article.publishedAt }] : []),
      { property: 'article:modified_time', content: article.updatedAt },
      { property: 'article:section', content: article.section.name },
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
