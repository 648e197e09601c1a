// The pure rules of Related Articles: vectors, relevance floors, decay and the editors' choices,
// with a seeded random check that a list never holds the story itself, an excluded story, a
// duplicate or more than six items, and always starts with the visible pins in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseList, rank, RELATED_MAX, storyVector, topicTerm, type Choice, type Overlap } from './related-score.ts';
import { indexedText } from './search-text.ts';

test('a vector keeps content words, weighs the headline, and is unit length; stop words never count', () => {
  const text = indexedText({ headline: 'Putin calls Trump about Ukraine', dek: '', body: 'He said that the call was about Ukraine and missiles. 2026.' });
  const vector = storyVector(text, [7], () => 1);
  const words = vector.filter(([t]) => !t.startsWith('topic:'));
  assert.ok(!words.some(([t]) => ['he', 'said', 'that', 'the', 'was', 'about', '2026'].includes(t)));
  assert.equal(words[0]![0], 'ukraine', 'in the headline and the body');
  assert.ok(Math.abs(words.reduce((s, [, w]) => s + w * w, 0) - 1) < 1e-9);
  assert.deepEqual(vector.at(-1), [topicTerm(7), 1]);
});

test('relevance floors: words must overlap, or a shared topic must come with some shared words; decay ranks the nearer story first', () => {
  const own = { articleId: 1, publishedEpoch: 100 * 86400 };
  const o = (articleId: number, days: number, topicScore: number, textScore: number): Overlap => ({ articleId, publishedEpoch: own.publishedEpoch - days * 86400, topicScore, textScore });
  const ranked = rank([o(1, 0, 1, 1), o(2, 0, 1, 0.01), o(3, 0, 0, 0.05), o(4, 60, 0, 0.3), o(5, 1, 0, 0.3), o(6, 0, 0.5, 0.06)], own);
  // 6: topic and a little text today; 5: more text a day apart; 4: as much text, two months apart.
  assert.deepEqual(ranked.map((c) => c.articleId), [6, 5, 4]);
});

test('seeded: lists are at most six, pins first in order, never the story, an excluded or an invisible pin, no duplicates', () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 500; round++) {
    const overlaps = Array.from({ length: Math.floor(random() * 15) }, () => ({ articleId: 1 + Math.floor(random() * 20), publishedEpoch: Math.floor(random() * 1e6), topicScore: random(), textScore: random() }));
    const choices: Choice[] = Array.from({ length: Math.floor(random() * 8) }, (_, i) => ({ relatedId: 1 + Math.floor(random() * 20), choice: random() < 0.5 ? 'pin' : 'exclude', position: i }));
    const unique = [...new Map(choices.map((c) => [c.relatedId, c])).values()];
    const visible = (id: number) => id % 3 !== 0;
    const list = chooseList(1, rank(overlaps, { articleId: 1, publishedEpoch: 5e5 }), unique, visible);
    const listed = list.map((i) => i.relatedId);
    assert.ok(list.length <= RELATED_MAX);
    assert.equal(new Set(listed).size, listed.length);
    assert.ok(!listed.includes(1));
    for (const c of unique.filter((c) => c.choice === 'exclude')) assert.ok(!listed.includes(c.relatedId));
    const pins = unique.filter((c) => c.choice === 'pin' && c.relatedId !== 1 && visible(c.relatedId)).sort((a, b) => a.position - b.position).map((c) => c.relatedId).slice(0, RELATED_MAX);
    assert.deepEqual(listed.slice(0, pins.length), pins);
    assert.ok(list.slice(pins.length).every((i) => !i.pinned));
  }
});
