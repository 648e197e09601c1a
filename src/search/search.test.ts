// /search end to end on the real app (SQLite, or PostgreSQL with TEST_DATABASE_URL): the same
// stories give the same results on both engines, every kind of query answers, filters and pages
// work, unpublished and embargoed stories are never found, and the page's cache follows changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Article } from '../articles/model.ts';
import { paragraph } from '../articles/body.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { SearchRepository } from './search-repository.ts';
import { indexedText } from './search-text.ts';

let t: TestApp;
let current = new Date('2026-06-01T12:00:00.000Z');
const clock = { now: () => new Date(current) };
const stories: Record<string, Article> = {};
const daysAgo = (days: number) => new Date(current.getTime() - days * 86400_000).toISOString();
const body = (...texts: string[]) => ({ type: 'doc', content: texts.map((text) => paragraph(text)) });

before(async () => {
  t = await buildTestApp({}, { clock });
  await seedBasics(t.services);
  const save = async (key: string, input: Parameters<typeof storyInput>[0]) => (stories[key] = await t.services.articles.save(storyInput(input)));
  await save('whiteHouse', {
    headline: 'Zelenskyy meets Trump at the White House',
    dek: 'The talks turned to a ceasefire with Russia.',
    sectionSlug: 'world',
    body: body('President Volodymyr Zelenskyy of Ukraine said the meeting was frank.', 'Vladimir Putin was not invited; the Kremlin said it would study the plan.'),
    publishedAt: daysAgo(1),
  });
  await save('quebec', { headline: 'Québec votes on a new language law', dek: 'Montréal businesses are worried.', body: body('The National Assembly in Quebec City voted 72 to 30.'), publishedAt: daysAgo(3) });
  await save('flood', { headline: 'Council approves new flood barrier', dek: 'The vote ends a decade of delays.', body: body('The barrier protects the harbour.'), publishedAt: daysAgo(10) });
  await save('houseWhite', { headline: 'A white cottage by the sea', dek: 'Its house rules are strict.', body: body('Locals call it the house white with age.'), publishedAt: daysAgo(20) });
  await save('tokyo', { headline: '東京で地震', dek: 'Москва заявила о помощи', body: body('震度5の地震がありました。'), publishedAt: daysAgo(2) });
  // The same news twice, a year apart: the recent one comes first.
  await save('tunnelOld', { headline: 'Harbour tunnel reopens after repairs', dek: '', body: body('Traffic flows again.'), publishedAt: daysAgo(400) });
  await save('tunnelNew', { headline: 'Harbour tunnel reopens after repairs', dek: '', body: body('Traffic flows again.'), publishedAt: daysAgo(1) });
  // The word in a headline beats the word deep in a body, even against a newer story.
  await save('lighthouseHeadline', { headline: 'The old lighthouse gets a keeper', dek: '', body: body('A keeper again.'), publishedAt: daysAgo(30) });
  await save('lighthouseBody', { headline: 'Coastal walks to try this summer', dek: '', body: body('Many paths lead past the lighthouse and on to the cliffs.'), publishedAt: daysAgo(1) });
  await save('draft', { headline: 'Draft about the ceasefire secretplan', status: 'draft', publishedAt: null });
  await save('scheduled', { headline: 'Embargoed ceasefire secretplan', status: 'scheduled', publishedAt: new Date(current.getTime() + 3600_000).toISOString() });
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const search = (q: string, extra = '') => get(`/search?q=${encodeURIComponent(q)}${extra}`);
/** The stories a results page links to, by their key above, in order. */
function found(html: string): string[] {
  const links = [...html.matchAll(/<h2><a href="([^"]+)"/g)].map((m) => m[1]);
  return links.map((href) => Object.keys(stories).find((key) => `/${stories[key]!.section.slug}/${stories[key]!.slug}` === href) ?? href!);
}

test('finds stories by headline, dek and body, whatever the case and accents', async () => {
  for (const q of ['zelenskyy', 'ZELENSKYY', 'Zelenskyy']) assert.deepEqual(found((await search(q)).body), ['whiteHouse'], q);
  for (const q of ['quebec', 'Québec', 'QUEBEC', 'montreal']) assert.deepEqual(found((await search(q)).body), ['quebec'], q);
  assert.deepEqual(found((await search('kremlin')).body), ['whiteHouse'], 'a word of the body');
  assert.deepEqual(found((await search('ceasefire russia')).body), ['whiteHouse'], 'every word must match');
});

test('the last word matches as a prefix; quotes ask for a phrase', async () => {
  assert.deepEqual(found((await search('zelen')).body), ['whiteHouse']);
  assert.deepEqual(found((await search('trump zel')).body), ['whiteHouse']);
  assert.deepEqual(found((await search('"white house"')).body), ['whiteHouse']);
  assert.deepEqual(found((await search('white house')).body).sort(), ['houseWhite', 'whiteHouse']);
  assert.deepEqual(found((await search('“house white”')).body), ['houseWhite'], 'curly quotes are quotes too');
});

test('ranks by relevance with a boost for recent stories', async () => {
  assert.deepEqual(found((await search('harbour tunnel')).body), ['tunnelNew', 'tunnelOld']);
  assert.deepEqual(found((await search('lighthouse')).body), ['lighthouseHeadline', 'lighthouseBody']);
});

test('results show the count and their words marked, in the story’s own spelling', async () => {
  const res = await search('quebec');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /1 story matched “quebec”/);
  assert.match(res.body, /<mark>Québec<\/mark> votes on a new language law/);
  assert.match(res.body, /<meta name="robots" content="noindex"/);
  const many = await search('the');
  assert.match(many.body, /\d+ stories matched “the”/);
});

test('non-Latin text is found', async () => {
  assert.deepEqual(found((await search('東京で地震')).body), ['tokyo']);
  assert.deepEqual(found((await search('москва')).body), ['tokyo']);
  assert.deepEqual(found((await search('МОСК')).body), ['tokyo'], 'prefix, with Cyrillic case folded');
});

test('FTS syntax, punctuation, empty and odd queries answer with a page, never an error', async () => {
  for (const q of ['OR AND NOT * ( " :', '"', '*', '(', 'NOT', 'a:b', 'zelenskyy OR', '-zelenskyy', 'NEAR(trump putin)', "'; drop table articles; --", '\u0000', '🦆', '%', '_']) {
    const res = await search(q);
    assert.equal(res.statusCode, 200, q);
    assert.match(res.headers['content-type'] as string, /text\/html/);
  }
  const punctuation = await search('?!… — ***');
  assert.match(punctuation.body, /Your search has no letters or numbers in it/);
  const none = await search('xylophonequartet');
  assert.match(none.body, /No stories matched “xylophonequartet”/);
  assert.match(none.body, /Check the spelling, or try fewer words/);
  const blank = await get('/search');
  assert.equal(blank.statusCode, 200);
  assert.match(blank.body, /Search every story by its headline/);
  assert.equal((await search('   ')).statusCode, 200);
  assert.equal((await search('x'.repeat(200))).statusCode, 200, 'at the limit');
});

test('a query over the length limit gets a 400 page that says so', async () => {
  const res = await search('word '.repeat(2000));
  assert.equal(res.statusCode, 400);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  assert.match(res.body, /A search can be 200 characters long at most; this one has 9,999/);
  assert.doesNotMatch(res.body, /at .*\.ts:\d+/, 'no stack trace');
});

test('"Did you mean" comes from the index’s own words, with its results', async () => {
  const res = await search('zelenskiy');
  assert.match(res.body, /No stories matched “zelenskiy”. Showing results for <a href="\/search\?q=zelenskyy"><em>zelenskyy<\/em><\/a>/);
  assert.deepEqual(found(res.body), ['whiteHouse']);
  const two = await search('ceasfire kremlim ');
  assert.match(two.body, /<em>ceasefire kremlin<\/em>/);
  assert.deepEqual(found(two.body), ['whiteHouse']);
  const far = await search('qqqqqq');
  assert.doesNotMatch(far.body, /Showing results for|Did you mean/);
});

test('filters by section and by dates in the site’s time zone', async () => {
  assert.deepEqual(found((await search('white house', '&section=world')).body), ['whiteHouse']);
  assert.deepEqual(found((await search('white house', '&section=national')).body), ['houseWhite']);
  assert.deepEqual(found((await search('harbour tunnel', `&from=${daysAgo(30).slice(0, 10)}`)).body), ['tunnelNew']);
  assert.deepEqual(found((await search('harbour tunnel', `&to=${daysAgo(300).slice(0, 10)}`)).body), ['tunnelOld']);
  const filtered = await search('zelenskyy', '&section=national');
  assert.match(filtered.body, /No stories matched “zelenskyy” with these filters/);
  assert.match(filtered.body, /href="\/search\?q=zelenskyy">Search all sections and dates/);
  assert.equal((await search('zelenskyy', '&section=')).statusCode, 200, 'the form’s “All sections”');
});

test('bad filters get a 400 page saying what to fix', async () => {
  const cases: [string, RegExp][] = [
    ['&from=yesterday', /The “from” date must be a day written like 2026-03-01/],
    ['&to=2026-02-30', /The “to” date must be a day/],
    ['&from=2026-05-02&to=2026-05-01', /The “from” date is after the “to” date/],
    ['&section=sport', /There is no such section to search in/],
    ['&page=0', /page/i],
    ['&page=abc', /page/i],
  ];
  for (const [extra, message] of cases) {
    const res = await search('zelenskyy', extra);
    assert.equal(res.statusCode, 400, extra);
    assert.match(res.body, message, extra);
  }
});

test('pages of results, and past the last page a 404', async () => {
  for (let i = 1; i <= 12; i++) {
    await t.services.articles.save(storyInput({ headline: `Pagination story number ${i}`, body: body('Padding text.'), publishedAt: daysAgo(100 + i) }));
  }
  const first = await search('pagination');
  assert.match(first.body, /12 stories matched/);
  assert.equal((first.body.match(/<h2><a /g) ?? []).length, 10);
  assert.match(first.body, /href="\/search\?q=pagination&amp;page=2" rel="next"/);
  const second = await search('pagination', '&page=2');
  assert.equal((second.body.match(/<h2><a /g) ?? []).length, 2);
  assert.match(second.body, /<ol class="search-results" start="11">/);
  assert.equal((await search('pagination', '&page=3')).statusCode, 404);
});

test('drafts and embargoed stories are never found; a scheduled story is found once it is published', async () => {
  assert.deepEqual(found((await search('secretplan')).body), []);
  assert.doesNotMatch((await search('secretplam')).body, /secretplan/, 'nor suggested: their words are not in the vocabulary');
  current = new Date(current.getTime() + 2 * 3600_000);
  await t.jobs.runDue();
  assert.equal((await t.services.articles.findById(stories.scheduled!.id))!.status, 'published');
  assert.deepEqual(found((await search('secretplan')).body), ['scheduled']);
});

test('an unpublished story leaves the results with its own transaction; a failed save leaves the index as it was', async () => {
  const story = await t.services.articles.save(storyInput({ headline: 'Ombudsman report on pylons', body: body('Pylons everywhere.') }));
  assert.deepEqual(found((await search('pylons')).body), [String(`/national/${story.slug}`)]);
  await t.services.articles.unpublish(story.id, story.version);
  // No wait and no job: the index changed in the unpublishing transaction (and the cached page went).
  assert.deepEqual(found((await search('pylons')).body), []);
  assert.equal((await t.services.search.search({ q: 'pylons', page: 1 })).total, 0);
  assert.equal((await t.services.search.search({ q: 'pylonz', page: 1 })).suggestion, undefined, 'its words left the vocabulary');

  // A later step of a save fails: the story and its index entry roll back together.
  const live = await t.services.articles.save(storyInput({ headline: 'Rollback proof', body: body('Original wording.') }));
  let fail = false;
  t.services.articles.onSave(async () => {
    if (fail) throw new Error('a later step of the save failed');
  });
  fail = true;
  await assert.rejects(t.services.articles.save(storyInput({ headline: 'Rollback proof', body: body('Replacement wording.') }), { id: live.id, expectedVersion: live.version }));
  fail = false;
  assert.equal((await t.services.search.search({ q: 'original wording', page: 1 })).total, 1);
  assert.equal((await t.services.search.search({ q: 'replacement', page: 1 })).total, 0);
});

test('the search page is cached per query, and a publish drops it', async () => {
  const first = await search('barrier');
  assert.equal(first.headers['x-cache'], 'MISS');
  assert.match(first.headers['cache-control'] as string, /max-age=30/);
  const again = await get('/search?page=1&q=barrier');
  assert.equal(again.headers['x-cache'], 'HIT', 'the same search, parameters in another order');
  await t.services.articles.save(storyInput({ headline: 'A second barrier for the bay', body: body('More.') }));
  const after = await search('barrier');
  assert.equal(after.headers['x-cache'], 'MISS');
  assert.match(after.body, /A second <mark>barrier<\/mark> for the bay/);
  // A draft changes nothing readers can find: the page stays.
  await t.services.articles.save(storyInput({ headline: 'Draft barrier', status: 'draft', publishedAt: null }));
  assert.equal((await search('barrier')).headers['x-cache'], 'HIT');
  // And it expires within a minute by itself (an embargo lifting writes nothing to invalidate).
  current = new Date(current.getTime() + 61_000);
  assert.equal((await search('barrier')).headers['x-cache'], 'MISS');
});

test('the site header has a search box that works without JavaScript', async () => {
  const front = await get('/');
  assert.match(front.body, /<form class="site-search" role="search" action="\/search" method="get"><label class="visually-hidden" for="site-search-q">Search stories<\/label><input id="site-search-q" type="search" name="q"/);
});

test('a flood of distinct searches has its own budget: story pages stay cached', async () => {
  const small = await buildTestApp({ PAGE_CACHE_MB: '1' });
  try {
    await seedBasics(small.services);
    const story = await small.services.articles.save(storyInput({ headline: 'Budget story', body: body('Words '.repeat(200)) }));
    const path = `/national/${story.slug}`;
    await small.app.inject({ method: 'GET', url: path });
    assert.equal((await small.app.inject({ method: 'GET', url: path })).headers['x-cache'], 'HIT');
    const pagesBefore = small.services.responder.cache.count;
    // Each results page is about 10 KB: 150 of them are more than the whole 1 MB page cache.
    for (let i = 0; i < 150; i++) await small.app.inject({ method: 'GET', url: `/search?q=budget+${i}` });
    assert.equal(small.services.responder.cache.count, pagesBefore);
    assert.equal((await small.app.inject({ method: 'GET', url: path })).headers['x-cache'], 'HIT');
  } finally {
    await small.close();
  }
});

test('stories published before the index existed are indexed by the catch-up task, once', async () => {
  const site = await buildTestApp();
  try {
    await seedBasics(site.services);
    await site.services.articles.save(storyInput({ headline: 'Older story about turbines', body: body('Wind turbines.') }));
    await site.database.db.deleteFrom('search_documents' as never).execute();
    await site.database.db.deleteFrom('search_terms' as never).execute();
    await site.database.db.deleteFrom('search_texts' as never).execute();
    if (site.database.engine === 'sqlite') await site.database.db.deleteFrom('search_fts' as never).execute();
    assert.equal((await site.services.search.search({ q: 'turbines', page: 1 })).total, 0);
    assert.equal(await site.services.search.catchUp(), 1);
    assert.equal((await site.services.search.search({ q: 'turbines', page: 1 })).total, 1);
    assert.equal(await site.services.search.catchUp(), 0, 'a no-op once the index holds anything');
  } finally {
    await site.close();
  }
});

/**
 * A site of its own whose index holds `stories` (headline, time), put straight into the index as
 * the bulk corpus tests need, with ids from `firstId`; `check` runs on it, then it is removed.
 */
async function withIndexed(
  firstId: number,
  stories: { slug: string; headline: string; publishedAt: number }[],
  check: (site: TestApp, repo: SearchRepository) => Promise<void>,
): Promise<void> {
  const site = await buildTestApp();
  try {
    await seedBasics(site.services);
    const [section] = await site.services.articles.sections();
    const repo = new SearchRepository(site.database.db, site.database.engine);
    const entries = stories.map((story, i) => {
      const document = { articleId: firstId + i, sectionId: section!.id, slug: story.slug, publishedAt: new Date(story.publishedAt).toISOString(), headline: story.headline, dek: '', body: 'Text.' };
      return { document, text: indexedText(document) };
    });
    await repo.transaction((trx) => repo.on(trx).putNew(entries));
    await check(site, repo);
  } finally {
    await site.close();
  }
}

test('a query matching more than 200 stories ranks the 200 most recent and says about how many match', async () => {
  // A minute apart, months ago: on PostgreSQL the first slices of time searched hold none of them.
  const bulk = Array.from({ length: 1005 }, (_, i) => ({ slug: `bulk-${i}`, headline: `Bulk story ${i} about quarries`, publishedAt: Date.UTC(2026, 0, 1) + i * 60_000 }));
  await withIndexed(100, bulk, async (site, repo) => {
    const answer = await site.services.search.search({ q: 'quarries', page: 1 });
    assert.equal(answer.exact, false);
    assert.equal(answer.total, 1000, 'as many per minute as among the newest, back to the oldest story: 1,005, to two figures');
    assert.equal(answer.pageCount, 20);
    assert.equal(answer.results[0]!.slug, 'bulk-1004', 'the newest first among equals');
    const shown = [];
    for (let page = 1; page <= 20; page++) shown.push(...(await site.services.search.search({ q: 'quarries', page })).results.map((r) => r.slug));
    assert.deepEqual(shown, Array.from({ length: 200 }, (_, i) => `bulk-${1004 - i}`), 'exactly the 200 most recent, each once');
    const page = await site.app.inject('/search?q=quarries');
    assert.match(page.body, /About 1,000 stories matched “quarries”/);
    assert.match(page.body, /The 200 most recent of them are ranked here/);
    assert.equal((await site.app.inject('/search?q=quarries&page=21')).statusCode, 404);
    // The estimate never exceeds how many stories have the word, and a date range narrows it.
    const spring = await site.services.search.search({ q: 'quarries', page: 1, from: '2026-01-01T10:00:00.000Z' });
    assert.equal(spring.exact, false);
    assert.ok(spring.total >= 200 && spring.total <= 800, `${spring.total}`);
    const exact = await site.services.search.search({ q: 'quarries', page: 1, from: '2026-01-01T15:00:00.000Z' });
    assert.equal(exact.exact, true);
    assert.equal(exact.total, 1005 - 900, 'fewer than 200 matches are counted exactly');
    // Added in bulk or one by one, the vocabulary counts the same.
    assert.deepEqual(await repo.vocabularyNear('quarries', 0), [{ term: 'quarries', documents: 1005 }]);
  });
});

test('matches crowded into the last day and sparse for years before: still exactly the 200 most recent', async () => {
  // On PostgreSQL the first slice, sized for stories spread evenly, holds the crowded day; the
  // next is sized from that day's rate, far too narrow for the years before, and the search
  // must go on widening until it has them.
  const newest = Date.UTC(2026, 4, 31, 12);
  const at = (i: number) => (i < 150 ? newest - i * 60_000 : newest - 86400_000 - (i - 150) * 4 * 86400_000);
  const stories = Array.from({ length: 450 }, (_, i) => ({ slug: `dense-${i}`, headline: `Story ${i} about the gravel pits`, publishedAt: at(i) }));
  await withIndexed(100, stories, async (site) => {
    const shown = [];
    for (let page = 1; page <= 20; page++) shown.push(...(await site.services.search.search({ q: 'gravel', page })).results.map((r) => r.slug));
    assert.deepEqual(shown.sort(), Array.from({ length: 200 }, (_, i) => `dense-${i}`).sort(), 'the 150 of the last day and the 50 newest before it');
  });
});

test('a last word typed partly finds every word it starts, however many', async () => {
  // "vote" starts a few words; "zq" starts 40 (past the words a prefix is expanded into).
  const words = ['vote', 'voters', 'votes', ...Array.from({ length: 40 }, (_, i) => `zq${String.fromCharCode(97 + (i % 26))}${i}`)];
  const stories = words.map((word, i) => ({ slug: `word-${i}`, headline: `Council ${word}`, publishedAt: Date.UTC(2026, 0, 2) + i * 60_000 }));
  await withIndexed(500, stories, async (site) => {
    const vot = await site.services.search.search({ q: 'council vot', page: 1 });
    assert.deepEqual(vot.results.map((r) => r.slug).sort(), ['word-0', 'word-1', 'word-2']);
    assert.equal((await site.services.search.search({ q: 'council zq', page: 1 })).total, 40);
    assert.equal((await site.services.search.search({ q: 'council vote', page: 1 })).total, 3, 'a whole word at the end is still a prefix');
    assert.equal((await site.services.search.search({ q: 'council vote ', page: 1 })).total, 1, 'followed by a space, it is a word');
  });
});
