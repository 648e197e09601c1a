// The reader pages the accessibility (axe) and validity (vnu) checks walk on the demo site, so both
// suites look at the same set. Not a test file itself (no `.test.ts`).
import assert from 'node:assert/strict';
import type { Services } from '../../src/app.ts';
import { articlePath } from '../../src/articles/model.ts';

/** A demo story with a video block, a staff byline, a dek and topics: the richest article page. */
const DEMO_VIDEO_STORY = 'demo:01-harlow-bay-flood-barrier.txt';

export interface ReaderPage {
  name: string;
  path: string;
  status: number;
}

/** Call after seedDemo(services). */
export async function demoReaderPages(services: Services): Promise<ReaderPage[]> {
  const id = await services.articles.findIdBySourceKey(DEMO_VIDEO_STORY);
  const article = id === undefined ? undefined : await services.articles.findById(id);
  assert.ok(article, `the demo story ${DEMO_VIDEO_STORY} exists`);
  assert.ok(article.body.content.some((b) => b.type === 'video'), 'the demo story has a video block');
  const author = article.authors[0];
  assert.ok(author, 'the demo story has a staff byline');
  return [
    { name: 'front page', path: '/', status: 200 },
    { name: 'National section', path: '/national', status: 200 },
    { name: 'author page', path: `/author/${author.slug}`, status: 200 },
    { name: 'demo article with video', path: articlePath(article), status: 200 },
    { name: 'search results', path: '/search?q=flood+barrier', status: 200 },
    { name: 'search with no results', path: '/search?q=zzqxv&section=national', status: 200 },
    { name: '404 page', path: '/no-such-section/no-such-story', status: 404 },
  ];
}
