import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeAdSlots } from '../ads/placement.ts';
import { placeSignupBox } from './box-placement.ts';

const blocks = (pattern: string) =>
  [...pattern].map((c) => ({ type: ({ p: 'paragraph', h: 'heading', v: 'video', i: 'image', l: 'bulletList' } as Record<string, string>)[c]! }));
const place = (pattern: string, ads: number[] = []) => placeSignupBox(blocks(pattern), new Set(ads));

test('mid-story: the gap between two paragraphs nearest the middle', () => {
  assert.deepEqual(place('pppppppp'), { inside: 3 });
  assert.deepEqual(place('pppppp'), { inside: 2 });
  assert.deepEqual(place('ppppp'), { inside: 1 }, 'ties go to the earlier gap');
});

test('a short story gets the box after its body', () => {
  assert.equal(place(''), 'after-body');
  assert.equal(place('ppp'), 'after-body');
  assert.equal(place('phphph'), 'after-body');
});

test('never beside an ad slot, a heading, a picture or a video', () => {
  assert.deepEqual(place('pppppppp', [3]), { inside: 2 }, 'the ad takes the middle gap: the box moves to the nearest free one');
  assert.deepEqual(place('pphpphpp'), { inside: 3 });
  assert.deepEqual(place('ppvppipp'), { inside: 3 });
  assert.equal(place('phpvpipl'), 'after-body', 'no gap between two paragraphs');
  assert.equal(place('pppp', [0, 1, 2]), 'after-body', 'every gap is an ad slot');
});

test('with the real ad rule, on any body: the box sits between two paragraphs and never where an ad is', () => {
  const kinds = 'pppphviL';
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let run = 0; run < 500; run++) {
    const body = blocks(Array.from({ length: Math.floor(rnd() * 30) }, () => kinds[Math.floor(rnd() * kinds.length)]!.replace('L', 'l')).join(''));
    const ads = new Set(placeAdSlots(body));
    const place = placeSignupBox(body, ads);
    if (place === 'after-body') continue;
    assert.equal(body[place.inside]!.type, 'paragraph');
    assert.equal(body[place.inside + 1]!.type, 'paragraph');
    assert.ok(!ads.has(place.inside), 'not in an ad slot');
  }
});

test('the same body always gets the same place (the page stays cacheable)', () => {
  const body = blocks('pphppppvppppp');
  const ads = new Set(placeAdSlots(body));
  assert.deepEqual(placeSignupBox(body, ads), placeSignupBox(body, ads));
});
