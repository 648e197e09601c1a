// The pure parts of topic suggestions: one key per spelling of a name, and the extractor on short
// texts (titles off, surnames counted for the full name, possessives and demonyms, the gazetteer).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractTopics } from './topic-extraction.ts';
import { nameKey, sameName } from './topic-names.ts';

test('spellings of one name share a key; different names do not', () => {
  assert.equal(nameKey('Zelensky'), nameKey('Zelenskyy'));
  assert.equal(nameKey('ZELENSKIY'), nameKey('Zelensky'));
  assert.equal(nameKey('Québec'), nameKey('Quebec'));
  assert.equal(nameKey('Russia’s'), nameKey('Russia'));
  assert.equal(nameKey('Tomahawks'), nameKey('Tomahawk'));
  assert.notEqual(nameKey('Austria'), nameKey('Australia'));
  assert.ok(sameName('zelenskyi', 'zelensky'), 'one letter apart, long names');
  assert.ok(!sameName('paris', 'parks'), 'short names must match exactly');
});

test('names come without their titles; a lone surname and a variant count for the full name; a demonym counts for its country', () => {
  const found = extractTopics(
    {
      headline: 'President Donald Trump meets Ukraine’s leader',
      dek: '',
      paragraphs: [
        'U.S. President Donald Trump met Ukrainian President Volodymyr Zelenskyy at the White House on Friday.',
        'Trump said the talks went well. Zelensky asked for air defence against Russian drones.',
        'The Kremlin said Russia would answer. Russia has said so before.',
      ],
    },
    [{ name: 'Kremlin', kind: 'organization', aliases: [] }],
  );
  const byName = new Map(found.map((s) => [s.name, s]));
  assert.equal(byName.get('Donald Trump')?.kind, 'person');
  assert.equal(byName.get('Volodymyr Zelenskyy')?.kind, 'person');
  assert.ok(byName.get('Volodymyr Zelenskyy')!.variants.includes('Zelensky'));
  assert.ok(byName.has('Russia') && byName.has('Ukraine'));
  assert.equal(byName.get('Kremlin')?.existing, true);
  for (const name of ['Trump', 'Zelensky', 'President Donald Trump', 'Russian', 'Ukrainian', 'The', 'Friday']) assert.ok(!byName.has(name), name);
  assert.equal(found[0]!.score, 1);
});

test('a known subject is found in its other forms, whatever the case', () => {
  const found = extractTopics({ headline: 'Floods close the coast road', dek: '', paragraphs: ['The river flooded twice this winter.'] }, [{ name: 'Flooding', kind: 'subject', aliases: [] }]);
  assert.ok(found.some((s) => s.name === 'Flooding' && s.existing));
});

test('nothing to suggest in a text without names or repeated subjects', () => {
  assert.deepEqual(extractTopics({ headline: 'it rained', dek: '', paragraphs: ['and then it stopped.'] }, []), []);
});

test('broad subjects a story never names come from the words it uses, under the newsroom’s own name; one passing word is not enough', () => {
  const rates = {
    headline: 'Central bank holds its key interest rate as inflation cools',
    dek: 'Borrowing costs stay where they are for a third month.',
    paragraphs: [
      'The central bank left its benchmark rate unchanged on Wednesday, saying inflation was easing but consumer prices were still rising faster than wages.',
      'Economists had expected the hold. Mortgage rates and borrowing costs have weighed on households all year.',
      'The bank said the economy grew slowly in the last quarter and unemployment edged up.',
    ],
  };
  const names = (list: { name: string }[]) => list.map((s) => s.name);
  const bare = names(extractTopics(rates, []));
  assert.ok(bare.includes('Interest Rates'), bare.join(', '));
  assert.ok(bare.includes('Inflation'), bare.join(', '));
  const filed = extractTopics(rates, [{ name: 'The Economy', kind: 'subject', aliases: [] }]);
  const economy = filed.find((s) => s.name === 'The Economy');
  assert.ok(economy?.existing, 'the newsroom’s name for the subject, as an existing topic');
  assert.ok(!names(filed).includes('Economy'));

  const passing = extractTopics({ headline: 'Mayor opens the new library', dek: '', paragraphs: ['The mayor cut the ribbon on Saturday. She said the building came in under budget.', 'Readers lined up before the doors opened.'] }, []);
  assert.ok(!names(passing).includes('Budget'), 'one mention of a cue suggests nothing');
});

test('a place named with a compass word is not a person whose surname is the place', () => {
  const found = extractTopics(
    {
      headline: 'Measles cases rise in Lowmere',
      dek: '',
      paragraphs: ['Cases in Lowmere reached 38, the South Lowmere health unit said.', 'Lowmere schools sent letters home.'],
    },
    [],
  );
  assert.ok(found.some((s) => s.name === 'Lowmere'), found.map((s) => s.name).join(', '));
});

test('a cue whose rough stem is a short other word is matched only as written ("fares" is not "far", "stations" not "St")', () => {
  const text = { headline: 'Far from St Ives, far from home', dek: '', paragraphs: ['The painters went far. St Ives was far behind them.', 'It was far better so, they said.'] };
  assert.ok(!extractTopics(text, []).some((s) => s.name === 'Transit'));
});
