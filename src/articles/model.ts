// The article domain as the rest of the system sees it. Row shapes stay in repository.ts.
import type { BodyDoc } from './body.ts';

/** draft → ready (for edit) → scheduled → published → unpublished; see workflow.ts for the moves. */
export type ArticleStatus = 'draft' | 'ready' | 'scheduled' | 'published' | 'unpublished';
export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'ready', 'scheduled', 'published', 'unpublished'];

/** The workflow moves, named so that the newsroom's permission matrix can grant them. */
export type WorkflowAction = 'submit' | 'return' | 'schedule' | 'publish' | 'unpublish' | 'update' | 'correct';
export const WORKFLOW_ACTIONS: readonly WorkflowAction[] = ['submit', 'return', 'schedule', 'publish', 'unpublish', 'update', 'correct'];

/** A dated public note appended to a published story. */
export interface Correction {
  id: number;
  text: string;
  createdAt: string;
}

export interface Section {
  id: number;
  slug: string;
  name: string;
  description: string;
  position: number;
}

export interface Author {
  id: number;
  slug: string;
  name: string;
  bio: string;
  /** A portrait from the media library, shown on the author's page. */
  photoImageId: number | null;
}

export interface Topic {
  id: number;
  slug: string;
  name: string;
}

/** Who else contributed: the credit line kept verbatim, plus the people and agencies it names. */
export interface Credit {
  text: string;
  contributors: string[];
  agencies: string[];
}

export interface LeadImage {
  /** The media-library image, when the lead image is one; the page then renders it responsively. */
  imageId?: number | null;
  url: string;
  alt: string;
  caption: string;
  credit: string;
}

export interface Article {
  id: number;
  slug: string;
  section: Section;
  headline: string;
  dek: string;
  body: BodyDoc;
  status: ArticleStatus;
  publishedAt: string | null;
  updatedAt: string;
  createdAt: string;
  credit: Credit;
  authors: Author[];
  topics: Topic[];
  leadImage: LeadImage | null;
  /** What search results and link previews show instead of the headline and dek ('' = use those). */
  seoTitle: string;
  seoDescription: string;
  /** The media-library image link previews show instead of the lead image. */
  socialImageId: number | null;
  /** Oldest first. */
  corrections: Correction[];
  version: number;
  sourceKey: string | null;
  /** The staff member who started the story (null for imports, generated and API-token stories). */
  ownerUserId: number | null;
}

/** What lists (fronts, section pages, feeds) need of a story. */
export interface ArticleSummary {
  id: number;
  slug: string;
  section: Pick<Section, 'id' | 'slug' | 'name'>;
  headline: string;
  dek: string;
  publishedAt: string;
  updatedAt: string;
  leadImage: LeadImage | null;
}

/** A save: everything an editor or importer sets. Sections, authors and topics go by slug. */
export interface ArticleInput {
  headline: string;
  dek?: string;
  slug?: string;
  sectionSlug: string;
  body: unknown;
  status?: ArticleStatus;
  /** ISO time; for published stories defaults to now, for scheduled ones it is required. */
  publishedAt?: string | null;
  credit?: Credit;
  authorSlugs?: string[];
  topicNames?: string[];
  leadImage?: LeadImage | null;
  /** Left out, these keep the story's current values. */
  seoTitle?: string;
  seoDescription?: string;
  socialImageId?: number | null;
  /** Identity of an imported source (e.g. a capture file's hash), so re-imports update in place. */
  sourceKey?: string | null;
  /** Who starts the story; set on creation only. */
  ownerUserId?: number | null;
}

export function articlePath(article: { slug: string; section: { slug: string } }): string {
  return `/${article.section.slug}/${article.slug}`;
}
