// The site's feeds as cacheable pages: the whole site, each section, author and topic, each in
// RSS 2.0, Atom 1.0 and JSON Feed 1.1, the latest FEED_SIZE stories. All three formats are drawn
// from one FeedDocument, so they agree. Full text or excerpt is a site setting.
import { articlePath, type Article } from '../articles/model.ts';
import { tags } from '../articles/change-tags.ts';
import { excerpt } from '../articles/body.ts';
import type { ArticleService } from '../articles/article-service.ts';
import { imageTag, videoMediaTag } from '../media/change-tags.ts';
import type { ImageRecord } from '../media/image-service.ts';
import { shareImageOf } from '../media/share-image.ts';
import type { VideoService } from '../media/video/video-service.ts';
import { fileUrl } from '../media/video/video-transcoder.ts';
import type { PageResult } from '../platform/page-responder.ts';
import { SETTINGS_TAG, type SettingsService, type SiteSettings } from '../settings/settings-service.ts';
import { renderAtom } from './atom.ts';
import { later, storyTagUri, type FeedClip, type FeedDocument, type FeedEntry, type FeedImage } from './feed-document.ts';
import { FEED_TYPES, feedPath, type FeedFormat } from './feed-paths.ts';
import { renderJsonFeed } from './json-feed.ts';
import { portableBody } from './portable-body.tsx';
import { renderRss } from './rss.ts';

export const FEED_SIZE = 50;
const SUMMARY_LENGTH = 300;

const RENDERERS: Record<FeedFormat, (feed: FeedDocument) => string> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };

export interface FeedPagesDeps {
  articles: ArticleService;
  settings: SettingsService;
  images: { find(id: number): Promise<ImageRecord | undefined> };
  /** The clips behind the stories' lead videos (their MP4s are the items' enclosures). */
  videos: Pick<VideoService, 'byIds'>;
  siteUrl: string;
  now: () => Date;
}

/** What one feed follows: which stories, what it is called, and the list tag a change to it records. */
interface FeedSubject {
  filter: { sectionId?: number; authorId?: number; topicId?: number };
  base: string;
  title: string;
  description: string;
  tags: string[];
}

export class FeedPages {
  constructor(private readonly deps: FeedPagesDeps) {}

  async site(format: FeedFormat): Promise<PageResult> {
    const settings = await this.deps.settings.get();
    return this.feed(format, settings, {
      filter: {},
      base: '',
      title: settings.siteName,
      description: settings.tagline || `The latest news from ${settings.siteName}.`,
      tags: [tags.allLists],
    });
  }

  async section(slug: string, format: FeedFormat): Promise<PageResult | null> {
    const [section, settings] = await Promise.all([this.deps.articles.sectionBySlug(slug), this.deps.settings.get()]);
    if (!section) return null;
    return this.feed(format, settings, {
      filter: { sectionId: section.id },
      base: `/${section.slug}`,
      title: `${settings.siteName}: ${section.name}`,
      description: section.description || `The latest ${section.name.toLowerCase()} news from ${settings.siteName}.`,
      tags: [tags.sectionList(section.id)],
    });
  }

  async author(slug: string, format: FeedFormat): Promise<PageResult | null> {
    const [author, settings] = await Promise.all([this.deps.articles.authorBySlug(slug), this.deps.settings.get()]);
    if (!author) return null;
    return this.feed(format, settings, {
      filter: { authorId: author.id },
      base: `/author/${author.slug}`,
      title: `${settings.siteName}: ${author.name}`,
      description: `Stories by ${author.name} for ${settings.siteName}.`,
      tags: [tags.authorList(author.id), tags.author(author.id)],
    });
  }

  /** A topic only unpublished stories carry does not exist yet (as its page): no feed. */
  async topic(slug: string, format: FeedFormat): Promise<PageResult | null> {
    const [topic, settings] = await Promise.all([this.deps.articles.topicBySlug(slug), this.deps.settings.get()]);
    if (!topic || (await this.deps.articles.listPublished({ topicId: topic.id }, { limit: 1 })).length === 0) return null;
    return this.feed(format, settings, {
      filter: { topicId: topic.id },
      base: `/topic/${topic.slug}`,
      title: `${settings.siteName}: ${topic.name}`,
      description: `The latest stories about ${topic.name} from ${settings.siteName}.`,
      tags: [tags.topicList(topic.id)],
    });
  }

  private async feed(format: FeedFormat, settings: SiteSettings, subject: FeedSubject): Promise<PageResult> {
    const { articles, siteUrl } = this.deps;
    const listed = await articles.listPublished(subject.filter, { limit: FEED_SIZE });
    const stories = (await Promise.all(listed.map((s) => articles.findById(s.id)))).filter((s): s is Article => s !== undefined);
    const shown = new Set<string>();
    const clips = await this.leadClips(stories.map((s) => s.id), shown);
    const entries = await Promise.all(stories.map(async (story) => ({ ...(await this.entry(story, settings, shown)), ...(clips.has(story.id) && { clip: clips.get(story.id) }) })));
    const document: FeedDocument = {
      title: subject.title,
      description: subject.description,
      homeUrl: siteUrl + (subject.base || '/'),
      addresses: { rss: siteUrl + feedPath(subject.base, 'rss'), atom: siteUrl + feedPath(subject.base, 'atom'), json: siteUrl + feedPath(subject.base, 'json') },
      language: 'en',
      updatedAt: entries.reduce((newest, e) => later(newest, e.updatedAt), '') || this.deps.now().toISOString(),
      icon: `${siteUrl}/favicon.svg`,
      siteName: settings.siteName,
      entries,
    };
    return {
      body: RENDERERS[format](document),
      contentType: `${FEED_TYPES[format]}; charset=utf-8`,
      // The site's name and section names are in every feed; each story's text, bylines and pictures in its entry.
      tags: [SETTINGS_TAG, tags.sections, ...subject.tags, ...stories.map((s) => tags.article(s.id)), ...stories.flatMap((s) => s.authors.map((a) => tags.author(a.id))), ...shown],
    };
  }

  private async entry(story: Article, settings: SiteSettings, shownTags: Set<string>): Promise<FeedEntry> {
    const { siteUrl, images } = this.deps;
    const publishedAt = story.publishedAt!;
    const lastCorrection = story.corrections.at(-1)?.createdAt ?? publishedAt;
    const people = story.authors.length
      ? story.authors.map((a) => ({ name: a.name, url: `${siteUrl}/author/${a.slug}` }))
      : story.credit.agencies.length
        ? story.credit.agencies.map((name) => ({ name }))
        : [{ name: settings.siteName, url: `${siteUrl}/` }];
    let contentHtml: string | undefined;
    if (settings.feedContent === 'full') {
      const body = await portableBody(story, siteUrl, images);
      body.imageIds.forEach((id) => shownTags.add(imageTag(id)));
      contentHtml = body.html;
    }
    const image = await this.leadImage(story, shownTags);
    return {
      id: storyTagUri(siteUrl, story.createdAt, story.id),
      url: siteUrl + articlePath(story),
      title: story.headline,
      summary: story.dek || excerpt(story.body, SUMMARY_LENGTH),
      contentHtml,
      publishedAt,
      updatedAt: later(later(story.updatedAt, lastCorrection), publishedAt),
      authors: people,
      contributors: story.credit.contributors.map((name) => ({ name })),
      categories: [
        { term: story.section.slug, label: story.section.name },
        ...story.topics.map((t) => ({ term: t.slug, label: t.name })),
      ],
      image,
    };
  }

  /** Each story's lead clip as a file, once its progressive MP4 exists; its tag joins the page's. */
  private async leadClips(storyIds: number[], shownTags: Set<string>): Promise<Map<number, FeedClip>> {
    const leads = await this.deps.articles.leadClips(storyIds);
    for (const clipId of leads.values()) shownTags.add(videoMediaTag(clipId));
    const clips = new Map((await this.deps.videos.byIds([...leads.values()])).map((v) => [v.id, v]));
    const files = new Map<number, FeedClip>();
    for (const [storyId, clipId] of leads) {
      const clip = clips.get(clipId);
      if (clip?.mp4 && clip.folder) files.set(storyId, { url: this.deps.siteUrl + fileUrl(clip.folder, clip.mp4.file), bytes: clip.mp4.bytes, type: 'video/mp4' });
    }
    return files;
  }

  /** The library's share variant (its size and type known); else the stored address of an older lead image. */
  private async leadImage(story: Article, shownTags: Set<string>): Promise<FeedImage | undefined> {
    const lead = story.leadImage;
    if (!lead) return undefined;
    const record = lead.imageId ? await this.deps.images.find(lead.imageId) : undefined;
    const share = record && shareImageOf(record);
    if (share) {
      shownTags.add(imageTag(record.id));
      return { ...share, url: this.deps.siteUrl + share.url };
    }
    const url = /^https?:\/\//.test(lead.url) ? lead.url : this.deps.siteUrl + (lead.url.startsWith('/') ? lead.url : `/${lead.url}`);
    const type = /\.png$/i.test(lead.url) ? 'image/png' : /\.jpe?g$/i.test(lead.url) ? 'image/jpeg' : /\.webp$/i.test(lead.url) ? 'image/webp' : undefined;
    return { url, alt: lead.alt, type };
  }
}
