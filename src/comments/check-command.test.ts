// `bulletin comments check`: one decision per line, in order, storing nothing; and the defence
// measured on labelled corpora it was not built from (test/fixtures/comments-corpus.jsonl, and the
// larger, more varied comments-held-out.jsonl: links, quotes, numbers, other languages, shouting;
// SEO drops, pharmacy, crypto, casino, dating, praise and a link, disguised letters, shorteners,
// BBCode and HTML anchors, repeated characters; both written apart from the seed corpus): spam
// goes to spam, none is approved, genuine comments are not spam.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { projectFile } from '../platform/paths.ts';
import { runCommentsCommand } from './check-command.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (c: Buffer) => (chunks.out += c.toString()));
  err.on('data', (c: Buffer) => (chunks.err += c.toString()));
  const code = await runCommentsCommand(args, { comments: async () => ({ comments: t.services.comments.comments, close: async () => undefined }), out, err });
  return { code, ...chunks };
}

test('--json prints one decision per input line, in order, and stores nothing', async () => {
  const file = path.join(t.dataDir, 'two.jsonl');
  fs.writeFileSync(file, [
    JSON.stringify({ author: 'Ann', email: 'ann@example.com', url: '', comment: 'Thanks for covering the council meeting.', ip: '198.51.100.7' }),
    'not json',
    JSON.stringify({ author: 'X', email: 'x@example.com', url: '', comment: 'Buy cheap viagra online now http://pills.example.ru', ip: '192.0.2.9' }),
  ].join('\n'));
  const { code, out } = await run(['check', file, '--json']);
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { decision?: string; reasons?: string[]; error?: string });
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0], { decision: 'pending', reasons: ['first comment'] });
  assert.deepEqual(lines[1], { error: 'not a JSON object' });
  assert.equal(lines[2]!.decision, 'spam');
  assert.ok(lines[2]!.reasons!.some((r) => r.startsWith('classifier ')));
  assert.equal(code, 1, 'an unreadable line makes the exit code 1');
  assert.equal((await t.services.comments.moderation.queue({ limit: 10 })).length, 0);
});

test('usage errors exit 2', async () => {
  assert.equal((await run(['check'])).code, 2);
  assert.equal((await run(['nope', 'x'])).code, 2);
  assert.equal((await run(['check', '/no/such/file.jsonl'])).code, 2);
});

for (const corpus of ['comments-corpus', 'comments-held-out']) test(`on a labelled corpus (${corpus}): ≥ 90 % of spam straight to spam, none approved, no genuine comment marked spam`, async () => {
  const file = projectFile(`test/fixtures/${corpus}.jsonl`);
  const labels = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { label: string }).label);
  const { out } = await run(['check', file, '--json']);
  const decisions = out.trim().split('\n').map((l) => (JSON.parse(l) as { decision: string }).decision);
  assert.equal(decisions.length, labels.length);
  const spam = decisions.filter((_, i) => labels[i] === 'spam');
  const ham = decisions.filter((_, i) => labels[i] === 'ham');
  const caught = spam.filter((d) => d === 'spam').length / spam.length;
  assert.ok(caught >= 0.9, `spam caught: ${(caught * 100).toFixed(1)} %`);
  assert.equal(spam.filter((d) => d === 'approved').length, 0);
  assert.equal(ham.filter((d) => d === 'spam').length, 0, 'no genuine comment is marked spam');
});
