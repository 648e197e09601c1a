// The search page as the site serves it: the reader's form turned into a search, drawn in the site's
// layout, with the cache tags and policy that search-feature.ts invalidates by.
import type { ArticleService } from '../articles/article-service.ts';
import { tags as articleTags } from '../articles/change-tags.ts';
import { invalidInput, notFound } from '../platform/errors.ts';
import type { PageResult } from '../platform/page-responder.ts';
import { renderDocument } from '../platform/render.ts';
import { SETTINGS_TAG, type SettingsService } from '../settings/settings-service.ts';
import { dateFormatter, type DateFormatter } from '../site/dates.ts';
import { Layout } from '../site/layout.tsx';
import type { SocialCards } from '../site/social-card.ts';
import { nextDay, startOfDay } from './search-dates.ts';
import { SearchPage, searchHref, type SearchForm } from './search-page.tsx';
import type { SearchService } from './search-service.ts';

/** Every search page carries it; a change to what readers can find drops them all. */
export const SEARCH_TAG = 'search';
/**
 * Short, and without a long stale-if-error: a CDN in front may keep a results page no longer than
 * this after a story is taken down (the site's own copies are dropped at once).
 */
export const SEARCH_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=30, stale-if-error=600';

export interface SearchPagesDeps {
  search: SearchService;
  articles: ArticleService;
  settings: SettingsService;
  siteUrl: string;
  timeZone: string;
  css: string;
  /** The site's preview card, for link previews of a results page. */
  cards: Pick<SocialCards, 'site'>;
}

export class SearchPages {
  private readonly dates: DateFormatter;

  constructor(private readonly deps: SearchPagesDeps) {
    this.dates = dateFormatter(deps.timeZone);
  }

  async render(form: SearchForm, page: number): Promise<PageResult> {
    const { search, articles, timeZone } = this.deps;
    const [settings, sections] = await Promise.all([this.deps.settings.get(), articles.sections()]);
    const section = form.section ? sections.find((s) => s.slug === form.section) : undefined;
    if (form.section && !section) throw invalidInput([{ field: 'section', message: 'There is no such section to search in; choose one from the list.' }]);
    const answer = form.q
      ? await search.search({
          q: form.q,
          sectionId: section?.id,
          from: form.from ? startOfDay(form.from, timeZone) : undefined,
          to: form.to ? startOfDay(nextDay(form.to), timeZone) : undefined,
          page,
        })
      : null;
    if (answer && page > answer.pageCount) throw notFound('There are no more results for this search.');
    const title = form.q ? `Search: ${form.q} | ${settings.siteName}` : `Search | ${settings.siteName}`;
    const card = await this.deps.cards.site(settings.siteName, settings.tagline);
    const body = renderDocument(
      <Layout
        settings={settings}
        sections={sections}
        siteUrl={this.deps.siteUrl}
        css={this.deps.css}
        // Results pages are for readers, not for search engines' own indexes.
        meta={{ title, description: `Search the stories of ${settings.siteName}.`, path: searchHref(form, page), noindex: true, image: card.url, imageAlt: card.alt, imageWidth: card.width, imageHeight: card.height }}
      >
        <SearchPage form={form} answer={answer} sections={sections} dates={this.dates} />
      </Layout>,
    );
    return { body, cacheControl: SEARCH_CACHE_CONTROL, tags: [SEARCH_TAG, articleTags.sections, SETTINGS_TAG] };
  }
}
