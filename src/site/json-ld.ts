// Structured data for search engines: schema.org NewsArticle and the site's Organization.
import { articlePath, type Article } from '../articles/model.ts';
import { excerpt } from '../articles/body.ts';
import { absolute } from './layout.tsx';

export function newsArticleJsonLd(article: Article, siteUrl: string, siteName: string): Record<string, unknown> {
  const url = siteUrl + articlePath(article);
  const publisher = { '@type': 'NewsMediaOrganization', name: siteName, url: siteUrl, logo: { '@type': 'ImageObject', url: `${siteUrl}/favicon.svg` } };
  const authors = article.authors.length
    ? article.authors.map((a) => ({ '@type': 'Person', name: a.name, url: `${siteUrl}/author/${a.slug}` }))
    : article.credit.agencies.map((name) => ({ '@type': 'Organization', name }));
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: article.headline,
    description: article.dek || excerpt(article.body, 200),
    articleSection: article.section.name,
    datePublished: article.publishedAt,
    dateModified: article.updatedAt,
    author: authors.length ? authors : [publisher],
    ...(article.credit.contributors.length && {
      contributor: article.credit.contributors.map((name) => ({ '@type': 'Person', name })),
    }),
    ...(article.credit.agencies.length && {
      sourceOrganization: article.credit.agencies.map((name) => ({ '@type': 'Organization', name })),
    }),
    ...(article.credit.text && { creditText: article.credit.text }),
    ...(article.topics.length && { keywords: article.topics.map((t) => t.name) }),
    image: article.leadImage ? [absolute(siteUrl, article.leadImage.url)] : [`${siteUrl}/favicon.svg`],
    ...(article.corrections.length && {
      correction: article.corrections.map((c) => ({ '@type': 'CorrectionComment', text: c.text, datePublished: c.createdAt })),
    }),
    isAccessibleForFree: true,
    publisher,
  };
}
