// Where feeds live: every page that lists stories (the front, a section, an author, a topic) has
// its three feeds beside it, `<page>/feed.xml` (RSS), `<page>/atom.xml` and `<page>/feed.json`.
// Pages offer them to feed readers with <link rel="alternate"> (autodiscovery).

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

const FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/** `base` is the listing page's path: '' for the front, '/national', '/author/ada', '/topic/floods'. */
export function feedPath(base: string, format: FeedFormat): string {
  return `${base}/${FEED_FILES[format]}`;
}

/** The autodiscovery links of a listing page, RSS first (readers that take one take the first). */
export function feedLinks(base: string, title: string): { type: string; href: string; title: string }[] {
  return (Object.keys(FEED_FILES) as FeedFormat[]).map((format) => ({ type: FEED_TYPES[format], href: feedPath(base, format), title: `${title} (${FORMAT_NAMES[format]})` }));
}
