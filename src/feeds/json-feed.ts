// JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Pure: a feed document in, JSON out. The
// format has no contributors; they go in an extension object (keys starting "_", which readers
// that do not know them ignore, as the specification asks).
import type { FeedDocument, FeedEntry } from './feed-document.ts';

export const JSON_FEED_TYPE = 'application/feed+json';

function item(e: FeedEntry): Record<string, unknown> {
  return {
    id: e.id,
    url: e.url,
    title: e.title,
    ...(e.contentHtml !== undefined ? { content_html: e.contentHtml } : { content_text: e.summary }),
    summary: e.summary,
    ...(e.image && { image: e.image.url }),
    ...(e.clip && { attachments: [{ url: e.clip.url, mime_type: e.clip.type, size_in_bytes: e.clip.bytes }] }),
    date_published: e.publishedAt,
    date_modified: e.updatedAt,
    authors: e.authors.map((a) => ({ name: a.name, ...(a.url && { url: a.url }) })),
    tags: e.categories.map((c) => c.label),
    ...(e.contributors.length > 0 && { _credits: { contributors: e.contributors.map((c) => c.name) } }),
  };
}

export function renderJsonFeed(feed: FeedDocument): string {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.addresses.json,
    description: feed.description,
    language: feed.language,
    favicon: feed.icon,
    authors: [{ name: feed.siteName, url: new URL('/', feed.homeUrl).href }],
    items: feed.entries.map(item),
  };
  return JSON.stringify(document, null, 1) + '\n';
}
