// Stories, sections, topics and authors as the Content API sends them. Pure: domain objects in,
// JSON out, with every address absolute. Only what a reader of the site can see is copied: the
// shapes in content-schemas.ts have no room for anything else.
import type { Article, ArticleSummary, Author, LeadImage, Section, Topic } from '../articles/model.ts';
import { articlePath } from '../articles/model.ts';
import type { ShareImage } from '../media/share-image.ts';
import type { AuthorShape, StoryShape, StorySummaryShape } from './content-schemas.ts';

export const API_BASE = '/api/v1';

export const apiPaths = {
  story: (id: number) => `${API_BASE}/stories/${id}`,
  stories: (filter: string) => `${API_BASE}/stories?${filter}`,
  section: (slug: string) => `${API_BASE}/sections/${slug}`,
  topic: (slug: string) => `${API_BASE}/topics/${slug}`,
  author: (slug: string) => `${API_BASE}/authors/${slug}`,
};

const absolute = (siteUrl: string, url: string) => (/^https?:\/\//.test(url) ? url : siteUrl + (url.startsWith('/') ? url : `/${url}`));

/** A share image (its size known) or the story's stored lead image. */
function leadImageJson(siteUrl: string, lead: LeadImage | null, share: ShareImage | undefined): StorySummaryShape['leadImage'] {
  if (!lead) return null;
  const size = share?.width && share.height ? { width: share.width, height: share.height } : {};
  return { url: absolute(siteUrl, share?.url ?? lead.url), alt: share?.alt ?? lead.alt, ...size, caption: lead.caption, credit: lead.credit };
}

export function storySummaryJson(siteUrl: string, story: ArticleSummary, share?: ShareImage): StorySummaryShape {
  return {
    id: story.id,
    url: siteUrl + articlePath(story),
    api: siteUrl + apiPaths.story(story.id),
    section: { slug: story.section.slug, name: story.section.name },
    slug: story.slug,
    headline: story.headline,
    dek: story.dek,
    publishedAt: story.publishedAt,
    updatedAt: story.updatedAt,
    leadImage: leadImageJson(siteUrl, story.leadImage, share),
  };
}

/** A visible story (published, its time come): the caller has checked that. */
export function storyJson(siteUrl: string, story: Article, html: string, share?: ShareImage): StoryShape {
  return {
    ...storySummaryJson(siteUrl, { ...story, publishedAt: story.publishedAt! }, share),
    authors: story.authors.map((a) => ({ slug: a.slug, name: a.name, url: `${siteUrl}/author/${a.slug}`, api: siteUrl + apiPaths.author(a.slug) })),
    credit: { text: story.credit.text, contributors: [...story.credit.contributors], agencies: [...story.credit.agencies] },
    topics: story.topics.map((t) => ({ slug: t.slug, name: t.name, api: siteUrl + apiPaths.topic(t.slug) })),
    corrections: story.corrections.map((c) => ({ text: c.text, createdAt: c.createdAt })),
    body: story.body,
    html,
  };
}

export function sectionJson(siteUrl: string, section: Section) {
  return { slug: section.slug, name: section.name, description: section.description, url: `${siteUrl}/${section.slug}`, stories: siteUrl + apiPaths.stories(`section=${section.slug}`) };
}

export function topicJson(siteUrl: string, topic: Topic) {
  return { slug: topic.slug, name: topic.name, url: `${siteUrl}/topic/${topic.slug}`, stories: siteUrl + apiPaths.stories(`topic=${topic.slug}`) };
}

export function authorJson(siteUrl: string, author: Author, photo: ShareImage | undefined): AuthorShape {
  return {
    slug: author.slug,
    name: author.name,
    bio: author.bio,
    url: `${siteUrl}/author/${author.slug}`,
    stories: siteUrl + apiPaths.stories(`author=${author.slug}`),
    // A portrait without alt text is described by the name, as on the author's page.
    photo: photo ? { url: absolute(siteUrl, photo.url), alt: photo.alt || author.name, ...(photo.width && photo.height ? { width: photo.width, height: photo.height } : {}) } : null,
  };
}

/** Opaque page positions: clients pass back what `next` holds and never build one. */
export function writeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function readCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
