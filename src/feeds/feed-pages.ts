// The site-wide and per-section RSS feeds, as cacheable pages.
import { articlePath } from '../articles/model.ts';
import { tags } from '../articles/change-tags.ts';
import type { ArticleService } from '../articles/article-service.ts';
import type { PageResult } from '../platform/page-responder.ts';
import { SETTINGS_TAG, type SettingsService } from '../settings/settings-service.ts';
import { renderRss } from './rss.ts';
import { videoMediaTag } from '../media/change-tags.ts';
import type { VideoService } from '../media/video/video-service.ts';
import { fileUrl } from '../media/video/video-transcoder.ts';

export const FEED_SIZE = 30;
const FEED_CONTENT_TYPE = 'application/rss+xml; charset=utf-8';

export class FeedPages {
  constructor(
    private readonly articles: ArticleService,
    private readonly settings: SettingsService,
    private readonly siteUrl: string,
    private readonly videos?: Pick<VideoService, 'byIds'>,
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
    // The lead clip of each story, as its enclosure once the progressive MP4 exists.
    const leads = this.videos ? await this.articles.leadClips(stories.map((s) => s.id)) : new Map<number, number>();
    const clips = new Map((await (this.videos?.byIds([...leads.values()]) ?? Promise.resolve([]))).map((v) => [v.id, v]));
    const enclosure = (storyId: number) => {
      const clip = clips.get(leads.get(storyId) ?? 0);
      return clip?.mp4 && clip.folder ? { url: this.siteUrl + fileUrl(clip.folder, clip.mp4.file), length: clip.mp4.bytes, type: 'video/mp4' } : undefined;
    };
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
        enclosure: enclosure(s.id),
      })),
    });
    return {
      body,
      contentType: FEED_CONTENT_TYPE,
      tags: [SETTINGS_TAG, tags.sections, listTag, ...stories.map((s) => tags.article(s.id)), ...[...leads.values()].map(videoMediaTag)],
    };
  }
}
