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

export interface VideoEntry {
  /** The story's page. */
  url: string;
  videos: { title: string; description: string; thumbnailUrl: string; contentUrl: string; durationSeconds: number | null; publishedAt: string }[];
}

/** The video sitemap extension: each story page with the clips it plays. */
export function renderVideoSitemap(entries: VideoEntry[]): string {
  const items = entries
    .map(
      (e) =>
        `<url><loc>${escapeXml(e.url)}</loc>` +
        e.videos
          .map(
            (v) =>
              `<video:video><video:thumbnail_loc>${escapeXml(v.thumbnailUrl)}</video:thumbnail_loc><video:title>${escapeXml(v.title)}</video:title>` +
              `<video:description>${escapeXml(v.description)}</video:description><video:content_loc>${escapeXml(v.contentUrl)}</video:content_loc>` +
              `${v.durationSeconds !== null ? `<video:duration>${Math.max(1, Math.round(v.durationSeconds))}</video:duration>` : ''}` +
              `<video:publication_date>${escapeXml(v.publishedAt)}</video:publication_date></video:video>`,
          )
          .join('') +
        '</url>',
    )
    .join('\n');
  return `${XML_HEAD}<urlset xmlns="${NS}" xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">\n${items}\n</urlset>\n`;
}

function lastmod(entry: SitemapEntry): string {
  return entry.lastModified ? `<lastmod>${escapeXml(entry.lastModified)}</lastmod>` : '';
}
