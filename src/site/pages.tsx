// Composes reader pages from the features' data and views. Each page returns its HTML and the
// cache tags naming everything it shows, so a change can drop exactly the pages it affects.
import type { VNode } from 'preact';
import { excerpt } from '../articles/body.ts';
import type { ArticleService } from '../articles/article-service.ts';
import { tags as articleTags } from '../articles/change-tags.ts';
import type { Article, ArticleSummary } from '../articles/model.ts';
import { TOPICS_TAG, type TopicService } from '../articles/topics/topic-service.ts';
import { imageTag } from '../media/change-tags.ts';
import { ResponsivePicture } from '../media/image-picture.tsx';
import { shareImageOf } from '../media/share-image.ts';
import type { PageResult } from '../platform/page-responder.ts';
import { renderDocument } from '../platform/render.ts';
import type { SiteSettings } from '../settings/settings-service.ts';
import { dateFormatter, type DateFormatter } from './dates.ts';
import { BadRequestPage, GonePage, NotFoundPage, refusalTitle, ServerErrorPage } from './error-page.tsx';
import { FrontPage } from './front-page.tsx';
import { breadcrumbJsonLd, collectionPageJsonLd, profilePageJsonLd, websiteJsonLd, type Publisher } from './json-ld.ts';
import { Layout, type PageMeta } from './layout.tsx';
import { ListingPage } from './listing-page.tsx';
import { CHROME_TAGS, storyPage, type PageBox, type StoryPageDeps, type StoryPart } from './story-page.tsx';
import { TopicsIndexPage } from './topics-index-page.tsx';

export type { PageBox, StoryPart } from './story-page.tsx';

export interface SitePagesDeps extends StoryPageDeps {
  articles: ArticleService;
  /** Topics' descriptions and the topics index. */
  topics: Pick<TopicService, 'bySlug' | 'index'>;
  timeZone: string;
  css: string;
}

/** An author's photo on their page (styles.css .author-photo: 6rem wide). */
const AUTHOR_PHOTO_SIZES = '6rem';

export const PAGE_SIZE = 20;
const RAIL_SIZE = 4;
/** The lead, the top stories beside it, then the latest list. */
const TOP_SIZE = 4;
const LATEST_SIZE = 8;



export class SitePages {
  private readonly dates: DateFormatter;
  private box: PageBox | undefined;
  private readonly scripts: (() => Promise<string>)[] = [];
  private readonly storyParts: StoryPart[] = [];

  constructor(private readonly deps: SitePagesDeps) {
    this.dates = dateFormatter(deps.timeZone);
  }

  /** A script every reader page loads, by its URL (the breaking-news banner); the page stays the same for everyone. */
  addScript(url: () => Promise<string>): void {
    this.scripts.push(url);
  }

  /** Shows `part` under every story from now on (registered before any page is served). */
  addStoryPart(part: StoryPart): void {
    this.storyParts.push(part);
  }

  /** Shows `box` in stories and on section pages from now on (pages cached before keep theirs until dropped). */
  setBox(box: PageBox): void {
    this.box = box;
  }

  /**
   * A published story. `pendingCommentId`: the held comment its author is looking at (a signed
   * link); that page is drawn for them alone and never cached (the route sees to it).
   */
  async article(sectionSlug: string, slug: string, pendingCommentId?: number): Promise<PageResult | null> {
    const { articles } = this.deps;
    const article = await articles.findPublished(sectionSlug, slug);
    if (!article) return null;
    return this.articlePage(article, false, pendingCommentId);
  }

  /** A reader page of another feature's (the comment check and reply pages), in the site's layout. */
  readerPage(meta: PageMeta, content: VNode): Promise<string> {
    return this.page(meta, undefined, content);
  }

  /**
   * A story exactly as readers would see it, whatever its status (the newsroom's preview): the
   * same page, marked "Preview" and kept out of search engines. Never cached: it is not public.
   */
  async preview(article: Article): Promise<string> {
    return (await this.articlePage(article, true)).body;
  }

  private articlePage(article: Article, preview = false, pendingCommentId?: number): Promise<PageResult> {
    return storyPage(article, { preview, pendingCommentId }, {
      deps: this.deps,
      dates: this.dates,
      box: this.box,
      parts: this.storyParts,
      publisher: (settings) => this.publisher(settings),
      page: (meta, currentSection, content, scripts) => this.page(meta, currentSection, content, scripts),
    });
  }

  async front(): Promise<PageResult> {
    const { articles } = this.deps;
    const [latest, sections, settings] = await Promise.all([
      articles.listPublished({}, { limit: 1 + TOP_SIZE + LATEST_SIZE }),
      articles.sections(),
      this.deps.settings.get(),
    ]);
    const rails = await Promise.all(
      sections.map(async (section) => ({ section, stories: await articles.listPublished({ sectionId: section.id }, { limit: RAIL_SIZE }) })),
    );
    const shown = [...latest, ...rails.flatMap((r) => r.stories)];
    // The lead shows the start of its story, so the front also depends on that story's body.
    const leadStory = latest[0] && (await articles.findById(latest[0].id));
    const leadExcerpt = leadStory ? excerpt(leadStory.body, 320) : '';
    const { counts, tags: countTags } = await this.deps.comments.counts(shown.map((s) => s.id));
    const description = settings.tagline || `The latest news from ${settings.siteName}.`;
    const body = await this.page(
      { title: settings.tagline ? `${settings.siteName} – ${settings.tagline}` : settings.siteName, description, path: '/', jsonLd: [websiteJsonLd(await this.publisher(settings), description)] },
      undefined,
      <FrontPage
        siteName={settings.siteName}
        lead={latest[0]}
        leadExcerpt={leadExcerpt}
        top={latest.slice(1, 1 + TOP_SIZE)}
        latest={latest.slice(1 + TOP_SIZE)}
        rails={rails}
        dates={this.dates}
        commentCounts={counts}
      />,
    );
    return { body, tags: [...CHROME_TAGS, articleTags.allLists, ...listedTags(shown), ...countTags] };
  }

  async section(slug: string, page: number): Promise<PageResult | null> {
    const section = await this.deps.articles.sectionBySlug(slug);
    if (!section) return null;
    const [settings, box] = await Promise.all([this.deps.settings.get(), this.box?.render(section, 'section-alerts')]);
    return this.listing({
      filter: { sectionId: section.id },
      box,
      listTag: articleTags.sectionList(section.id),
      page,
      basePath: `/${section.slug}`,
      title: section.name,
      intro: section.description,
      pageTitle: `${section.name} news | ${settings.siteName}`,
      description: section.description || `The latest ${section.name.toLowerCase()} news from ${settings.siteName}.`,
      currentSection: section.slug,
      feedBase: `/${section.slug}`,
      feedTitle: `${settings.siteName}: ${section.name}`,
      collection: { breadcrumb: [{ name: settings.siteName, path: '/' }, { name: section.name, path: `/${section.slug}` }] },
    });
  }

  async author(slug: string, page: number): Promise<PageResult | null> {
    const author = await this.deps.articles.authorBySlug(slug);
    if (!author) return null;
    const [settings, photo] = await Promise.all([
      this.deps.settings.get(),
      author.photoImageId ? this.deps.images.find(author.photoImageId) : undefined,
    ]);
    const portrait = photo && shareImageOf({ ...photo, alt: photo.alt || author.name });
    const result = await this.listing({
      filter: { authorId: author.id },
      listTag: articleTags.authorList(author.id),
      page,
      basePath: `/author/${author.slug}`,
      title: author.name,
      intro: author.bio,
      // A portrait without alt text in the library is described by the name (see checkAuthorProfile).
      portrait: photo && (
        <ResponsivePicture image={{ ...photo, alt: photo.alt || author.name, caption: '' }} sizes={AUTHOR_PHOTO_SIZES} class="author-photo" />
      ),
      pageTitle: `${author.name} | ${settings.siteName}`,
      description: author.bio || `Stories by ${author.name} for ${settings.siteName}.`,
      feedBase: `/author/${author.slug}`,
      feedTitle: `${settings.siteName}: ${author.name}`,
      image: portrait,
      jsonLd: [profilePageJsonLd(await this.publisher(settings), author, portrait)],
    });
    // The photo's alt text and credit come from the library: the page follows changes to them.
    const photoTags = author.photoImageId ? [imageTag(author.photoImageId)] : [];
    return result && { ...result, tags: [...result.tags, articleTags.author(author.id), ...photoTags] };
  }

  async topic(slug: string, page: number): Promise<PageResult | null> {
    const topic = await this.deps.topics.bySlug(slug);
    if (!topic) return null;
    const [settings, box] = await Promise.all([this.deps.settings.get(), this.box?.renderForTopic(topic, 'topic-alerts')]);
    return this.listing({
      filter: { topicId: topic.id },
      box,
      listTag: articleTags.topicList(topic.id),
      page,
      basePath: `/topic/${topic.slug}`,
      title: topic.name,
      intro: topic.description || `Stories about ${topic.name}.`,
      pageTitle: `${topic.name} | ${settings.siteName}`,
      description: topic.description || `The latest stories about ${topic.name} from ${settings.siteName}.`,
      // A topic only drafts or embargoed stories carry is an unpublished scoop: it does not exist yet.
      notFoundWhenEmpty: true,
      feedBase: `/topic/${topic.slug}`,
      feedTitle: `${settings.siteName}: ${topic.name}`,
      collection: {},
    });
  }

  /** Every topic with stories readers can see; a story entering or leaving a topic changes it (its lists tag). */
  async topicsIndex(): Promise<PageResult> {
    const [topics, settings] = await Promise.all([this.deps.topics.index(), this.deps.settings.get()]);
    const body = await this.page(
      { title: `Topics | ${settings.siteName}`, description: `The people, places, organizations and subjects ${settings.siteName} covers.`, path: '/topics' },
      undefined,
      <TopicsIndexPage topics={topics} />,
    );
    return { body, tags: [...CHROME_TAGS, TOPICS_TAG, articleTags.allLists] };
  }

  /** 410 for the address of an unpublished story; null when nothing was ever published there. */
  async removedArticle(sectionSlug: string, slug: string): Promise<PageResult | null> {
    if (!(await this.deps.articles.removed(sectionSlug, slug))) return null;
    const [sections, settings] = await Promise.all([this.deps.articles.sections(), this.deps.settings.get()]);
    const body = await this.page(
      { title: `Story removed | ${settings.siteName}`, description: 'This story has been removed.', path: `/${sectionSlug}/${slug}`, noindex: true },
      undefined,
      <GonePage sections={sections} />,
    );
    return { status: 410, body, tags: CHROME_TAGS };
  }

  async notFound(): Promise<PageResult> {
    const [sections, settings] = await Promise.all([this.deps.articles.sections(), this.deps.settings.get()]);
    const body = await this.page(
      { title: `Page not found | ${settings.siteName}`, description: 'This page could not be found.', path: '/404', noindex: true },
      undefined,
      <NotFoundPage sections={sections} />,
    );
    return { status: 404, body, tags: CHROME_TAGS };
  }

  /** Rendered without the database, since the database may be what failed. */
  serverError(siteName: string): string {
    return this.notice(siteName, 'Something went wrong', <ServerErrorPage />);
  }

  /** The page of a refused request (4xx other than 404), its heading saying what happened. */
  badRequest(siteName: string, message: string, status = 400): string {
    const title = refusalTitle(status);
    return this.notice(siteName, title, <BadRequestPage title={title} message={message} />);
  }

  private notice(siteName: string, title: string, content: VNode): string {
    const settings = { siteName, tagline: '', adsTxt: '', region: '', alertsPitch: '', logo: null, navigation: [], feedContent: 'full' as const };
    const meta = { title: `${title} | ${siteName}`, description: title, path: '/', noindex: true };
    return renderDocument(
      <Layout settings={settings} sections={[]} siteUrl={this.deps.siteUrl} css={this.deps.css} meta={meta}>
        {content}
      </Layout>,
    );
  }

  private async listing(options: {
    filter: { sectionId?: number; authorId?: number; topicId?: number };
    listTag: string;
    page: number;
    basePath: string;
    title: string;
    intro: string;
    portrait?: VNode;
    /** Shown after the list (the alerts sign-up on section pages). */
    box?: VNode;
    pageTitle: string;
    description: string;
    currentSection?: string;
    feedBase?: string;
    feedTitle?: string;
    notFoundWhenEmpty?: boolean;
    /** The page's own picture for link previews (an author's photo); else the site's card. */
    image?: { url: string; alt: string; width?: number; height?: number };
    jsonLd?: Record<string, unknown>[];
    /** A section or topic: described as a CollectionPage of its stories, with its breadcrumbs when given. */
    collection?: { breadcrumb?: { name: string; path: string }[] };
  }): Promise<PageResult | null> {
    const { articles } = this.deps;
    const total = await articles.countPublished(options.filter);
    if (total === 0 && options.notFoundWhenEmpty) return null;
    const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (options.page > pageCount) return null;
    const stories = await articles.listPublished(options.filter, { limit: PAGE_SIZE, offset: (options.page - 1) * PAGE_SIZE });
    const path = options.page === 1 ? options.basePath : `${options.basePath}?page=${options.page}`;
    const { counts, tags: countTags } = await this.deps.comments.counts(stories.map((s) => s.id));
    const publisher = await this.publisher(await this.deps.settings.get());
    const { collection } = options;
    const jsonLd = [
      ...(options.jsonLd ?? []),
      ...(collection ? [collectionPageJsonLd(publisher, { name: options.title, path, description: options.description, stories })] : []),
      ...(collection?.breadcrumb ? [breadcrumbJsonLd(this.deps.siteUrl, collection.breadcrumb)] : []),
    ];
    const body = await this.page(
      {
        title: options.page === 1 ? options.pageTitle : `${options.pageTitle} (page ${options.page})`,
        description: options.description,
        path,
        feedBase: options.feedBase,
        feedTitle: options.feedTitle,
        ...(options.image && { image: options.image.url, imageAlt: options.image.alt, imageWidth: options.image.width, imageHeight: options.image.height }),
        jsonLd,
      },
      options.currentSection,
      <ListingPage title={options.title} intro={options.intro} portrait={options.portrait} stories={stories} page={options.page} pageCount={pageCount} basePath={options.basePath} dates={this.dates} commentCounts={counts} box={options.box} />,
    );
    return { body, tags: [...CHROME_TAGS, options.listTag, ...listedTags(stories), ...countTags] };
  }

  /**
   * A page of another feature (the alerts sign-up, its confirmation pages) in the site's chrome:
   * header, navigation, footer. Its tags are the chrome's, for pages that show nothing else that changes.
   */
  async chromePage(meta: PageMeta, content: VNode): Promise<{ body: string; tags: string[] }> {
    return { body: await this.page(meta, undefined, content), tags: [...CHROME_TAGS] };
  }

  /** The site as publisher: its name and logo (the settings' logo, else one drawn from the name). */
  private async publisher(settings: SiteSettings): Promise<Publisher> {
    const logo = settings.logo ?? (await this.deps.cards.logo(settings.siteName));
    return { siteUrl: this.deps.siteUrl, siteName: settings.siteName, logo };
  }

  private async page(meta: PageMeta, currentSection: string | undefined, content: VNode, pageScripts: string[] = []): Promise<string> {
    const [settings, sections, shared] = await Promise.all([this.deps.settings.get(), this.deps.articles.sections(), Promise.all(this.scripts.map((url) => url()))]);
    const scripts = [...shared, ...pageScripts];
    // A page with no picture of its own is previewed with the site's card.
    if (!meta.image) {
      const card = await this.deps.cards.site(settings.siteName, settings.tagline);
      meta = { ...meta, image: card.url, imageAlt: card.alt, imageWidth: card.width, imageHeight: card.height };
    }
    return renderDocument(
      <Layout settings={settings} sections={sections} siteUrl={this.deps.siteUrl} css={this.deps.css} meta={meta} currentSection={currentSection} scripts={scripts}>
        {content}
      </Layout>,
    );
  }
}

function listedTags(stories: ArticleSummary[]): string[] {
  return [...new Set(stories.map((s) => articleTags.article(s.id)))];
}

