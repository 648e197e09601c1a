// The body's allow-list at its edges: a text run carries each mark at most once (as ProseMirror
// allows), so no body can nest marks past five; links to other sites by `/\host` and odd list
// starts are refused; and a body stored before these checks still renders without overflowing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { BodyBlock } from './body-view.tsx';
import { checkBody, isSafeHref, type BlockNode } from './body.ts';

const doc = (...content: unknown[]) => ({ type: 'doc', content });
const run = (marks: unknown[]) => ({ type: 'paragraph', content: [{ type: 'text', text: 'Loud', marks }] });

test('a mark twice on one run is refused, however many times; each mark once is fine', () => {
  const bold = { type: 'bold' };
  assert.deepEqual(checkBody(doc(run([bold, { type: 'italic' }, { type: 'link', attrs: { href: '/national' } }]))).errors, []);
  for (const marks of [[bold, bold], Array.from({ length: 60_000 }, () => bold), [bold, { type: 'italic' }, { type: 'bold' }]]) {
    const { errors } = checkBody(doc(run(marks)));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /has the mark "bold" more than once/);
  }
});

test('links: site paths yes; //host and /\\host (other sites, as browsers read them) no', () => {
  for (const href of ['/national/story', '#top', 'https://example.org', 'mailto:desk@news.test']) assert.equal(isSafeHref(href), true, href);
  for (const href of ['//evil.example', '/\\evil.example', 'javascript:alert(1)', 'data:text/html,x']) assert.equal(isSafeHref(href), false, href);
});

test('a numbered list starts at a whole number from 0 to 100,000', () => {
  const list = (start: unknown) => doc({ type: 'orderedList', attrs: { start }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'One' }] }] }] });
  for (const start of [0, 1, 42, 100_000]) assert.deepEqual(checkBody(list(start)).errors, [], String(start));
  for (const start of [-1, 1.5, '3', 100_001, null]) assert.match(checkBody(list(start)).errors[0]?.message ?? '', /starts at a whole number/, String(start));
});

test('a body stored before the check, with 60,000 marks on a run, renders once each and does not overflow', () => {
  const block = run(Array.from({ length: 60_000 }, (_, i) => ({ type: i % 2 ? 'italic' : 'bold' }))) as unknown as BlockNode;
  assert.equal(renderToString(<BodyBlock block={block} />), '<p><em><strong>Loud</strong></em></p>');
});
