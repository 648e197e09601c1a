// The site's sitemaps as cacheable pages: an index, the fronts (home and sections), every visible
// story in pages of STORIES_PER_SITEMAP (newest first), and the Google News sitemap of the last
// two days. Scheduled stories are absent until their time, like everywhere else on the site.
import { articlePath } from '../articles/model.ts';
import { tags } from '../articles/change-tags.ts';
import type { ArticleService } from '../articles/article-service.ts';
import type { PageResult } from '../platform/page-responder.ts';
import { SETTINGS_TAG, type SettingsService } from '../settings/settings-service.ts';
import { renderNewsSitemap, renderSitemapIndex, renderUrlSet, renderVideoSitemap } from './sitemap.ts';
import { videoTag } from '../media/change-tags.ts';
import type { VideoService } from '../media/video/video-service.ts';
import { fileUrl } from '../media/video/video-transcoder.ts';

/** Well under the protocol's 50,000 URLs and 50 MB: a page stays quick to render on a miss. */
export const STORIES_PER_SITEMAP = 10_000;
/** Google News takes stories of the last two days, at most 1,000. */
export const NEWS_WINDOW_MS = 2 * 24 * 3600_000;
export const NEWS_LIMIT = 1000;

const XML = 'application/xml; charset=utf-8';
/** Stories with clips in the video sitemap: the newest, well inside the protocol's limits. */
export const VIDEO_SITEMAP_LIMIT = 5000;

/** Every sitemap shows the set of visible stories; the news one also the site's name. */
const SITEMAP_TAGS = [tags.sitemaps, tags.allLists, tags.sections];

export class SitemapPages {
  constructor(
    private readonly articles: ArticleService,
    private readonly settings: SettingsService,
    private readonly siteUrl: string,
    private readonly now: () => Date = () => new Date(),
    private readonly videos?: Pick<VideoService, 'byIds'>,
  ) {}

  async index(): Promise<PageResult> {
    const total = await this.articles.countPublished({});
    const pages = Math.max(1, Math.ceil(total / STORIES_PER_SITEMAP));
    const body = renderSitemapIndex([
      { url: `${this.siteUrl}/sitemap-news.xml` },
      { url: `${this.siteUrl}/sitemap-sections.xml` },
      ...(this.videos ? [{ url: `${this.siteUrl}/sitemap-videos.xml` }] : []),
      ...Array.from({ length: pages }, (_, i) => ({ url: `${this.siteUrl}/sitemap-stories-${i + 1}.xml` })),
    ]);
    return { body, contentType: XML, tags: SITEMAP_TAGS };
  }

  async sections(): Promise<PageResult> {
    const sections = await this.articles.sections();
    const body = renderUrlSet([{ url: `${this.siteUrl}/` }, ...sections.map((s) => ({ url: `${this.siteUrl}/${s.slug}` }))]);
    return { body, contentType: XML, tags: SITEMAP_TAGS };
  }

  /** Page n (from 1) of the stories, newest first; null past the last page (page 1 always exists). */
  async stories(page: number): Promise<PageResult | null> {
    const stories = await this.articles.listPublished({}, { limit: STORIES_PER_SITEMAP, offset: (page - 1) * STORIES_PER_SITEMAP });
    if (stories.length === 0 && page > 1) return null;
    const body = renderUrlSet(stories.map((s) => ({ url: this.siteUrl + articlePath(s), lastModified: s.updatedAt })));
    return { body, contentType: XML, tags: SITEMAP_TAGS };
  }

  /** Published stories' playable clips (poster, title, the MP4), newest stories first. */
  async videoSitemap(): Promise<PageResult> {
    const stories = await this.articles.publishedWithClips(VIDEO_SITEMAP_LIMIT);
    const allIds = stories.flatMap((s) => s.videoIds);
    const clips = new Map((await (this.videos?.byIds(allIds) ?? Promise.resolve([]))).map((v) => [v.id, v]));
    const entries = stories.flatMap(({ story, videoIds }) => {
      const videos = videoIds.flatMap((id) => {
        const clip = clips.get(id);
        const poster = clip?.poster.find((p) => p.format === 'jpeg' && p.width >= 640) ?? clip?.poster.find((p) => p.format === 'jpeg');
        if (!clip?.media || !clip.folder || !poster) return [];
        const content = clip.mp4 ? fileUrl(clip.folder, clip.mp4.file) : clip.media.hlsUrl;
        return [{ title: clip.title, description: clip.caption || clip.alt || clip.title, thumbnailUrl: this.siteUrl + fileUrl(clip.folder, poster.file), contentUrl: this.siteUrl + content, durationSeconds: clip.durationSeconds, publishedAt: story.publishedAt ?? clip.createdAt }];
      });
      return videos.length ? [{ url: this.siteUrl + articlePath(story), videos }] : [];
    });
    // Every clip named is tagged, ready or not: one becoming playable (or deleted) redraws this page.
    return { body: renderVideoSitemap(entries), contentType: XML, tags: [...SITEMAP_TAGS, ...allIds.map(videoTag)] };
  }

  async news(): Promise<PageResult> {
    const since = new Date(this.now().getTime() - NEWS_WINDOW_MS).toISOString();
    const [recent, settings] = await Promise.all([this.articles.listPublished({}, { limit: NEWS_LIMIT }), this.settings.get()]);
    const body = renderNewsSitemap(
      { name: settings.siteName, language: 'en' },
      recent.filter((s) => s.publishedAt >= since).map((s) => ({ url: this.siteUrl + articlePath(s), title: s.headline, publishedAt: s.publishedAt })),
    );
    // Stories age out of the window without any change being recorded: CDNs keep this briefly, and
    // this node's copy is redrawn at the next publish (on a quiet site an old story may linger
    // until then; Google ignores entries older than two days).
    return { body, contentType: XML, tags: [...SITEMAP_TAGS, SETTINGS_TAG], cacheControl: 'public, max-age=300' };
  }
}
