// RSS 2.0 documents. Pure: stories in, XML out.

export interface FeedItem {
  title: string;
  url: string;
  description: string;
  publishedAt: string;
  category: string;
  /** The story's lead clip as a file (the progressive MP4), for podcast-style readers. */
  enclosure?: { url: string; length: number; type: string };
}

export interface Feed {
  title: string;
  description: string;
  siteUrl: string;
  selfUrl: string;
  items: FeedItem[];
}

export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function renderRss(feed: Feed): string {
  const lastBuild = feed.items[0]?.publishedAt;
  const items = feed.items
    .map(
      (item) => `<item>
<title>${escapeXml(item.title)}</title>
<link>${escapeXml(item.url)}</link>
<guid isPermaLink="true">${escapeXml(item.url)}</guid>
<pubDate>${new Date(item.publishedAt).toUTCString()}</pubDate>
<category>${escapeXml(item.category)}</category>
<description>${escapeXml(item.description)}</description>${item.enclosure ? `\n<enclosure url="${escapeXml(item.enclosure.url)}" length="${item.enclosure.length}" type="${escapeXml(item.enclosure.type)}"/>` : ''}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${escapeXml(feed.title)}</title>
<link>${escapeXml(feed.siteUrl)}</link>
<description>${escapeXml(feed.description)}</description>
<language>en</language>
<atom:link href="${escapeXml(feed.selfUrl)}" rel="self" type="application/rss+xml"/>
${lastBuild ? `<lastBuildDate>${new Date(lastBuild).toUTCString()}</lastBuildDate>\n` : ''}${items}
</channel>
</rss>
`;
}
