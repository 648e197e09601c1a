// The tokenizer, the query parser, snippets and the suggestion distance: pure, and the ground both
// engines stand on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fts5Match, MAX_QUERY_TERMS, parseQuery, tsqueryLiteral } from './search-query.ts';
import { fold, indexedText, terms, tsvectorLiteral } from './search-text.ts';
import { highlight, snippet } from './snippet.ts';
import { closestWord, editDistance } from './suggest.ts';
import { isCalendarDay, nextDay, startOfDay } from './search-dates.ts';

test('folding drops case and accents, and spells out letters that have no base letter', () => {
  assert.equal(fold('Québec'), 'quebec');
  assert.equal(fold('ZELENSKYY'), 'zelenskyy');
  assert.equal(fold('Straße Øresund Łódź'), 'strasse oresund lodz');
  assert.deepEqual(terms('Trump’s “deal”—with Putin, 2026!'), ['trump', 's', 'deal', 'with', 'putin', '2026']);
  assert.deepEqual(terms('東京 Москва'), ['東京', 'москва']);
});

test('a query is words, "phrases" and a prefix for the last word typed', () => {
  const q = parseQuery('Trump "White House" zelen');
  assert.deepEqual(q.parts, [
    { kind: 'word', word: 'trump', prefix: false },
    { kind: 'phrase', words: ['white', 'house'] },
    { kind: 'word', word: 'zelen', prefix: true },
  ]);
  assert.equal(fts5Match(q), '"trump" "white house" "zelen"*');
  // A prefix whose words are known is asked for as those words (FTS5 then stops early).
  assert.equal(fts5Match(q, new Map([['zelen', ['zelensky', 'zelenskyy']]])), '"trump" AND "white house" AND ("zelensky" OR "zelenskyy")');
  assert.equal(tsqueryLiteral(q), "'trump' & ('white' <-> 'house') & 'zelen':*");
  // A space after the last word: the reader finished it.
  assert.equal(parseQuery('putin ').parts[0]!.kind === 'word' && (parseQuery('putin ').parts[0] as { prefix: boolean }).prefix, false);
  // One letter is no prefix (it would match half the vocabulary).
  assert.deepEqual(parseQuery('a').parts, [{ kind: 'word', word: 'a', prefix: false }]);
});

test('FTS syntax, punctuation and unpaired quotes are only separators', () => {
  for (const raw of ['OR AND NOT * ( " :', '"', '***', ':::', '()', '-', 'NEAR(a b)', "'; drop table articles; --"]) {
    const q = parseQuery(raw);
    for (const part of q.parts) assert.ok(part.kind === 'word' ? /^[\p{L}\p{N}]+$/u.test(part.word) : part.words.every((w) => /^[\p{L}\p{N}]+$/u.test(w)), raw);
  }
  assert.deepEqual(parseQuery('OR AND NOT * ( " :').words, ['or', 'and', 'not']);
  assert.deepEqual(parseQuery('?!…—').parts, []);
  assert.deepEqual(parseQuery('"unclosed phrase').parts.map((p) => p.kind), ['word', 'word']);
  assert.equal(parseQuery('word word other Word').parts.length, 2, 'a word twice counts once');
  assert.ok(parseQuery(Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ')).words.length <= MAX_QUERY_TERMS);
});

test('the tsvector literal keeps positions per field with a gap, and weights headline and dek', () => {
  const literal = tsvectorLiteral(indexedText({ headline: 'Putin meets', dek: 'Trump', body: 'Putin said' }));
  assert.equal(literal, "'putin':1A,8 'meets':2A 'trump':5B 'said':9");
});

test('snippets mark matches in the story’s own spelling, around the first match', () => {
  const q = parseQuery('quebec zelen');
  assert.deepEqual(highlight('Zelenskyy visits Québec', q), [
    { text: 'Zelenskyy', mark: true },
    { text: ' visits ', mark: false },
    { text: 'Québec', mark: true },
  ]);
  const long = `${'filler '.repeat(50)}then Québec voted ${'more '.repeat(50)}`;
  const cut = snippet(long, q);
  assert.equal(cut[0]!.text, '… ');
  assert.equal(cut[cut.length - 1]!.text, ' …');
  assert.ok(cut.some((s) => s.mark && s.text === 'Québec'));
  assert.deepEqual(snippet('', q), []);
});

test('suggestions are one edit away for short words, two for long ones, most common first', () => {
  assert.equal(editDistance('zelensky', 'zelenskyy', 2), 1);
  assert.equal(editDistance('zelenksy', 'zelensky', 2), 1, 'a swap of neighbours is one edit');
  assert.equal(editDistance('abc', 'xyz', 1), 2, 'stops past the limit');
  const vocabulary = [
    { term: 'zelenskyy', documents: 40 },
    { term: 'zelensky', documents: 3 },
    { term: 'putin', documents: 90 },
    { term: 'pudding', documents: 2 },
  ];
  assert.equal(closestWord('zelenskiy', vocabulary), 'zelenskyy');
  assert.equal(closestWord('putn', vocabulary), 'putin');
  assert.equal(closestWord('pxtxn', vocabulary), undefined, 'a short word gets one edit only');
  assert.equal(closestWord('kremlin', vocabulary), undefined);
});

test('date filters are days in the site’s time zone', () => {
  assert.ok(isCalendarDay('2026-02-28'));
  for (const bad of ['2026-02-30', '2026-13-01', '26-01-01', 'yesterday', '2026-1-1']) assert.ok(!isCalendarDay(bad), bad);
  assert.equal(startOfDay('2026-03-01', 'UTC'), '2026-03-01T00:00:00.000Z');
  assert.equal(startOfDay('2026-07-01', 'America/Toronto'), '2026-07-01T04:00:00.000Z');
  assert.equal(startOfDay('2026-01-01', 'Asia/Tokyo'), '2025-12-31T15:00:00.000Z');
  assert.equal(nextDay('2026-12-31'), '2027-01-01');
});
