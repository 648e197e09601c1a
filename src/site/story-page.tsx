// The story page: the story with its pictures, clips, ad slots and the alerts box placed in its
// body, the parts other features put under it (Related Articles) and its comments; its metadata
// and JSON-LD (its playable clips as the NewsArticle's `video`); and every tag that drops it from
// the caches when something it shows changes. SitePages serves it, and the newsroom’s preview.
import type { VNode } from 'preact';
import { tags as articleTags } from '../articles/change-tags.ts';
import { bodyImageIds } from '../articles/body.ts';
import type { Article } from '../articles/model.ts';
import { ADS_TAG, type AdService } from '../ads/ad-service.ts';
import type { StoryComments } from '../comments/story-comments.tsx';
import { imageTag, videoTag } from '../media/change-tags.ts';
import type { ImageService } from '../media/image-service.ts';
import type { VideoService } from '../media/video/video-service.ts';
import { videoObjectJsonLd } from '../media/video/video-json-ld.ts';
import { STORY_CACHE_CONTROL, type PageResult } from '../platform/page-responder.ts';
import { SETTINGS_TAG, type SettingsService, type SiteSettings } from '../settings/settings-service.ts';
import { articleMeta } from './article-meta.ts';
import { ArticlePage, type BoxPlacer } from './article-page.tsx';
import type { DateFormatter } from './dates.ts';
import type { Publisher } from './json-ld.ts';
import type { PageMeta } from './layout.tsx';
import type { SocialCards } from './social-card.ts';

/** Tags every page carries: the navigation and the site settings show on all of them. */
export const CHROME_TAGS = [articleTags.sections, SETTINGS_TAG];

/** The services a story page draws from. */
export interface StoryPageDeps {
  videos: VideoService;
  images: Pick<ImageService, 'find'>;
  ads: AdService;
  settings: SettingsService;
  /** The thread and form under a story, and the counts on cards. */
  comments: StoryComments;
  siteUrl: string;
  /** Drawn link-preview images and the fallback publisher logo. */
  cards: SocialCards;
  /** The story page's video code: the facade's (loaded with a page that has a playable clip) and the player chunk it loads on a click. */
  videoScripts?: { facade: () => Promise<string>; player: () => Promise<string> };
}

/**
 * A box another feature shows in every story and on section and topic pages, the same for every
 * reader (the alerts sign-up). Registered after the pages are built, since that feature is built after them.
 */
export interface PageBox {
  place: BoxPlacer;
  /** The box for a page about this section; `idPrefix` keeps its ids unique on the page. */
  render(section: { slug: string; name: string }, idPrefix: string): Promise<VNode>;
  /** The box for a topic's page (following the topic). */
  renderForTopic(topic: { slug: string; name: string }, idPrefix: string): Promise<VNode>;
}

/**
 * A part another feature shows under every story, after its body and before the comments (Related
 * Articles), drawn from stored data only. Its tags join the page's, also when it shows nothing
 * (node null): what it would show may change.
 */
export interface StoryPart {
  render(article: Article, dates: DateFormatter): Promise<{ node: VNode | null; tags: string[] }>;
}

/** What the story page needs of the site's pages: their services, and the layout around it. */
export interface StoryPageEnv {
  deps: StoryPageDeps;
  dates: DateFormatter;
  box: PageBox | undefined;
  parts: readonly StoryPart[];
  publisher(settings: SiteSettings): Promise<Publisher>;
  page(meta: PageMeta, currentSection: string | undefined, content: VNode, pageScripts: string[]): Promise<string>;
}

export async function storyPage(article: Article, options: { preview: boolean; pendingCommentId?: number }, env: StoryPageEnv): Promise<PageResult> {
const { preview, pendingCommentId } = options;
const { videos, ads } = env.deps;
  const videoIds = article.body.content.flatMap((b) => (b.type === 'video' && b.attrs.videoId !== null ? [b.attrs.videoId] : []));
  const leadImageId = article.leadImage?.imageId ?? null;
  const bodyImageIdList = bodyImageIds(article.body);
  const [clips, captions, creatives, settings, leadPicture, bodyImages, comments, box, parts] = await Promise.all([
    videos.byIds(videoIds),
    videos.captionsOf(videoIds),
    ads.activeCreatives(),
    env.deps.settings.get(),
    leadImageId ? env.deps.images.find(leadImageId) : undefined,
    Promise.all(bodyImageIdList.map((id) => env.deps.images.find(id))),
    preview ? null : env.deps.comments.part(article, pendingCommentId),
    env.box?.render(article.section, 'story-alerts'),
    // Not in the preview: what a story's neighbours are is decided once it is published.
    preview ? [] : Promise.all(env.parts.map((part) => part.render(article, env.dates))),
  ]);
  const meta = await articleMeta(article, { publisher: await env.publisher(settings), preview, leadPicture, images: env.deps.images, cards: env.deps.cards });
  const playable = clips.some((clip) => clip.media);
  // Clips readers can play are described with the story, in the order the story shows them.
  const videoObjects = videoIds.flatMap((id) => {
    const clip = clips.find((c) => c.id === id);
    const object = clip && videoObjectJsonLd(clip, env.deps.siteUrl);
    return object ? [object] : [];
  });
  // The first JSON-LD object is the NewsArticle (article-meta.ts): its clips are its `video`.
  if (videoObjects.length && meta.jsonLd) meta.jsonLd = meta.jsonLd.map((data, i) => (i === 0 ? { ...data, video: videoObjects } : data));
  const [facadeScript, playerUrl] = playable && env.deps.videoScripts ? await Promise.all([env.deps.videoScripts.facade(), env.deps.videoScripts.player()]) : [];
  const body = await env.page(meta, article.section.slug, (
    <>
    {preview && (
      <p class="preview-banner" role="status">
        Preview: {article.status === 'published' ? 'with pending changes, ' : ''}not what readers see yet.
      </p>
    )}
    <ArticlePage
      article={article}
      videos={new Map(clips.map((v) => [v.id, v]))}
      captions={captions}
      playerUrl={playerUrl}
      creativeFor={(slot) => ads.pick(creatives, article.id, slot)}
      leadPicture={leadPicture}
      bodyPictures={new Map(bodyImages.flatMap((image) => (image ? [[image.id, image] as const] : [])))}
      dates={env.dates}
      siteName={settings.siteName}
      box={box && env.box ? { node: box, place: env.box.place } : undefined}
    />
    {parts.map((part) => part.node)}
    {comments?.node}
    </>
  ), facadeScript ? [facadeScript] : []);
  return {
    body,
    cacheControl: STORY_CACHE_CONTROL,
    tags: [
      ...CHROME_TAGS,
      ADS_TAG,
      articleTags.article(article.id),
      ...article.authors.map((a) => articleTags.author(a.id)),
      ...videoIds.map(videoTag),
      ...(leadImageId ? [imageTag(leadImageId)] : []),
      ...(article.socialImageId ? [imageTag(article.socialImageId)] : []),
      ...bodyImageIdList.map(imageTag),
      ...(comments?.tags ?? []),
      ...parts.flatMap((part) => part.tags),
    ],
  };
}
