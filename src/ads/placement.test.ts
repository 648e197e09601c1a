import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeAdSlots, type PlacementRule } from './placement.ts';

const blocks = (pattern: string) =>
  [...pattern].map((c) => ({ type: ({ p: 'paragraph', h: 'heading', v: 'video' } as Record<string, string>)[c]! }));

test('the first slot follows the third paragraph, then every fourth', () => {
  assert.deepEqual(placeAdSlots(blocks('pppppppppppppppp')), [2, 6, 10, 14]);
});

test('never after the last paragraph', () => {
  assert.deepEqual(placeAdSlots(blocks('ppp')), []);
  assert.deepEqual(placeAdSlots(blocks('pppp')), [2]);
  assert.deepEqual(placeAdSlots(blocks('ppppppp')), [2]);
});

test('never beside a heading or a video: the slot moves down to the next spot between paragraphs', () => {
  // After p3 comes a heading, so the slot waits until it sits between two paragraphs.
  assert.deepEqual(placeAdSlots(blocks('ppphpppp')), [4]);
  assert.deepEqual(placeAdSlots(blocks('pppvpp')), [4]);
  // A heading right after the candidate, then a video: only the last gap between paragraphs works.
  assert.deepEqual(placeAdSlots(blocks('ppphpvpp')), [6]);
});

test('every slot sits between two paragraphs, whatever the body', () => {
  const kinds = ['p', 'h', 'v'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let run = 0; run < 300; run++) {
    const body = blocks(Array.from({ length: Math.floor(rnd() * 40) }, () => kinds[Math.floor(rnd() * 3)]).join(''));
    for (const i of placeAdSlots(body)) {
      assert.equal(body[i]!.type, 'paragraph');
      assert.equal(body[i + 1]?.type, 'paragraph');
    }
  }
});

test('the rule is configurable and respects the slot limit', () => {
  const rule: PlacementRule = { firstAfter: 1, every: 1, maxSlots: 2 };
  assert.deepEqual(placeAdSlots(blocks('pppppp'), rule), [0, 1]);
  assert.deepEqual(placeAdSlots([], rule), []);
});
