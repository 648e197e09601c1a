// The site-wide and per-section RSS feeds, as cacheable pages.
import { articlePath } from '../articles/model.ts';
import { tags } from '../articles/change-tags.ts';
import type { ArticleService } from '../articles/article-service.ts';
import type { PageResult } from '../platform/page-responder.ts';
import { SETTINGS_TAG, type SettingsService } from '../settings/settings-service.ts';
import { renderRss } from './rss.ts';

export const FEED_SIZE = 30;
const FEED_CONTENT_TYPE = 'application/rss+xml; charset=utf-8';

export class FeedPages {
  constructor(
    private readonly articles: ArticleService,
    private readonly settings: SettingsService,
    private readonly siteUrl: string,
  ) {}

  async site(): Promise<PageResult> {
    const settings = await this.settings.get();
    return this.feed({}, tags.allLists, settings.siteName, settings.tagline || `The latest news from ${settings.siteName}.`, '/feed.xml');
  }

  async section(slug: string): Promise<PageResult | null> {
    const section = await this.articles.sectionBySlug(slug);
    if (!section) return null;
    const settings = await this.settings.get();
    return this.feed(
      { sectionId: section.id },
      tags.sectionList(section.id),
      `${settings.siteName}: ${section.name}`,
      section.description || `The latest ${section.name.toLowerCase()} news from ${settings.siteName}.`,
      `/${section.slug}/feed.xml`,
    );
  }

  private async feed(filter: { sectionId?: number }, listTag: string, title: string, description: string, path: string): Promise<PageResult> {
    const stories = await this.articles.listPublished(filter, { limit: FEED_SIZE });
    const body = renderRss({
      title,
      description,
      siteUrl: this.siteUrl + '/',
      selfUrl: this.siteUrl + path,
      items: stories.map((s) => ({
        title: s.headline,
        url: this.siteUrl + articlePath(s),
        description: s.dek,
        publishedAt: s.publishedAt,
        category: s.section.name,
      })),
    });
    return {
      body,
      contentType: FEED_CONTENT_TYPE,
      tags: [SETTINGS_TAG, tags.sections, listTag, ...stories.map((s) => tags.article(s.id))],
    };
  }
}
