// A long discussion: the story page draws its first 50 top-level threads whole (replies included)
// and links "Load more comments" to the next threads, by cursor; the heading counts them all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { CommentRepository } from './comment-repository.ts';

let t: TestApp;
let path: string;
let articleId: number;

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  const story = await t.services.articles.save(storyInput());
  articleId = story.id;
  path = `/${story.section.slug}/${story.slug}`;
  const repository = new CommentRepository(t.database.db);
  const at = new Date().toISOString();
  const base = { articleId, depth: 1, status: 'approved' as const, authorEmail: 'r@example.com', authorUrl: '', bodyHash: 'h', ip: null, reasons: [], spamScore: null, trainedAs: null, origin: 'reader' as const, at };
  await repository.transaction(async (trx) => {
    for (let i = 1; i <= 55; i++) {
      const id = await repository.insert(trx, { ...base, parentId: null, threadId: null, authorName: `Reader ${i}`, body: `Top-level comment number ${i}.`, bodyHtml: `<p>Top-level comment number ${i}.</p>` });
      if (i === 50 || i === 51) await repository.insert(trx, { ...base, parentId: id, threadId: id, depth: 2, authorName: 'Replier', body: `A reply to number ${i}.`, bodyHtml: `<p>A reply to number ${i}.</p>` });
    }
  });
});
after(() => t.close());

test('the first 50 threads on the story, the rest behind "Load more comments"', async () => {
  const page = (await t.app.inject(path)).body;
  assert.match(page, /57 Comments/);
  assert.match(page, /Top-level comment number 50\./);
  assert.match(page, /A reply to number 50\./);
  assert.doesNotMatch(page, /Top-level comment number 51\./);
  const more = /href="(\/comments\/more\/\d+\?after=\d+)"/.exec(page)?.[1];
  assert.ok(more, 'a Load more link');
  const next = await t.app.inject(more.replace(/&amp;/g, '&'));
  assert.equal(next.statusCode, 200);
  assert.match(next.body, /Top-level comment number 51\./);
  assert.match(next.body, /A reply to number 51\./);
  assert.match(next.body, /Top-level comment number 55\./);
  assert.doesNotMatch(next.body, /Top-level comment number 50\./);
  assert.doesNotMatch(next.body, /Load more comments/);
  assert.equal((await t.app.inject(`/comments/more/${articleId}?after=abc`)).statusCode, 400);
  assert.equal((await t.app.inject('/comments/more/999999?after=1')).statusCode, 404);
});
