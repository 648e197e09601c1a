// Structured data for search engines (schema.org as JSON-LD): the story as a NewsArticle with
// its pictures, people, publisher, section, topics and corrections; breadcrumbs; the site with its
// search on the front; sections and topics as collections; authors' profile pages. Each is its own
// <script> block, as Google's examples write them.
import { excerpt } from '../articles/body.ts';
import { articlePath, type Article, type ArticleSummary, type Author } from '../articles/model.ts';
import { absolute } from './layout.tsx';

/** Google shows at most 110 characters of a headline; a longer one is cut at a word. */
export const MAX_HEADLINE = 110;

export interface JsonLdImage {
  /** Site-relative or absolute. */
  url: string;
  width?: number;
  height?: number;
  caption?: string;
}

export interface Publisher {
  siteUrl: string;
  siteName: string;
  logo: JsonLdImage;
}

type Json = Record<string, unknown>;

export function fitHeadline(headline: string): string {
  if (headline.length <= MAX_HEADLINE) return headline;
  const cut = headline.slice(0, MAX_HEADLINE - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 60 ? cut.lastIndexOf(' ') : cut.length).replace(/[\s,;:–-]+$/, '')}…`;
}

function imageObject(siteUrl: string, image: JsonLdImage): Json {
  return {
    '@type': 'ImageObject',
    url: absolute(siteUrl, image.url),
    ...(image.width && image.height && { width: image.width, height: image.height }),
    ...(image.caption && { caption: image.caption }),
  };
}

export function publisherJsonLd({ siteUrl, siteName, logo }: Publisher): Json {
  return { '@type': 'NewsMediaOrganization', name: siteName, url: `${siteUrl}/`, logo: imageObject(siteUrl, logo) };
}

/** `images`: the story's picture, or its drawn cards at 16:9, 4:3 and 1:1. */
export function newsArticleJsonLd(article: Article, publisher: Publisher, images: JsonLdImage[]): Json {
  const { siteUrl } = publisher;
  const url = siteUrl + articlePath(article);
  const organization = publisherJsonLd(publisher);
  const authors = article.authors.length
    ? article.authors.map((a) => ({ '@type': 'Person', name: a.name, url: `${siteUrl}/author/${a.slug}` }))
    : article.credit.agencies.map((name) => ({ '@type': 'Organization', name }));
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: fitHeadline(article.headline),
    description: article.dek || excerpt(article.body, 200),
    image: images.map((image) => imageObject(siteUrl, image)),
    datePublished: article.publishedAt,
    dateModified: article.updatedAt > (article.publishedAt ?? '') ? article.updatedAt : article.publishedAt,
    author: authors.length ? authors : [organization],
    ...(article.credit.contributors.length && { contributor: article.credit.contributors.map((name) => ({ '@type': 'Person', name })) }),
    ...(article.credit.agencies.length && { sourceOrganization: article.credit.agencies.map((name) => ({ '@type': 'Organization', name })) }),
    ...(article.credit.text && { creditText: article.credit.text }),
    publisher: organization,
    articleSection: article.section.name,
    ...(article.topics.length && { keywords: article.topics.map((t) => t.name) }),
    inLanguage: 'en',
    isAccessibleForFree: true,
    ...(article.corrections.length && {
      correction: article.corrections.map((c) => ({ '@type': 'CorrectionComment', text: c.text, datePublished: c.createdAt })),
    }),
  };
}

/** Home, then each step down to this page. */
export function breadcrumbJsonLd(siteUrl: string, trail: { name: string; path: string }[]): Json {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((step, i) => ({ '@type': 'ListItem', position: i + 1, name: step.name, item: siteUrl + step.path })),
  };
}

/** The site itself, with its search (Google's sitelinks search box). */
export function websiteJsonLd(publisher: Publisher, description: string): Json {
  const { siteUrl, siteName } = publisher;
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: siteName,
    url: `${siteUrl}/`,
    description,
    inLanguage: 'en',
    publisher: publisherJsonLd(publisher),
    potentialAction: { '@type': 'SearchAction', target: { '@type': 'EntryPoint', urlTemplate: `${siteUrl}/search?q={search_term_string}` }, 'query-input': 'required name=search_term_string' },
  };
}

/** A section's or topic's page: the stories it lists, in order. */
export function collectionPageJsonLd(publisher: Publisher, page: { name: string; path: string; description: string; stories: ArticleSummary[] }): Json {
  const { siteUrl } = publisher;
  return {
    '@context': 'https://schema.org',
    '@type': 'CollectionPage',
    name: page.name,
    url: siteUrl + page.path,
    description: page.description,
    isPartOf: { '@type': 'WebSite', name: publisher.siteName, url: `${siteUrl}/` },
    mainEntity: {
      '@type': 'ItemList',
      itemListElement: page.stories.map((s, i) => ({ '@type': 'ListItem', position: i + 1, url: siteUrl + articlePath(s), name: s.headline })),
    },
  };
}

export function profilePageJsonLd(publisher: Publisher, author: Author, photo: JsonLdImage | undefined): Json {
  const { siteUrl } = publisher;
  return {
    '@context': 'https://schema.org',
    '@type': 'ProfilePage',
    url: `${siteUrl}/author/${author.slug}`,
    mainEntity: {
      '@type': 'Person',
      name: author.name,
      url: `${siteUrl}/author/${author.slug}`,
      ...(author.bio && { description: author.bio }),
      ...(photo && { image: imageObject(siteUrl, photo) }),
      worksFor: publisherJsonLd(publisher),
    },
  };
}
