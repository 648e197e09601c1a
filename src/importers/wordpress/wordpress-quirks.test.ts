// Exports as real sites write them, from WordPress 3.0 (WXR 1.0) to today (1.1, 1.2): what each
// quirk becomes, on the real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { importWordpress, wordpressFixture } from '../../../test/helpers/wordpress.ts';
import type { Article } from '../../articles/model.ts';
import { sampleImage } from '../../media/image-test-samples.ts';
import { sourceKeyFor } from './wp-plan.ts';

interface Plan {
  title: string;
  section: string;
  topics: string[];
  authors: string[];
  publishedAt: string | null;
  leadImage: string | null;
  oldUrls: string[];
  comments: { approved: number; pending: number };
}

describe('bulletin import wordpress: real-world exports', () => {
  let t: TestApp;
  let uploads: string;
  const story = async (postId: string): Promise<Article> => (await t.services.articles.findById((await t.services.articles.findIdBySourceKey(sourceKeyFor(postId)))!))!;
  const plans = async (fixture: string): Promise<{ sections: string[]; stories: Plan[]; skipped: { item: string }[] }> => {
    const run = await importWordpress(t, [wordpressFixture(fixture), '--dry-run', '--json']);
    assert.equal(run.code, 0, run.err);
    return JSON.parse(run.out);
  };

  before(async () => {
    t = await buildTestApp();
    uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-wp-quirks-'));
    fs.mkdirSync(path.join(uploads, '2019', '03'), { recursive: true });
    fs.mkdirSync(path.join(uploads, '2026', '07'), { recursive: true });
    fs.writeFileSync(path.join(uploads, '2019', '03', 'chamber.png'), await sampleImage('png', 500, 375));
    fs.writeFileSync(path.join(uploads, '2026', '07', 'poster.png'), await sampleImage('png', 1200, 900));
  });
  after(async () => {
    await t.close();
    fs.rmSync(uploads, { recursive: true, force: true });
  });

  it('WXR 1.0: doubled categories, tags with domain "tag", no author records, dates from pubDate or the local date, a permalink guid', async () => {
    const report = await plans('wxr-1.0.xml');
    assert.deepEqual(report.sections, ['City Hall & Council', 'Uncategorized']);
    const [budget, noDates] = report.stories;
    assert.equal(budget!.section, 'City Hall & Council');
    assert.deepEqual(budget!.topics, ['Budget']);
    assert.deepEqual(budget!.authors, ['oldhand'], 'no wp:author record: the login');
    assert.equal(budget!.publishedAt, '2019-03-05T14:30:00.000Z', 'pubDate carries its zone; the local date is an hour ahead');
    assert.deepEqual(budget!.oldUrls, ['/2019/03/05/council-budget', '/?p=7']);
    assert.equal(noDates!.publishedAt, '2019-04-01T09:00:00.000Z');
    assert.deepEqual(noDates!.oldUrls, ['/2019/04/01/no-dates', '/?p=9'], 'an empty <link>: the guid marked as permalink');
  });

  it('WXR 1.0: blank lines before the declaration and a control character are forgiven; classic paragraphs, the more tag, an old [caption]', async () => {
    const run = await importWordpress(t, [wordpressFixture('wxr-1.0.xml'), '--uploads', uploads]);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /created 2,/);
    const { body } = await story('7');
    assert.deepEqual(body.content.map((b) => b.type), ['paragraph', 'paragraph', 'image', 'paragraph']);
    assert.deepEqual(body.content[0], { type: 'paragraph', content: [{ type: 'text', text: 'The council passed the budget on Tuesday night.' }] });
    // One line break is a break (wpautop's <br>), a blank line a new paragraph.
    assert.deepEqual(body.content[1], {
      type: 'paragraph',
      content: [{ type: 'text', text: 'It was ' }, { type: 'text', text: 'close', marks: [{ type: 'italic' }] }, { type: 'text', text: ': five votes to four.' }, { type: 'hardBreak' }, { type: 'text', text: 'The mayor abstained.' }],
    });
    const image = body.content[2]!;
    assert.ok(image.type === 'image');
    assert.equal(image.attrs.caption, 'The council chamber after the vote.', 'the caption attribute of WordPress before 3.4');
    assert.equal((await t.services.images.get(image.attrs.imageId)).alt, 'Councillors leaving the chamber');
  });

  it('WXR 1.1: wp:term categories and tags with entities, an author with no display name, several categories and no primary one', async () => {
    const report = await plans('wxr-1.1.xml');
    const [festival, note] = report.stories;
    assert.equal(festival!.title, 'The festival line-up – and a surprise');
    assert.equal(festival!.section, 'Music', 'the first of its categories');
    assert.deepEqual(festival!.topics, ['Festival "Summer"']);
    assert.deepEqual(festival!.authors, ['María López'], 'first and last name when there is no display name');
    assert.deepEqual(note!.authors, ['stringer'], 'the login when there is neither');
    assert.equal(note!.section, 'Uncategorized');
    assert.equal(festival!.leadImage, 'https://blocks.example/wp-content/uploads/2026/07/poster.png?ver=2&w=1200');
    assert.deepEqual(festival!.comments, { approved: 1, pending: 0 }, 'the pingback is not a comment');
  });

  it('WXR 1.1: nested blocks, the more block, a gallery, a featured image whose URL has a query string', async () => {
    const run = await importWordpress(t, [wordpressFixture('wxr-1.1.xml'), '--uploads', uploads]);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /comments: 1 approved and 0 pending imported; skipped 1 pingback\./);
    const festival = await story('61');
    assert.equal(festival.dek, 'Who plays & when.');
    assert.ok(festival.leadImage?.imageId, 'the file was found in the uploads folder despite the query');
    assert.equal(festival.leadImage.alt, 'A poster with a guitar and the festival dates');
    const types = festival.body.content.map((b) => (b.type === 'heading' ? `h${b.attrs.level}` : b.type));
    assert.deepEqual(types, ['paragraph', 'h3', 'bulletList', 'h3', 'paragraph', 'image']);
    const gallery = festival.body.content[5]!;
    assert.equal(gallery.type === 'image' && gallery.attrs.imageId, festival.leadImage.imageId, 'the gallery picture is the featured one (a resized copy with a query)');
    assert.match(run.err, /post 61 .*dropped image 2026\/07\/stage\.png: not found in the uploads folder/, 'the second gallery picture is reported, not lost silently');
    const [reply] = await t.services.comments.moderation.queue({ articleId: festival.id, limit: 10 });
    assert.equal(reply!.authorName, 'Reader & Fan');
    assert.equal(reply!.parentId, null, 'its parent was a pingback: it starts a thread');
  });
});
