// The story tables' row shapes, and the mapping between rows and domain objects that the
// articles repositories share.
import type { Generated, Selectable } from 'kysely';
import type { Article, LeadImage } from './model.ts';

/** The columns an article save writes. */
export type ArticleRecord = Pick<
  Article,
  | 'slug' | 'headline' | 'dek' | 'body' | 'status' | 'publishedAt' | 'updatedAt' | 'credit' | 'leadImage' | 'sourceKey' | 'ownerUserId'
  | 'seoTitle' | 'seoDescription' | 'socialImageId'
> & { sectionId: number };

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
export type ArticleTables = {
  sections: { id: Generated<number>; slug: string; name: string; description: string; position: number };
  authors: { id: Generated<number>; slug: string; name: string; bio: string; photo_image_id: number | null };
  topics: { id: Generated<number>; slug: string; name: string };
  articles: {
    id: Generated<number>;
    section_id: number;
    slug: string;
    headline: string;
    dek: string;
    body: string;
    status: string;
    published_at: string | null;
    updated_at: string;
    created_at: string;
    credit_text: string;
    credit_contributors: string;
    credit_agencies: string;
    lead_image_url: string | null;
    lead_image_id: number | null;
    owner_user_id: number | null;
    lead_image_alt: string;
    lead_image_caption: string;
    lead_image_credit: string;
    source_key: string | null;
    seo_title: Generated<string>;
    seo_description: Generated<string>;
    social_image_id: number | null;
    version: number;
  };
  article_authors: { article_id: number; author_id: number; position: number };
  article_topics: { article_id: number; topic_id: number; position: number };
  article_revisions: { id: Generated<number>; article_id: number; version: number; snapshot: string; created_at: string };
  article_corrections: { id: Generated<number>; article_id: number; text: string; created_at: string };
};

export type ArticleRow = Selectable<ArticleTables['articles']>;
export type SectionColumns = { section_slug: string; section_name: string; section_description: string; section_position: number };

export function toColumns(record: ArticleRecord) {
  return {
    section_id: record.sectionId,
    slug: record.slug,
    headline: record.headline,
    dek: record.dek,
    body: JSON.stringify(record.body),
    status: record.status,
    published_at: record.publishedAt,
    updated_at: record.updatedAt,
    credit_text: record.credit.text,
    credit_contributors: JSON.stringify(record.credit.contributors),
    credit_agencies: JSON.stringify(record.credit.agencies),
    lead_image_url: record.leadImage?.url ?? null,
    lead_image_id: record.leadImage?.imageId ?? null,
    owner_user_id: record.ownerUserId,
    lead_image_alt: record.leadImage?.alt ?? '',
    lead_image_caption: record.leadImage?.caption ?? '',
    lead_image_credit: record.leadImage?.credit ?? '',
    source_key: record.sourceKey,
    seo_title: record.seoTitle,
    seo_description: record.seoDescription,
    social_image_id: record.socialImageId,
  };
}

export function leadImage(row: {
  lead_image_url: string | null;
  lead_image_id: number | null;
  lead_image_alt: string;
  lead_image_caption: string;
  lead_image_credit: string;
}): LeadImage | null {
  if (!row.lead_image_url) return null;
  return {
    imageId: row.lead_image_id,
    url: row.lead_image_url,
    alt: row.lead_image_alt,
    caption: row.lead_image_caption,
    credit: row.lead_image_credit,
  };
}
