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
