// The WordPress import end to end on the real database (SQLite, or PostgreSQL with
// TEST_DATABASE_URL): what each item becomes, re-runs, stories edited since, and the report.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { importWordpress, makeUploads, wordpressFixture } from '../../../test/helpers/wordpress.ts';
import type { Article } from '../../articles/model.ts';
import { sourceKeyFor } from './wp-plan.ts';

const site = wordpressFixture('site.xml');

describe('bulletin import wordpress', () => {
  let t: TestApp;
  let uploads: string;
  let first: Awaited<ReturnType<typeof importWordpress>>;
  const story = async (postId: string): Promise<Article> => {
    const id = await t.services.articles.findIdBySourceKey(sourceKeyFor(postId));
    assert.ok(id, `post ${postId} was imported`);
    return (await t.services.articles.findById(id))!;
  };

  before(async () => {
    t = await buildTestApp();
    uploads = await makeUploads();
    first = await importWordpress(t, [site, '--uploads', uploads]);
  });
  after(async () => {
    await t.close();
    fs.rmSync(uploads, { recursive: true, force: true });
  });

  it('imports posts and pages, skips the rest, and says so in the summary', () => {
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /created 7, updated 0, unchanged 0, left alone 0, not imported 0, skipped 4 \(1 private, 1 trash, 1 nav_menu_item, 1 revision\)/);
    assert.match(first.out, /comments: 2 approved and 1 pending imported; skipped 1 spam\./);
  });

  it('maps statuses and dates: publish, future, draft, pending', async () => {
    const published = await story('11');
    assert.equal(published.status, 'published');
    assert.equal(published.publishedAt, '2026-10-10T08:00:00.000Z');
    assert.equal((await story('42')).status, 'scheduled');
    assert.equal((await story('42')).publishedAt, '2099-11-03T20:00:00.000Z');
    assert.equal((await story('40')).status, 'draft');
    assert.equal((await story('41')).status, 'ready');
  });

  it('takes the section from Yoast’s primary category, tags as topics, bylines from dc:creator', async () => {
    const harbour = await story('11');
    assert.equal(harbour.section.name, 'National');
    assert.deepEqual(harbour.topics.map((x) => x.name).sort(), ['Elections', 'Harbour']);
    assert.deepEqual(harbour.authors.map((a) => a.name), ['Jane Doe']);
    assert.equal(harbour.dek, 'The pier will be rebuilt after a seven-to-two vote.');
    assert.deepEqual((await story('20')).authors.map((a) => a.name), ['Rob Smith']);
    // Author profiles carry the display name only: no staff accounts, no emails.
    const authors = await t.services.articles.authors();
    assert.deepEqual(authors.map((a) => a.name).sort(), ['Jane Doe', 'Rob Smith']);
    assert.ok(authors.every((a) => !a.bio.includes('@')));
  });

  it('keeps slugs unique per section and puts pages in the Pages section', async () => {
    assert.equal((await story('11')).slug, 'harbour-story');
    assert.equal((await story('43')).slug, 'harbour-story-2');
    const page = await story('30');
    assert.equal(page.section.name, 'Pages');
    assert.equal(page.slug, 'about');
    assert.equal((await story('40')).slug, 'draft-budget-leaks');
  });

  it('brings the featured image through the media library with its alt text and caption', async () => {
    const harbour = await story('11');
    assert.ok(harbour.leadImage?.imageId);
    assert.equal(harbour.leadImage.alt, 'Lights of boats reflected in the harbour');
    const image = await t.services.images.get(harbour.leadImage.imageId);
    assert.equal(image.caption, 'The harbour at night, from the north pier.');
    assert.ok(image.variants.length > 0, 'variants were made');
  });

  it('turns Gutenberg blocks into our document: headings, lists, quote, image, YouTube as a link', async () => {
    const { body, leadImage } = await story('11');
    const types = body.content.map((b) => b.type);
    assert.deepEqual(types, ['paragraph', 'heading', 'image', 'bulletList', 'blockquote', 'paragraph', 'paragraph']);
    const image = body.content[2]!;
    assert.equal(image.type === 'image' && image.attrs.imageId, leadImage!.imageId, 'the resized copy is the same library image');
    assert.equal(image.type === 'image' && image.attrs.caption, 'The north pier at dusk.');
    assert.deepEqual(body.content[5], {
      type: 'paragraph',
      content: [{ type: 'text', text: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', marks: [{ type: 'link', attrs: { href: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' } }] }],
    });
    assert.equal((await t.services.images.list()).total, 1, 'one picture, uploaded once');
  });

  it('reads classic HTML: blank-line paragraphs, [caption], an ordered list; hostile HTML never gets in', async () => {
    const { body } = await story('20');
    const json = JSON.stringify(body);
    assert.equal(body.content[0]!.type, 'paragraph');
    assert.ok(body.content.some((b) => b.type === 'image' && b.attrs.caption === 'The ferry at the north quay.'));
    assert.ok(body.content.some((b) => b.type === 'orderedList' && b.attrs?.start === 3));
    assert.ok(body.content.some((b) => b.type === 'heading' && b.attrs.level === 2));
    for (const hostile of ['script', 'alert', 'onclick', 'onerror', 'javascript:', 'iframe', 'tracker.example', 'display:none', 'contact-form-7']) {
      assert.ok(!json.includes(hostile), `${hostile} is not in the document`);
    }
    assert.match(json, /Hostile /);
    assert.match(json, /See \[sic\] the notes\./, 'bracketed words that are not shortcodes stay');
  });

  it('reports every dropped thing per story', () => {
    assert.match(first.err, /post 20 "Classic: the ferry timetable changes" \(\/national\/ferry-timetable\): .*dropped script.*dropped iframe from tracker\.example.*dropped shortcode \[contact-form-7\]/);
    assert.match(first.err, /dropped image \/x: not found in the uploads folder/);
    assert.match(first.err, /post 11 .*dropped shortcode \[gallery\]/);
    assert.match(first.err, /post 40 .*featured image left out: 2026\/10\/minutes\.jpg: .*(not|unsupported|recogni)/i);
  });

  it('a second run over the same export changes nothing and makes no duplicates', async () => {
    const before = (await story('11')).version;
    const again = await importWordpress(t, [site, '--uploads', uploads]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /created 0, updated 0, unchanged 7/);
    assert.equal((await story('11')).version, before);
    assert.equal(await t.services.articles.countBySourcePrefix('wordpress:'), 7);
  });

  it('updates changed posts in place, and leaves alone a story edited in the newsroom since', async () => {
    const edited = await story('20');
    await t.services.articles.save({ ...inputOf(edited), headline: 'Ferry timetable: our own headline' }, { id: edited.id, expectedVersion: edited.version });
    const changed = fs.readFileSync(site, 'utf8')
      .replace('Classic: the ferry timetable changes', 'Classic: the ferry timetable changes again')
      .replace('Not ready.', 'Nearly ready.');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-wp-'));
    const file = path.join(dir, 'changed.xml');
    fs.writeFileSync(file, changed);
    try {
      const run = await importWordpress(t, [file, '--uploads', uploads]);
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /created 0, updated 1, unchanged 5, left alone 1/);
      assert.match(run.err, /left alone: post 20 .*edited in Bulletin since the last import/);
      assert.equal((await story('20')).headline, 'Ferry timetable: our own headline');
      assert.match(JSON.stringify((await story('40')).body), /Nearly ready\./);
      assert.equal(await t.services.articles.countBySourcePrefix('wordpress:'), 7);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--pages-section puts pages in the section it names', async () => {
    const run = await importWordpress(t, [site, '--uploads', uploads, '--pages-section', 'About the paper', '--dry-run', '--json']);
    const report = JSON.parse(run.out) as { sections: string[]; stories: { title: string; section: string }[] };
    assert.equal(report.stories.find((s) => s.title === 'About us')!.section, 'About the paper');
    assert.ok(report.sections.includes('About the paper') && !report.sections.includes('Pages'));
  });

  it('--skip-pages leaves pages out', async () => {
    const run = await importWordpress(t, [site, '--uploads', uploads, '--skip-pages', '--dry-run', '--json']);
    const report = JSON.parse(run.out) as { stories: { title: string }[]; skipped: { item: string; reason: string }[] };
    assert.ok(!report.stories.some((s) => s.title === 'About us'));
    assert.ok(report.skipped.some((s) => s.item === 'page 30 "About us"' && /--skip-pages/.test(s.reason)));
  });
});

function inputOf(article: Article) {
  return {
    headline: article.headline,
    sectionSlug: article.section.slug,
    body: article.body,
    status: article.status,
    publishedAt: article.publishedAt,
  };
}
