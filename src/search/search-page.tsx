// The search page: the form (it works without JavaScript: a GET to /search), the result count,
// results with the matching words marked, "Did you mean", and an empty state that says what to try.
import { articlePath, type Section } from '../articles/model.ts';
import type { DateFormatter } from '../site/dates.ts';
import { RANKED_CANDIDATES } from './search-repository.ts';
import { RESULTS_PER_PAGE, type SearchAnswer, type SearchResult } from './search-service.ts';
import type { Segment } from './snippet.ts';

/** The reader's filters as typed (days, section slug), kept in the form and the page links. */
export interface SearchForm {
  q: string;
  section: string;
  from: string;
  to: string;
}

export function searchHref(form: SearchForm, page = 1): string {
  const params = new URLSearchParams();
  if (form.q) params.set('q', form.q);
  if (form.section) params.set('section', form.section);
  if (form.from) params.set('from', form.from);
  if (form.to) params.set('to', form.to);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/search?${query}` : '/search';
}

export function SearchPage({ form, answer, sections, dates }: { form: SearchForm; answer: SearchAnswer | null; sections: Section[]; dates: DateFormatter }) {
  const filtered = !!(form.section || form.from || form.to);
  return (
    <section class="search">
      <h1>Search</h1>
      <form class="search-form" role="search" action="/search" method="get">
        <p>
          <label for="search-q">Words to find</label>
          <input id="search-q" class="search-field" type="search" name="q" value={form.q} maxLength={200} />
        </p>
        <p>
          <label for="search-section">Section</label>
          <select id="search-section" class="search-field" name="section">
            <option value="">All sections</option>
            {sections.map((s) => (
              <option key={s.id} value={s.slug} selected={s.slug === form.section}>
                {s.name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="search-from">From</label>
          <input id="search-from" class="search-field" type="date" name="from" value={form.from} />
        </p>
        <p>
          <label for="search-to">To</label>
          <input id="search-to" class="search-field" type="date" name="to" value={form.to} />
        </p>
        <p>
          <button type="submit">Search</button>
        </p>
      </form>
      {answer === null ? (
        <p>Search every story by its headline, summary and text. Put "quotes" around words to find them together.</p>
      ) : answer.empty ? (
        <p class="search-status" role="status">
          Your search has no letters or numbers in it. Type a word or a name to find stories about it.
        </p>
      ) : (
        <Answer form={form} answer={answer} sections={sections} dates={dates} filtered={filtered} />
      )}
    </section>
  );
}

function Answer({ form, answer, sections, dates, filtered }: { form: SearchForm; answer: SearchAnswer; sections: Section[]; dates: DateFormatter; filtered: boolean }) {
  const { suggestion } = answer;
  const suggested = suggestion && { ...form, q: suggestion.q };
  return (
    <>
      {suggestion && suggested && (
        <p class="search-suggestion">
          {suggestion.shown ? <>No stories matched “{form.q}”. Showing results for </> : <>Did you mean </>}
          <a href={searchHref(suggested)}>
            <em>{suggestion.q}</em>
          </a>
          {suggestion.shown ? '.' : '?'}
        </p>
      )}
      <p class="search-status" role="status">
        {answer.total === 0
          ? `No stories matched “${form.q}”${filtered ? ' with these filters' : ''}.`
          : `${answer.exact ? '' : 'About '}${answer.total.toLocaleString('en-US')} ${answer.total === 1 ? 'story' : 'stories'} matched “${suggestion?.shown ? suggestion.q : form.q}”${filtered ? ' with these filters' : ''}.`}
      </p>
      {!answer.exact && (
        <p>The {RANKED_CANDIDATES.toLocaleString('en-US')} most recent of them are ranked here; add a word or a date range to find older ones.</p>
      )}
      {answer.total === 0 ? (
        <ul class="search-tips">
          <li>Check the spelling, or try fewer words: every word must be in a story for it to match.</li>
          <li>Try a shorter form of a word: the last word also finds words it starts (“elect” finds “election”).</li>
          {filtered && (
            <li>
              <a href={searchHref({ q: form.q, section: '', from: '', to: '' })}>Search all sections and dates</a> instead.
            </li>
          )}
        </ul>
      ) : (
        <ol class="search-results" start={(answer.page - 1) * RESULTS_PER_PAGE + 1}>
          {answer.results.map((result) => (
            <Result key={result.articleId} result={result} section={sections.find((s) => s.id === result.sectionId)} dates={dates} />
          ))}
        </ol>
      )}
      {answer.pageCount > 1 && (
        <nav class="pager" aria-label="Result pages">
          {answer.page > 1 ? <a href={searchHref(suggestion?.shown && suggested ? suggested : form, answer.page - 1)} rel="prev">← Better matches</a> : <span />}
          <span>
            Page {answer.page} of {answer.pageCount}
          </span>
          {answer.page < answer.pageCount ? <a href={searchHref(suggestion?.shown && suggested ? suggested : form, answer.page + 1)} rel="next">More results →</a> : <span />}
        </nav>
      )}
    </>
  );
}

function Result({ result, section, dates }: { result: SearchResult; section: Section | undefined; dates: DateFormatter }) {
  // A section removed since the story was indexed: the story went with it, leave the row out.
  if (!section) return null;
  return (
    <li>
      <p class="kicker">
        <a href={`/${section.slug}`}>{section.name}</a>
      </p>
      <h2>
        <a href={articlePath({ slug: result.slug, section })}>
          <Marked segments={result.headline} />
        </a>
      </h2>
      {result.snippet.length > 0 && (
        <p>
          <Marked segments={result.snippet} />
        </p>
      )}
      <time dateTime={result.publishedAt}>{dates.short(result.publishedAt)}</time>
    </li>
  );
}

function Marked({ segments }: { segments: Segment[] }) {
  return <>{segments.map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : s.text))}</>;
}
