// The feed validator's usual errors and warnings (validator.w3.org/feed, jsonfeed.org), checked
// on a document: each format's required elements, a self link naming the feed's own address,
// guid and isPermaLink, RFC 822 / RFC 3339 dates with a zone, media types on enclosures and media,
// authors, absolute addresses. Returns the problems found; a feed should have none.
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  uri: string;
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ATOM = 'http://www.w3.org/2005/Atom';
const MEDIA = 'http://search.yahoo.com/mrss/';
const DC = 'http://purl.org/dc/elements/1.1/';
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;

/** Parses with namespaces on: an undeclared prefix or a malformed document throws. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const attr of Object.values(tag.attributes)) attributes[(attr as { name: string }).name] = (attr as { value: string }).value;
    const element: XmlElement = { name: tag.name, uri: tag.uri ?? '', local: tag.local ?? tag.name, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('cdata', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error('no document element');
  return root;
}

const kids = (e: XmlElement, local: string, uri = '') => e.children.filter((c) => c.local === local && c.uri === uri);
const kid = (e: XmlElement, local: string, uri = '') => kids(e, local, uri)[0];
const isAbsolute = (url: string | undefined) => !!url && /^https?:\/\/[^/]/.test(url);

export function rssProblems(xml: string, selfUrl: string): string[] {
  const problems: string[] = [];
  const rss = parseXml(xml);
  if (rss.name !== 'rss' || rss.attributes.version !== '2.0') return ['root is not <rss version="2.0">'];
  const channel = kid(rss, 'channel');
  if (!channel) return ['no <channel>'];
  for (const name of ['title', 'link', 'description']) if (!kid(channel, name)?.text.trim()) problems.push(`channel: missing <${name}>`);
  const self = kids(channel, 'link', ATOM).find((l) => l.attributes.rel === 'self');
  if (!self) problems.push('channel: missing atom:link rel="self"');
  else {
    if (self.attributes.href !== selfUrl) problems.push(`self link ${self.attributes.href} is not the feed's address ${selfUrl}`);
    if (self.attributes.type !== 'application/rss+xml') problems.push('self link type is not application/rss+xml');
  }
  for (const name of ['pubDate', 'lastBuildDate']) {
    const date = kid(channel, name);
    if (date && !RFC822.test(date.text)) problems.push(`channel ${name} is not RFC 822: ${date.text}`);
  }
  kids(channel, 'item').forEach((item, i) => {
    const at = `item ${i + 1}`;
    if (!kid(item, 'title')?.text && !kid(item, 'description')?.text) problems.push(`${at}: needs a title or description`);
    if (!isAbsolute(kid(item, 'link')?.text)) problems.push(`${at}: link is not an absolute URL`);
    const guid = kid(item, 'guid');
    if (!guid) problems.push(`${at}: no guid`);
    else if (guid.attributes.isPermaLink === undefined) problems.push(`${at}: guid without isPermaLink`);
    else if (guid.attributes.isPermaLink !== 'false' && !isAbsolute(guid.text)) problems.push(`${at}: permalink guid is not a URL`);
    const pubDate = kid(item, 'pubDate');
    if (!pubDate || !RFC822.test(pubDate.text)) problems.push(`${at}: pubDate missing or not RFC 822 with a zone`);
    for (const author of kids(item, 'author')) if (!/^\S+@\S+/.test(author.text)) problems.push(`${at}: <author> is not an email address`);
    if (kids(item, 'creator', DC).length === 0 && kids(item, 'author').length === 0) problems.push(`${at}: no author`);
    for (const enclosure of kids(item, 'enclosure')) {
      const { url, length, type } = enclosure.attributes;
      if (!isAbsolute(url) || !/^\d+$/.test(length ?? '') || !MEDIA_TYPE.test(type ?? '')) problems.push(`${at}: enclosure needs url, length and type`);
    }
    problems.push(...mediaProblems(item, at));
  });
  return problems;
}

export function atomProblems(xml: string, selfUrl: string): string[] {
  const problems: string[] = [];
  const feed = parseXml(xml);
  if (feed.local !== 'feed' || feed.uri !== ATOM) return ['root is not an Atom <feed>'];
  for (const name of ['id', 'title', 'updated']) if (!kid(feed, name, ATOM)?.text.trim()) problems.push(`feed: missing <${name}>`);
  const updated = kid(feed, 'updated', ATOM)?.text ?? '';
  if (!RFC3339.test(updated)) problems.push(`feed updated is not RFC 3339: ${updated}`);
  const links = kids(feed, 'link', ATOM);
  const self = links.find((l) => l.attributes.rel === 'self');
  if (!self) problems.push('feed: missing link rel="self"');
  else {
    if (self.attributes.href !== selfUrl) problems.push(`self link ${self.attributes.href} is not the feed's address ${selfUrl}`);
    if (self.attributes.type !== 'application/atom+xml') problems.push('self link type is not application/atom+xml');
  }
  if (!links.some((l) => (l.attributes.rel ?? 'alternate') === 'alternate')) problems.push('feed: no alternate link');
  const feedAuthor = kids(feed, 'author', ATOM).some((a) => kid(a, 'name', ATOM)?.text.trim());
  const ids = new Set<string>();
  kids(feed, 'entry', ATOM).forEach((entry, i) => {
    const at = `entry ${i + 1}`;
    const id = kid(entry, 'id', ATOM)?.text ?? '';
    if (!/^[a-z][a-z0-9+.-]*:/.test(id)) problems.push(`${at}: id is not an IRI`);
    if (ids.has(id)) problems.push(`${at}: id repeated`);
    ids.add(id);
    if (!kid(entry, 'title', ATOM)) problems.push(`${at}: no title`);
    const entryUpdated = kid(entry, 'updated', ATOM)?.text ?? '';
    const published = kid(entry, 'published', ATOM)?.text;
    if (!RFC3339.test(entryUpdated)) problems.push(`${at}: updated missing or not RFC 3339`);
    if (published !== undefined && !RFC3339.test(published)) problems.push(`${at}: published is not RFC 3339`);
    if (published && Date.parse(published) > Date.parse(entryUpdated)) problems.push(`${at}: updated before published`);
    const entryLinks = kids(entry, 'link', ATOM);
    const alternate = entryLinks.find((l) => (l.attributes.rel ?? 'alternate') === 'alternate');
    if (!alternate || !isAbsolute(alternate.attributes.href)) problems.push(`${at}: no absolute alternate link`);
    for (const link of entryLinks) if (link.attributes.type && !MEDIA_TYPE.test(link.attributes.type)) problems.push(`${at}: link type ${link.attributes.type}`);
    if (!feedAuthor && !kids(entry, 'author', ATOM).some((a) => kid(a, 'name', ATOM)?.text.trim())) problems.push(`${at}: no author (and none for the feed)`);
    for (const category of kids(entry, 'category', ATOM)) if (!category.attributes.term) problems.push(`${at}: category without term`);
    const content = kid(entry, 'content', ATOM);
    if (content && !['text', 'html', 'xhtml', undefined].includes(content.attributes.type)) problems.push(`${at}: content type ${content.attributes.type}`);
    if (!content && !kid(entry, 'summary', ATOM)) problems.push(`${at}: neither content nor summary`);
    problems.push(...mediaProblems(entry, at));
  });
  return problems;
}

function mediaProblems(item: XmlElement, at: string): string[] {
  return kids(item, 'content', MEDIA).flatMap((media) => {
    const out: string[] = [];
    if (!isAbsolute(media.attributes.url)) out.push(`${at}: media:content url is not absolute`);
    if (media.attributes.type && !MEDIA_TYPE.test(media.attributes.type)) out.push(`${at}: media:content type ${media.attributes.type}`);
    for (const size of ['width', 'height']) if (media.attributes[size] !== undefined && !/^\d+$/.test(media.attributes[size]!)) out.push(`${at}: media:content ${size}`);
    return out;
  });
}

/** JSON Feed 1.1's required and recommended members (https://jsonfeed.org/version/1.1). */
export function jsonFeedProblems(json: string, selfUrl: string): string[] {
  const problems: string[] = [];
  const feed = JSON.parse(json) as Record<string, unknown>;
  if (feed.version !== 'https://jsonfeed.org/version/1.1') problems.push('version is not https://jsonfeed.org/version/1.1');
  if (typeof feed.title !== 'string' || !feed.title) problems.push('no title');
  if (feed.feed_url !== selfUrl) problems.push(`feed_url ${String(feed.feed_url)} is not the feed's address ${selfUrl}`);
  if (!isAbsolute(feed.home_page_url as string)) problems.push('home_page_url is not absolute');
  if ('author' in feed) problems.push('"author" is JSON Feed 1.0: 1.1 has "authors"');
  if (!Array.isArray(feed.items)) return [...problems, 'items is not an array'];
  const ids = new Set<string>();
  (feed.items as Record<string, unknown>[]).forEach((item, i) => {
    const at = `item ${i + 1}`;
    if (typeof item.id !== 'string' || !item.id) problems.push(`${at}: id is not a non-empty string`);
    if (ids.has(item.id as string)) problems.push(`${at}: id repeated`);
    ids.add(item.id as string);
    if (typeof item.content_html !== 'string' && typeof item.content_text !== 'string') problems.push(`${at}: neither content_html nor content_text`);
    if (!isAbsolute(item.url as string)) problems.push(`${at}: url is not absolute`);
    for (const key of ['date_published', 'date_modified']) if (item[key] !== undefined && !RFC3339.test(item[key] as string)) problems.push(`${at}: ${key} is not RFC 3339`);
    if ('author' in item) problems.push(`${at}: "author" is JSON Feed 1.0`);
    const authors = item.authors as { name?: unknown; url?: unknown }[] | undefined;
    if (authors !== undefined && (!Array.isArray(authors) || authors.some((a) => typeof a.name !== 'string' || (a.url !== undefined && !isAbsolute(a.url as string))))) problems.push(`${at}: authors malformed`);
    if (item.image !== undefined && !isAbsolute(item.image as string)) problems.push(`${at}: image is not absolute`);
    for (const key of Object.keys(item)) {
      const known = ['id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary', 'image', 'banner_image', 'date_published', 'date_modified', 'authors', 'tags', 'language', 'attachments'];
      if (!known.includes(key) && !key.startsWith('_')) problems.push(`${at}: unknown member ${key} (extensions start with "_")`);
    }
  });
  return problems;
}
