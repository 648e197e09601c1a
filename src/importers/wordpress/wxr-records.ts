// The typed shapes of WXR records (posts, attachments, comments, authors, terms), read from the
// element trees wxr-reader.ts hands out. Pure: no database, no files.
import { childrenNamed, childText, type XmlNode } from './wxr-reader.ts';

export interface WpAuthor {
  login: string;
  displayName: string;
}

export interface WpTerm {
  termId: string;
  slug: string;
  name: string;
}

export interface WpItemTerm {
  domain: string;
  slug: string;
  name: string;
}

/**
 * A comment as WordPress exported it. Email and IP are read so that the import keeps them private
 * exactly as native comments do; nothing in the importer ever prints them.
 */
export interface WpComment {
  id: string;
  parentId: string;
  author: string;
  authorEmail: string;
  authorUrl: string;
  authorIp: string;
  date: string;
  dateGmt: string;
  content: string;
  /** '1' approved, '0' pending, 'spam', 'trash' (and anything else a plugin wrote). */
  approved: string;
  type: string;
}

export interface WpItem {
  id: string;
  type: string;
  status: string;
  title: string;
  link: string;
  /** The guid, when WordPress marks it a permalink (isPermaLink is not "false"). */
  permalinkGuid: string;
  /** RSS's pubDate (RFC 822, with its zone): the publication time when no GMT date is given. */
  pubDate: string;
  slug: string;
  date: string;
  dateGmt: string;
  creator: string;
  content: string;
  excerpt: string;
  parentId: string;
  attachmentUrl: string;
  terms: WpItemTerm[];
  meta: Map<string, string>;
  comments: WpComment[];
}

export function toAuthor(node: XmlNode): WpAuthor {
  const login = childText(node, 'wp:author_login').trim();
  const display = childText(node, 'wp:author_display_name').trim();
  const full = `${childText(node, 'wp:author_first_name').trim()} ${childText(node, 'wp:author_last_name').trim()}`.trim();
  return { login, displayName: display || full || login };
}

export function toCategory(node: XmlNode): WpTerm {
  return { termId: childText(node, 'wp:term_id').trim(), slug: childText(node, 'wp:category_nicename').trim(), name: childText(node, 'wp:cat_name').trim() };
}

export function toTag(node: XmlNode): WpTerm {
  return { termId: childText(node, 'wp:term_id').trim(), slug: childText(node, 'wp:tag_slug').trim(), name: childText(node, 'wp:tag_name').trim() };
}

/** A generic wp:term: a category or tag when its taxonomy says so, else undefined. */
export function toTerm(node: XmlNode): { taxonomy: 'category' | 'post_tag'; term: WpTerm } | undefined {
  const taxonomy = childText(node, 'wp:term_taxonomy').trim();
  if (taxonomy !== 'category' && taxonomy !== 'post_tag') return undefined;
  return { taxonomy, term: { termId: childText(node, 'wp:term_id').trim(), slug: childText(node, 'wp:term_slug').trim(), name: childText(node, 'wp:term_name').trim() } };
}

export function toItem(node: XmlNode): WpItem {
  const meta = new Map<string, string>();
  for (const m of childrenNamed(node, 'wp:postmeta')) meta.set(childText(m, 'wp:meta_key').trim(), childText(m, 'wp:meta_value'));
  return {
    id: childText(node, 'wp:post_id').trim(),
    type: childText(node, 'wp:post_type').trim(),
    status: childText(node, 'wp:status').trim(),
    title: childText(node, 'title').trim(),
    link: childText(node, 'link').trim(),
    permalinkGuid: node.children.find((c) => c.name === 'guid' && c.attrs.isPermaLink !== 'false')?.text.trim() ?? '',
    pubDate: childText(node, 'pubDate').trim(),
    slug: childText(node, 'wp:post_name').trim(),
    date: childText(node, 'wp:post_date').trim(),
    dateGmt: childText(node, 'wp:post_date_gmt').trim(),
    creator: childText(node, 'dc:creator').trim(),
    content: childText(node, 'content:encoded'),
    excerpt: childText(node, 'excerpt:encoded'),
    parentId: childText(node, 'wp:post_parent').trim(),
    attachmentUrl: childText(node, 'wp:attachment_url').trim(),
    terms: itemTerms(childrenNamed(node, 'category')),
    meta,
    comments: childrenNamed(node, 'wp:comment').map(toComment),
  };
}

/**
 * An item's categories and tags. WXR 1.0 (WordPress 2.x–3.0) writes tags with domain "tag", and
 * lists each term twice, once without a domain or nicename: those copies are dropped when the
 * named copy is there, and read as categories when it is not (the oldest exports).
 */
function itemTerms(nodes: XmlNode[]): WpItemTerm[] {
  const terms = nodes.map((c) => ({ domain: c.attrs.domain === 'tag' ? 'post_tag' : (c.attrs.domain ?? ''), slug: c.attrs.nicename ?? '', name: c.text.trim() }));
  const named = new Set(terms.filter((t) => t.domain).map((t) => t.name.toLowerCase()));
  return terms
    .filter((t) => t.domain || !named.has(t.name.toLowerCase()))
    .map((t) => (t.domain ? t : { domain: 'category', slug: t.slug, name: t.name }));
}

function toComment(node: XmlNode): WpComment {
  return {
    id: childText(node, 'wp:comment_id').trim(),
    parentId: childText(node, 'wp:comment_parent').trim(),
    author: childText(node, 'wp:comment_author').trim(),
    authorEmail: childText(node, 'wp:comment_author_email').trim(),
    authorUrl: childText(node, 'wp:comment_author_url').trim(),
    authorIp: childText(node, 'wp:comment_author_IP').trim(),
    date: childText(node, 'wp:comment_date').trim(),
    dateGmt: childText(node, 'wp:comment_date_gmt').trim(),
    content: childText(node, 'wp:comment_content'),
    approved: childText(node, 'wp:comment_approved').trim(),
    type: childText(node, 'wp:comment_type').trim(),
  };
}

/**
 * When the item was published, in UTC: its GMT date; else RSS's pubDate, which carries its zone;
 * else its local date read as UTC (all an export without either gives). WordPress writes
 * "0000-00-00 00:00:00" for no date, and a pubDate in the year -0001 for drafts.
 */
export function wpDate(item: Pick<WpItem, 'date' | 'dateGmt'> & { pubDate?: string }): string | null {
  const parse = (value: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value);
    if (!m || m[1] === '0000') return null;
    const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  };
  return parse(item.dateGmt) ?? rfc822(item.pubDate ?? '') ?? parse(item.date);
}

function rfc822(value: string): string | null {
  if (!/^(?:[A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UTC|Z)$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1971 ? null : date.toISOString();
}
