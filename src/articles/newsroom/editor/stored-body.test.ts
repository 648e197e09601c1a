import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storedBody } from './stored-body.ts';

const p = (text?: string) => (text === undefined ? { type: 'paragraph' } : { type: 'paragraph', content: [{ type: 'text', text }] });

test('the empty paragraphs the editor keeps at the end are not stored', () => {
  const doc = { type: 'doc', content: [p('One.'), { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Sub' }] }, p('Two.'), p(), { type: 'paragraph', content: [] }] };
  assert.deepEqual(storedBody(doc).content, doc.content.slice(0, 3));
});

test('empty paragraphs inside the story stay; a document of nothing but an empty paragraph is empty', () => {
  const doc = { type: 'doc', content: [p('One.'), p(), p('Two.')] };
  assert.deepEqual(storedBody(doc), doc);
  assert.deepEqual(storedBody({ type: 'doc', content: [p()] }), { type: 'doc', content: [] });
  assert.deepEqual(storedBody({ type: 'doc' }), { type: 'doc', content: [] });
});

test('a final picture or video keeps its place', () => {
  const doc = { type: 'doc', content: [p('One.'), { type: 'video', attrs: { title: 'Clip' } }, p()] };
  assert.deepEqual(storedBody(doc).content, doc.content.slice(0, 2));
});
