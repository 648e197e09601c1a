import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heading, paragraph, type BodyDoc } from './body.ts';
import { diffBlocks, diffStories, diffWords, type StoryVersion } from './revision-diff.ts';

const doc = (...content: BodyDoc['content']): BodyDoc => ({ type: 'doc', content });
const version = (overrides: Partial<StoryVersion> = {}): StoryVersion => ({
  headline: 'Council approves barrier',
  dek: '',
  slug: 'council-approves-barrier',
  section: 'National',
  status: 'draft',
  credit: '',
  authors: ['Ada Reporter'],
  topics: ['Flooding'],
  body: doc(paragraph('The council voted on Tuesday.'), heading('What next'), paragraph('Work starts in spring.')),
  ...overrides,
});

test('identical versions are the same', () => {
  const diff = diffStories(version(), version());
  assert.equal(diff.same, true);
  assert.deepEqual(diff.fields, []);
  assert.ok(diff.body.every((b) => b.kind === 'same'));
});

test('changed fields are listed with before and after', () => {
  const diff = diffStories(version(), version({ headline: 'Council approves flood barrier', topics: ['Flooding', 'Harlow Bay'] }));
  assert.deepEqual(diff.fields, [
    { field: 'headline', before: 'Council approves barrier', after: 'Council approves flood barrier' },
    { field: 'topics', before: 'Flooding', after: 'Flooding, Harlow Bay' },
  ]);
});

test('an edited paragraph shows word changes; added and removed blocks show whole', () => {
  const after = version({
    body: doc(paragraph('The council voted 7-2 on Tuesday.'), paragraph('Fishers object.'), paragraph('Work starts in spring.')),
  });
  const body = diffStories(version(), after).body;
  assert.equal(body[0]!.kind, 'changed');
  if (body[0]!.kind === 'changed') {
    assert.deepEqual(body[0]!.words.filter((w) => w.kind !== 'same'), [{ kind: 'added', text: '7-2 ' }]);
  }
  assert.deepEqual(body.slice(1).map((b) => b.kind), ['removed', 'added', 'same']);
  assert.deepEqual(body[1], { kind: 'removed', text: '## What next' });
});

test('word diff merges runs and keeps every word once', () => {
  const words = diffWords('the quick brown fox', 'the slow brown dog');
  assert.equal(words.filter((w) => w.kind !== 'added').map((w) => w.text).join(''), 'the quick brown fox');
  assert.equal(words.filter((w) => w.kind !== 'removed').map((w) => w.text).join(''), 'the slow brown dog');
});

test('very long bodies fall back to replacing blocks instead of a quadratic diff', () => {
  const a = Array.from({ length: 600 }, (_, i) => `a${i}`);
  const b = Array.from({ length: 600 }, (_, i) => `b${i}`);
  const out = diffBlocks(a, b);
  assert.equal(out.length, 1200);
});
