// What a valid story save is: every field checked and normalised, with a message per problem.
// Pure apart from the look-ups the context provides (sections, library images).
import { checkBody } from './body.ts';
import { checkBodyImages } from './body-images.ts';
import { resolveLeadImage, type LibraryImages } from './lead-image.ts';
import { ARTICLE_STATUSES, type Article, type ArticleInput, type Credit, type Section } from './model.ts';
import type { ArticleRecord } from './article-repository.ts';
import { checkSeoFields } from './seo-fields.ts';
import { isValidSlug, slugify } from './slug.ts';
import { invalidInput, type FieldError } from '../platform/errors.ts';

export const LIMITS = { headline: 300, dek: 600, credit: 1000, topics: 20, authors: 10, topicName: 80 };

export interface SaveContext {
  sectionBySlug(slug: string): Promise<Section | undefined>;
  images?: LibraryImages;
}

export async function checkSave(input: ArticleInput, existing: Article | undefined, now: Date, context: SaveContext) {
  const errors: FieldError[] = [];
  const headline = typeof input.headline === 'string' ? input.headline.replace(/\s+/g, ' ').trim() : '';
  if (!headline) errors.push({ field: 'headline', message: 'A story needs a headline.' });
  if (headline.length > LIMITS.headline) {
    errors.push({ field: 'headline', message: `The headline is ${headline.length} characters; the limit is ${LIMITS.headline}.` });
  }
  const dek = (input.dek ?? existing?.dek ?? '').replace(/\s+/g, ' ').trim();
  if (dek.length > LIMITS.dek) errors.push({ field: 'dek', message: `The dek is longer than ${LIMITS.dek} characters.` });

  const section = await context.sectionBySlug(String(input.sectionSlug ?? ''));
  if (!section) errors.push({ field: 'section', message: `Unknown section "${String(input.sectionSlug)}".` });

  const slug = input.slug === undefined ? (existing?.slug ?? slugify(headline)) : input.slug;
  if (input.slug !== undefined && !isValidSlug(slug)) {
    errors.push({ field: 'slug', message: 'A slug uses a-z, 0-9 and single dashes, at most 80 characters.' });
  }

  const body = checkBody(input.body);
  errors.push(...body.errors);

  const status = input.status ?? existing?.status ?? 'draft';
  if (!ARTICLE_STATUSES.includes(status)) errors.push({ field: 'status', message: `Unknown status "${String(status)}".` });

  let publishedAt = input.publishedAt === undefined ? (existing?.publishedAt ?? null) : input.publishedAt;
  if (publishedAt !== null && (typeof publishedAt !== 'string' || Number.isNaN(Date.parse(publishedAt)))) {
    errors.push({ field: 'publishedAt', message: 'The publication time must be an ISO date and time.' });
    publishedAt = null;
  }
  if (publishedAt) publishedAt = new Date(publishedAt).toISOString();
  if (status === 'published') {
    publishedAt ??= now.toISOString();
    if (publishedAt > now.toISOString()) {
      errors.push({ field: 'publishedAt', message: 'A publication time in the future means the story is scheduled, not published.' });
    }
  }
  if (status === 'scheduled' && (!publishedAt || publishedAt <= now.toISOString())) {
    errors.push({ field: 'publishedAt', message: 'A scheduled story needs a publication time in the future.' });
  }

  const credit = normaliseCredit(input.credit ?? existing?.credit, errors);
  const authorSlugs = [...new Set(input.authorSlugs ?? existing?.authors.map((a) => a.slug) ?? [])];
  if (authorSlugs.length > LIMITS.authors) errors.push({ field: 'authors', message: `At most ${LIMITS.authors} bylines.` });

  const topicNames = input.topicNames ?? existing?.topics.map((t) => t.name) ?? [];
  const topics = [...new Map(topicNames.map((name) => [slugify(String(name)), String(name).trim()])).entries()]
    .filter(([slug]) => slug)
    .map(([slug, name]) => ({ slug, name }));
  if (topics.length > LIMITS.topics) errors.push({ field: 'topics', message: `At most ${LIMITS.topics} topics.` });
  if (topics.some((t) => t.name.length > LIMITS.topicName)) {
    errors.push({ field: 'topics', message: `A topic name is at most ${LIMITS.topicName} characters.` });
  }

  const requested = input.leadImage === undefined ? (existing?.leadImage ?? null) : input.leadImage;
  if (requested && !requested.imageId && (typeof requested.url !== 'string' || !/^(https?:\/\/|\/)/.test(requested.url))) {
    errors.push({ field: 'leadImage', message: 'The lead image needs an http(s) or site-relative URL.' });
  }
  const goingPublic = status === 'published' || status === 'scheduled';
  const leadImage = await resolveLeadImage(requested, context.images, goingPublic, errors);
  if (body.doc) await checkBodyImages(body.doc, context.images, goingPublic, errors);
  const seo = await checkSeoFields(input, existing, context.images, status === 'published' || status === 'scheduled', errors);

  if (errors.length) throw invalidInput(errors);
  const record: ArticleRecord = {
    sectionId: section!.id,
    slug,
    headline,
    dek,
    body: body.doc!,
    status,
    publishedAt,
    // A new story published in the past (an archive import, the demo) was last changed then.
    updatedAt: !existing && publishedAt && publishedAt < now.toISOString() ? publishedAt : now.toISOString(),
    credit,
    leadImage,
    ...seo,
    sourceKey: input.sourceKey ?? existing?.sourceKey ?? null,
    ownerUserId: existing ? existing.ownerUserId : (input.ownerUserId ?? null),
  };
  return { record, authorSlugs, topics };
}

function normaliseCredit(credit: Credit | undefined, errors: FieldError[]): Credit {
  if (!credit) return { text: '', contributors: [], agencies: [] };
  const text = typeof credit.text === 'string' ? credit.text.trim() : '';
  const list = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
  if (text.length > LIMITS.credit) errors.push({ field: 'credit', message: `The credit line is longer than ${LIMITS.credit} characters.` });
  return { text, contributors: list(credit.contributors), agencies: list(credit.agencies) };
}

/** Path segments that belong to the site itself and so cannot name a section. */
export const RESERVED_SECTION_SLUGS = new Set([
  'author', 'topic', 'topics', 'assets', 'media', 'newsroom', 'api', 'feed', 'feed.xml', 'ads.txt', 'robots.txt',
  'sitemap.xml', 'search', 'metrics', 'healthz', 'favicon.ico', 'favicon.svg', 'alerts', 'comments',
]);

/** A new section's name and slug, or the problems with them. */
export function checkSection(input: { name: string; slug?: string }): { name: string; slug: string } {
  const name = input.name.trim();
  const slug = input.slug ?? slugify(name);
  const errors: FieldError[] = [];
  if (!name || name.length > 60) errors.push({ field: 'name', message: 'A section name is 1 to 60 characters.' });
  if (!isValidSlug(slug)) errors.push({ field: 'slug', message: 'A section slug uses a-z, 0-9 and single dashes.' });
  if (RESERVED_SECTION_SLUGS.has(slug)) errors.push({ field: 'slug', message: `"${slug}" is used by the site itself.` });
  if (errors.length) throw invalidInput(errors);
  return { name, slug };
}

export const AUTHOR_LIMITS = { name: 100, bio: 2000 };

/** What an author profile is made of; a photo left undefined is not being changed. */
export interface AuthorProfileInput {
  name: string;
  slug?: string;
  bio?: string;
  photoImageId?: number | null;
}

/**
 * An author's name, slug and bio, checked with the photo, or every problem with them at once.
 * The photo is an image in the media library, or null for none. Its alt text is not required
 * here, although a profile is public at once: a portrait shows the person the page is about, so
 * the page uses the author's name when the library has no alt text for it (the image never goes
 * out without a text alternative, and an editor is not stopped by a missing one).
 */
export async function checkAuthorProfile(input: AuthorProfileInput, images: LibraryImages | undefined): Promise<{ name: string; slug: string; bio: string }> {
  const name = input.name.trim();
  const slug = input.slug ?? slugify(name);
  const bio = input.bio?.trim() ?? '';
  const errors: FieldError[] = [];
  const nameValid = name.length > 0 && name.length <= AUTHOR_LIMITS.name;
  if (!nameValid) errors.push({ field: 'name', message: `An author name is 1 to ${AUTHOR_LIMITS.name} characters.` });
  // A slug that follows an invalid name says nothing more; one typed in is checked on its own.
  if ((nameValid || input.slug !== undefined) && !isValidSlug(slug)) errors.push({ field: 'slug', message: 'An author slug uses a-z, 0-9 and single dashes.' });
  if (bio.length > AUTHOR_LIMITS.bio) errors.push({ field: 'bio', message: `The bio is longer than ${AUTHOR_LIMITS.bio.toLocaleString('en-US')} characters.` });
  const photo = input.photoImageId;
  if (photo !== undefined && photo !== null) {
    if (!Number.isInteger(photo) || photo < 1 || !images) {
      errors.push({ field: 'photoImageId', message: 'The photo must be an image from the media library.' });
    } else if (!(await images.find(photo))) {
      errors.push({ field: 'photoImageId', message: `There is no image ${photo} in the media library (it may have been deleted).` });
    }
  }
  if (errors.length) throw invalidInput(errors);
  return { name, slug, bio };
}
