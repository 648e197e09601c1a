// Atom 1.0 documents (RFC 4287). Pure: a feed document in, XML out. The feed names the site as
// its author, so an entry without a byline is still valid; the picture is an enclosure link
// and Media RSS, as feed readers look for either.
import type { FeedDocument, FeedEntry, FeedPerson } from './feed-document.ts';
import { element, escapeXml } from './xml.ts';

export const ATOM_TYPE = 'application/atom+xml';

function person(tag: 'author' | 'contributor', p: FeedPerson): string {
  return `<${tag}>${element('name', {}, p.name)}${p.url ? element('uri', {}, p.url) : ''}</${tag}>`;
}

function entry(e: FeedEntry, topicScheme: string, sectionScheme: string): string {
  const lines = [
    element('id', {}, e.id),
    element('title', { type: 'text' }, e.title),
    element('link', { rel: 'alternate', type: 'text/html', href: e.url }),
    element('published', {}, e.publishedAt),
    element('updated', {}, e.updatedAt),
    ...e.authors.map((a) => person('author', a)),
    ...e.contributors.map((c) => person('contributor', c)),
    ...e.categories.map((c, i) => element('category', { term: c.term, label: c.label, scheme: c.scheme ?? (i === 0 ? sectionScheme : topicScheme) })),
    element('summary', { type: 'text' }, e.summary),
    ...(e.contentHtml !== undefined ? [element('content', { type: 'html' }, e.contentHtml)] : []),
  ];
  const image = e.image;
  if (e.clip) lines.push(element('link', { rel: 'enclosure', type: e.clip.type, length: e.clip.bytes, href: e.clip.url }));
  if (image) {
    if (image.type) lines.push(element('link', { rel: 'enclosure', type: image.type, length: image.bytes, href: image.url }));
    lines.push(element('media:content', { url: image.url, medium: 'image', type: image.type, width: image.width, height: image.height }));
  }
  return `<entry>\n${lines.join('\n')}\n</entry>`;
}

export function renderAtom(feed: FeedDocument): string {
  const topicScheme = new URL('/topic/', feed.homeUrl).href;
  const sectionScheme = new URL('/', feed.homeUrl).href;
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="${escapeXml(feed.language)}">
${element('id', {}, feed.addresses.atom)}
${element('title', { type: 'text' }, feed.title)}
${element('subtitle', { type: 'text' }, feed.description)}
${element('link', { rel: 'alternate', type: 'text/html', href: feed.homeUrl })}
${element('link', { rel: 'self', type: ATOM_TYPE, href: feed.addresses.atom })}
${element('updated', {}, feed.updatedAt)}
${person('author', { name: feed.siteName, url: sectionScheme })}
${element('icon', {}, feed.icon)}
${feed.entries.map((e) => entry(e, topicScheme, sectionScheme)).join('\n')}
</feed>
`;
}
