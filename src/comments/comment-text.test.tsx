import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderFragment } from '../platform/render.ts';
import { CommentText, linkCount, linkPieces, paragraphsOf } from './comment-text.tsx';
import { avatarHue, initials } from './avatar.ts';

const html = (text: string) => renderFragment(<CommentText text={text} />);

test('paragraphs at blank lines, line breaks kept', () => {
  assert.deepEqual(paragraphsOf('One\r\ntwo\n\n\nThree'), [['One', 'two'], ['Three']]);
  assert.equal(html('One\ntwo\n\nThree'), '<p>One<br/>two</p><p>Three</p>');
});

test('web addresses become nofollow ugc links; trailing punctuation stays text', () => {
  assert.equal(html('See https://example.com/a?b=1.'), '<p>See <a href="https://example.com/a?b=1" rel="nofollow ugc">https://example.com/a?b=1</a>.</p>');
  assert.deepEqual(linkPieces('(www.example.org)'), [{ text: '(' }, { href: 'https://www.example.org', text: 'www.example.org' }, { text: ')' }]);
  assert.deepEqual(linkPieces('https://en.wikipedia.org/wiki/Flood_(disambiguation)'), [{ href: 'https://en.wikipedia.org/wiki/Flood_(disambiguation)', text: 'https://en.wikipedia.org/wiki/Flood_(disambiguation)' }]);
  assert.equal(linkCount('a http://x.example b www.y.example c'), 2);
});

test('markup is text: no tag, attribute or other scheme survives', () => {
  const vectors = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '"><svg onload=alert(1)>',
    'javascript:alert(1)',
    '<a href="javascript:alert(1)">x</a>',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'https://example.com/"onmouseover="alert(1)',
    '<iframe src="//evil.example"></iframe>',
  ];
  for (const vector of vectors) {
    const out = html(vector);
    // Only our own tags remain, and only http(s) links.
    assert.doesNotMatch(out.replace(/<\/?p>|<br\/>|<a href="https?:\/\/[^"<>]*" rel="nofollow ugc">|<\/a>/g, ''), /</, `${vector} → ${out}`);
    assert.doesNotMatch(out, /href="(javascript|data):/i);
  }
});

test('initials avatars', () => {
  assert.equal(initials('Margaret Reader'), 'MR');
  assert.equal(initials('ada'), 'A');
  assert.equal(initials('  "Jean-Luc"  Picard '), 'JP');
  assert.equal(initials('🙂'), '?');
  assert.equal(initials('Émile Zola'), 'ÉZ');
  assert.equal(avatarHue('Ada'), avatarHue('ada '));
  assert.ok(avatarHue('anyone') >= 0 && avatarHue('anyone') < 8);
});
