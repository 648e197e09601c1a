// What one WordPress item becomes, decided without a database: a story plan (status, section,
// topics, bylines, body, lead image, old addresses) or a reason to skip it. The importer carries
// plans out; a dry run prints them.
import { parseFragment } from 'parse5';
import type { ArticleStatus } from '../../articles/model.ts';
import { LIMITS, RESERVED_SECTION_SLUGS } from '../../articles/save-rules.ts';
import { isValidSlug, slugify } from '../../articles/slug.ts';
import type { AttachmentIndex, WpAttachment } from './attachment-index.ts';
import { convertBody, type ConvertedBody } from './wp-body.ts';
import { commentCounts } from './wp-comments.ts';
import { wpDate, type WpAuthor, type WpItem, type WpTerm } from './wxr-records.ts';

// An attachment as the index keeps it; defined beside the index, named here with the rest of the plan.
export type { WpAttachment };

/** What the first pass over the file learns: who wrote, which categories exist, which files. */
export interface SiteIndex {
  authors: Map<string, WpAuthor>;
  categories: Map<string, WpTerm>;
  /** On disk while the import runs (attachment-index.ts): there may be more files than posts. */
  attachments: Pick<AttachmentIndex, 'get' | 'byUrl'>;
}

export interface SectionPlan {
  name: string;
  slug: string;
  /** The WordPress category slug, for /category/<slug>/ and ?cat=ID (none for the pages section). */
  wpSlug?: string;
  wpTermId?: string;
}

export interface StoryPlan {
  postId: string;
  sourceKey: string;
  title: string;
  dek: string;
  slug: string;
  status: ArticleStatus;
  publishedAt: string | null;
  section: SectionPlan;
  topics: string[];
  authors: { name: string; slug: string }[];
  body: ConvertedBody;
  leadImage: WpAttachment | null;
  comments: { approved: number; pending: number };
  oldUrls: string[];
  /** Things changed on the way in, for the report (a missing title, a status read differently…). */
  notes: string[];
}

export interface PlanOptions {
  /** Pages become stories in this section; undefined: pages are skipped. */
  pagesSection: string | undefined;
  now: Date;
}

export type Planned = { plan: StoryPlan } | { skip: string; counted: string };

export const sourceKeyFor = (postId: string) => `wordpress:${postId}`;

const SKIPPED_STATUSES: Record<string, string> = {
  private: 'private in WordPress',
  trash: 'in the WordPress trash',
  'auto-draft': 'an automatic draft WordPress never showed',
  inherit: 'a revision',
};

export function planItem(item: WpItem, site: SiteIndex, options: PlanOptions): Planned {
  if (item.type !== 'post' && item.type !== 'page') {
    return { skip: `a ${item.type || 'typeless item'}, not a post or page`, counted: item.type || 'unknown' };
  }
  if (item.type === 'page' && options.pagesSection === undefined) return { skip: 'a page (--skip-pages)', counted: 'page' };
  if (!/^\d+$/.test(item.id)) return { skip: 'it has no wp:post_id', counted: 'invalid' };
  const reason = SKIPPED_STATUSES[item.status];
  if (reason) return { skip: reason, counted: item.status };

  const notes: string[] = [];
  const date = wpDate(item);
  let status: ArticleStatus;
  let publishedAt: string | null = null;
  if (item.status === 'publish' || item.status === 'future') {
    if (!date) return { skip: `${item.status === 'future' ? 'scheduled' : 'published'} with no date`, counted: 'invalid' };
    publishedAt = date;
    const inFuture = date > options.now.toISOString();
    status = inFuture ? 'scheduled' : 'published';
    if (item.status === 'publish' && inFuture) notes.push('published in WordPress with a date in the future: scheduled here');
    if (item.status === 'future' && !inFuture) notes.push('its scheduled time has passed: published at that time');
  } else if (item.status === 'draft') status = 'draft';
  else if (item.status === 'pending') status = 'ready';
  else return { skip: `status "${item.status}" is not one WordPress writes for posts`, counted: 'invalid' };

  let title = htmlText(item.title).replace(/\s+/g, ' ').trim();
  if (!title) {
    title = `Untitled (WordPress post ${item.id})`;
    notes.push('it had no title');
  } else if (title.length > LIMITS.headline) {
    title = `${title.slice(0, LIMITS.headline - 1)}…`;
    notes.push(`its title was cut to ${LIMITS.headline} characters`);
  }

  const section = item.type === 'page' ? pagesSection(options.pagesSection!) : sectionFor(item, site);
  const allTopics = [...new Set(item.terms.filter((t) => t.domain === 'post_tag').map((t) => htmlText(t.name).trim()).filter(Boolean))];
  const topics = allTopics.filter((t) => t.length <= LIMITS.topicName).slice(0, LIMITS.topics);
  if (topics.length < allTopics.length) notes.push(`${allTopics.length - topics.length} tag(s) left out (at most ${LIMITS.topics} topics of ${LIMITS.topicName} characters)`);

  const author = item.creator ? site.authors.get(item.creator) : undefined;
  const name = htmlText(author?.displayName ?? item.creator).trim();
  const authors = name && slugify(name) ? [{ name: name.slice(0, 100), slug: slugify(name) }] : [];

  const body = convertBody(item.content);
  const thumb = item.meta.get('_thumbnail_id')?.trim();
  const leadImage = thumb ? (site.attachments.get(thumb) ?? null) : null;
  if (thumb && !leadImage) notes.push(`its featured image (attachment ${thumb}) is not in the export`);

  const dek = htmlText(item.excerpt).replace(/\s+/g, ' ').trim().slice(0, LIMITS.dek);
  return {
    plan: {
      postId: item.id,
      sourceKey: sourceKeyFor(item.id),
      title,
      dek,
      slug: storySlug(item, title),
      status,
      publishedAt,
      section,
      topics,
      authors,
      body,
      leadImage,
      comments: commentCounts(item),
      oldUrls: oldUrls(item),
      notes,
    },
  };
}

/** The primary category Yoast records, else the first one; "Uncategorized" when there is none. */
function sectionFor(item: WpItem, site: SiteIndex): SectionPlan {
  const categories = item.terms.filter((t) => t.domain === 'category');
  const primaryId = item.meta.get('_yoast_wpseo_primary_category')?.trim();
  const primarySlug = primaryId ? site.categories.get(primaryId)?.slug : undefined;
  const chosen = categories.find((c) => primarySlug !== undefined && c.slug === primarySlug) ?? categories[0];
  if (!chosen) return { name: 'Uncategorized', slug: 'uncategorized' };
  const name = htmlText(chosen.name).trim().slice(0, 60) || chosen.slug;
  const termId = [...site.categories.values()].find((c) => c.slug === chosen.slug)?.termId;
  return { name, slug: sectionSlug(chosen.slug, name), wpSlug: chosen.slug, ...(termId ? { wpTermId: termId } : {}) };
}

function pagesSection(name: string): SectionPlan {
  return { name, slug: sectionSlug('', name) };
}

/** Our slug for a category: its own when it is one of ours, else from its name; never one the site uses. */
function sectionSlug(wpSlug: string, name: string): string {
  const decoded = safeDecode(wpSlug);
  const slug = isValidSlug(decoded) ? decoded : slugify(decoded) || slugify(name) || 'section';
  return RESERVED_SECTION_SLUGS.has(slug) ? `${slug}-news` : slug;
}

function storySlug(item: WpItem, title: string): string {
  const decoded = safeDecode(item.slug.replace(/__trashed$/, ''));
  if (isValidSlug(decoded)) return decoded;
  return slugify(decoded) || slugify(title) || `post-${item.id}`;
}

/**
 * The addresses WordPress served the item at: its permalink's path (query kept only for ?p= and
 * ?page_id= links) and the ?p=ID / ?page_id=ID short link. Trailing slashes are dropped; the
 * redirect lookup drops them too.
 */
export function oldUrls(item: Pick<WpItem, 'id' | 'type' | 'link'> & { permalinkGuid?: string }): string[] {
  const urls = new Set<string>();
  const shortLink = `/?${item.type === 'page' ? 'page_id' : 'p'}=${item.id}`;
  try {
    // Some plugins' exports leave <link> empty; a guid marked as the permalink is the same address.
    const link = new URL(item.link || item.permalinkGuid || '', 'http://wordpress.invalid');
    const path = normaliseOldPath(link.pathname);
    if (path !== '/') urls.add(path);
  } catch {
    // An unparseable link leaves the short link, which WordPress answers for every post.
  }
  urls.add(shortLink);
  return [...urls];
}

export function categoryUrls(section: SectionPlan): string[] {
  if (!section.wpSlug) return [];
  return [`/category/${section.wpSlug}`, ...(section.wpTermId ? [`/?cat=${section.wpTermId}`] : [])].map(normaliseOldPath);
}

/**
 * How an old address is stored and looked up: percent-encoding made uniform (a request may encode
 * "é" as %C3%A9 or %c3%a9), no trailing slash, no doubled slashes.
 */
export function normaliseOldPath(path: string): string {
  if (path.startsWith('/?')) return path;
  let uniform = path;
  try {
    uniform = encodeURI(decodeURI(path));
  } catch {
    // Malformed escapes are kept as they came; such an address simply matches itself.
  }
  const clean = uniform.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return clean || '/';
}

/** The text of a piece of HTML (titles, names and excerpts may hold entities and tags). */
export function htmlText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  const walk = (nodes: { nodeName: string; value?: string; childNodes?: unknown[] }[]): string =>
    nodes.map((n) => (n.nodeName === '#text' ? (n.value ?? '') : n.nodeName === 'script' || n.nodeName === 'style' ? '' : walk((n.childNodes ?? []) as never))).join('');
  return walk(parseFragment(html).childNodes as never);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
