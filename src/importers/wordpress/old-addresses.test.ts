// After an import, on the real app: every old address form answers 301 to the story or section,
// imported stories render with every part, and no author's or commenter's email is public.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { staff } from '../../../test/helpers/newsroom.ts';
import { importWordpress, makeUploads, wordpressFixture } from '../../../test/helpers/wordpress.ts';
import { OldAddresses } from './old-addresses.ts';

describe('old WordPress addresses', () => {
  let t: TestApp;
  let uploads: string;
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  before(async () => {
    t = await buildTestApp();
    uploads = await makeUploads();
    const run = await importWordpress(t, [wordpressFixture('site.xml'), '--uploads', uploads]);
    assert.equal(run.code, 0, run.err);
  });
  after(async () => {
    await t.close();
    fs.rmSync(uploads, { recursive: true, force: true });
  });

  it('answer 301: the permalink path (with or without its slash), ?p=, ?page_id=, /category/ and ?cat=', async () => {
    const expected: [string, string][] = [
      ['/2026/10/10/harbour-story/', '/national/harbour-story'],
      ['/2026/10/10/harbour-story', '/national/harbour-story'],
      ['/2026/10/11/harbour-story/', '/national/harbour-story-2'],
      ['/?p=11', '/national/harbour-story'],
      ['/?p=20&utm_source=x', '/national/ferry-timetable'],
      ['/about/', '/pages/about'],
      ['/?page_id=30', '/pages/about'],
      ['/category/national/', '/national'],
      ['/?cat=3', '/national'],
    ];
    for (const [from, to] of expected) {
      const response = await get(from);
      assert.equal(response.statusCode, 301, from);
      assert.equal(response.headers.location, to, from);
      assert.match(String(response.headers['cache-control']), /max-age=300/);
    }
  });

  it('a story readers cannot see has no redirect: drafts and scheduled stories stay hidden', async () => {
    for (const url of ['/?p=40', '/?p=41', '/?p=42']) {
      const response = await get(url);
      assert.notEqual(response.statusCode, 301, url);
    }
    assert.equal((await get('/2026/01/01/no-such-story/')).statusCode, 404);
  });

  it('follows a story that moved since the import', async () => {
    const id = (await t.services.articles.findIdBySourceKey('wordpress:43'))!;
    const story = (await t.services.articles.findById(id))!;
    await t.services.articles.save(
      { headline: story.headline, sectionSlug: story.section.slug, body: story.body, slug: 'harbour-story-second-day' },
      { id, expectedVersion: story.version },
    );
    assert.equal((await get('/2026/10/11/harbour-story/')).headers.location, '/national/harbour-story-second-day');
  });

  it('live pages win: a section is shown, never redirected', async () => {
    assert.equal((await get('/national')).statusCode, 200);
    assert.equal((await get('/national/harbour-story')).statusCode, 200);
  });

  it('imported stories render with every part, and hostile HTML is not on the page', async () => {
    const page = await get('/national/harbour-story');
    assert.equal(page.statusCode, 200);
    const html = page.body;
    for (const part of ['Harbour council votes to rebuild the north pier', 'seven to two', 'What happens next', 'Lights of boats reflected in the harbour', 'The north pier at dusk.', 'Jane Doe', 'Elections', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'We waited twenty years for this.']) {
      assert.ok(html.includes(part), `the page shows ${part}`);
    }
    assert.ok(!/<iframe/i.test(html));
    const ferry = (await get('/national/ferry-timetable')).body;
    assert.ok(ferry.includes('The ferry at the north quay.'));
    for (const hostile of ['steal()', 'alert(', 'javascript:', 'tracker.example', 'onerror']) assert.ok(!ferry.includes(hostile), hostile);
  });

  it('no author’s or commenter’s email appears on any public page', async () => {
    const urls = ['/', '/national', '/national/harbour-story', '/national/ferry-timetable', '/pages/about', '/author/jane-doe', '/author/rob-smith', '/topic/elections', '/feed.xml', '/national/feed.xml', '/sitemap.xml', '/sitemap-news.xml'];
    for (const url of urls) {
      const response = await get(url);
      assert.ok(response.statusCode < 400, `${url} answers`);
      for (const secret of ['jane.private', 'rob.secret', 'ann.commenter', 'bob.replier', 'walt.pending', '@technews.example', '@mail.example', '192.0.2.7']) {
        assert.ok(!response.body.includes(secret), `${url} does not show ${secret}`);
      }
    }
  });

  it('the newsroom lists the old addresses for editors, and refuses authors', async () => {
    const editor = await staff(t, 'editor');
    const page = await editor.browser.get('/newsroom/redirects');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('/2026/10/10/harbour-story'));
    assert.ok(page.body.includes('href="/national/harbour-story"'));
    assert.ok(page.body.includes('nothing now (story not published)'), 'a draft’s short link says where it leads: nowhere yet');
    const search = await editor.browser.get('/newsroom/redirects?q=category');
    assert.ok(search.body.includes('/category/national'));
    assert.ok(!search.body.includes('/2026/10/10/harbour-story'));
    const author = await staff(t, 'author');
    assert.equal((await author.browser.get('/newsroom/redirects')).statusCode, 403);
    assert.equal((await get('/newsroom/redirects')).statusCode, 303);
  });
});

describe('OldAddresses.keyFor', () => {
  it('keeps only WordPress short-link queries, and nothing of the site’s own machinery', () => {
    assert.equal(OldAddresses.keyFor('/?p=12&replytocom=3'), '/?p=12');
    assert.equal(OldAddresses.keyFor('/?s=harbour'), undefined);
    assert.equal(OldAddresses.keyFor('/'), undefined);
    assert.equal(OldAddresses.keyFor('/newsroom/stories'), undefined);
    assert.equal(OldAddresses.keyFor('/assets/app.css'), undefined);
    assert.equal(OldAddresses.keyFor('/2026/10/caf%c3%a9/'), '/2026/10/caf%C3%A9');
    assert.equal(OldAddresses.keyFor('/a//b/'), '/a/b');
  });
});
