// Sitemaps (sitemaps.org 0.9) and the Google News sitemap extension. Pure: addresses in, XML out.
import { escapeXml } from './xml.ts';

export interface SitemapEntry {
  url: string;
  /** ISO time of the last change readers would notice. */
  lastModified?: string;
}

export interface NewsEntry {
  url: string;
  title: string;
  publishedAt: string;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

export function renderSitemapIndex(sitemaps: SitemapEntry[]): string {
  const items = sitemaps.map((s) => `<sitemap><loc>${escapeXml(s.url)}</loc>${lastmod(s)}</sitemap>`).join('\n');
  return `${XML_HEAD}<sitemapindex xmlns="${NS}">\n${items}\n</sitemapindex>\n`;
}

export function renderUrlSet(entries: SitemapEntry[]): string {
  const items = entries.map((e) => `<url><loc>${escapeXml(e.url)}</loc>${lastmod(e)}</url>`).join('\n');
  return `${XML_HEAD}<urlset xmlns="${NS}">\n${items}\n</urlset>\n`;
}

/** Google News: stories of the last two days, each with the publication's name and language. */
export function renderNewsSitemap(publication: { name: string; language: string }, entries: NewsEntry[]): string {
  const items = entries
    .map(
      (e) =>
        `<url><loc>${escapeXml(e.url)}</loc><news:news><news:publication><news:name>${escapeXml(publication.name)}</news:name>` +
        `<news:language>${escapeXml(publication.language)}</news:language></news:publication>` +
        `<news:publication_date>${escapeXml(e.publishedAt)}</news:publication_date><news:title>${escapeXml(e.title)}</news:title></news:news></url>`,
    )
    .join('\n');
  return `${XML_HEAD}<urlset xmlns="${NS}" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n${items}\n</urlset>\n`;
}

function lastmod(entry: SitemapEntry): string {
  return entry.lastModified ? `<lastmod>${escapeXml(entry.lastModified)}</lastmod>` : '';
}
