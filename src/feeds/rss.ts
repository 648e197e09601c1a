// RSS 2.0 documents. Pure: a feed document in, XML out. RSS's own <author> must be an email
// address, which a newsroom never publishes for its staff, so bylines are Dublin Core creators
// (as most news feeds write them); the full text is content:encoded, the picture both an
// enclosure (when its size is known: the element requires it) and Media RSS.
import type { FeedDocument, FeedEntry } from './feed-document.ts';
import { element, escapeXml } from './xml.ts';

export const RSS_TYPE = 'application/rss+xml';

/** RFC 822 dates, as RSS requires: "Fri, 20 Nov 2026 08:00:00 GMT". */
const rfc822 = (iso: string) => new Date(iso).toUTCString();

function item(entry: FeedEntry, topicScheme: string): string {
  const lines = [
    element('title', {}, entry.title),
    element('link', {}, entry.url),
    element('guid', { isPermaLink: 'false' }, entry.id),
    element('pubDate', {}, rfc822(entry.publishedAt)),
    ...(entry.updatedAt !== entry.publishedAt ? [element('dcterms:modified', {}, entry.updatedAt)] : []),
    ...entry.authors.map((a) => element('dc:creator', {}, a.name)),
    ...entry.contributors.map((c) => element('dc:contributor', {}, c.name)),
    ...entry.categories.map((c, i) => element('category', { domain: i === 0 ? undefined : (c.scheme ?? topicScheme) }, c.label)),
    element('description', {}, entry.summary),
    ...(entry.contentHtml !== undefined ? [element('content:encoded', {}, entry.contentHtml)] : []),
  ];
  const image = entry.image;
  // One enclosure an item, as readers take only the first: the lead clip when there is one.
  if (entry.clip) lines.push(element('enclosure', { url: entry.clip.url, length: entry.clip.bytes, type: entry.clip.type }));
  if (image) {
    if (!entry.clip && image.bytes !== undefined && image.type) lines.push(element('enclosure', { url: image.url, length: image.bytes, type: image.type }));
    const description = image.alt ? `${element('media:description', { type: 'plain' }, image.alt)}</media:content>` : '';
    const content = element('media:content', { url: image.url, medium: 'image', type: image.type, width: image.width, height: image.height });
    lines.push(description ? content.replace(/\/>$/, '>') + description : content);
  }
  return `<item>\n${lines.join('\n')}\n</item>`;
}

export function renderRss(feed: FeedDocument): string {
  const topicScheme = new URL('/topic/', feed.homeUrl).href;
  const items = feed.entries.map((entry) => item(entry, topicScheme)).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
${element('title', {}, feed.title)}
${element('link', {}, feed.homeUrl)}
${element('description', {}, feed.description)}
${element('language', {}, feed.language)}
<atom:link href="${escapeXml(feed.addresses.rss)}" rel="self" type="${RSS_TYPE}"/>
${element('lastBuildDate', {}, rfc822(feed.updatedAt))}
${items}
</channel>
</rss>
`;
}
