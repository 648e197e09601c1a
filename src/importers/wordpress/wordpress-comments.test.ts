// Comments of a WordPress export, imported on the real database (SQLite, or PostgreSQL with
// TEST_DATABASE_URL): what each becomes, where it sits in its thread, what stays private, what the
// reader sees (thread, counts on cards, the cached page dropped), and re-runs adding nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { importWordpress, wordpressFixture } from '../../../test/helpers/wordpress.ts';
import type { StoredComment } from '../../comments/comment-rows.ts';
import { sourceKeyFor } from './wp-plan.ts';

const fixture = fs.readFileSync(wordpressFixture('comments.xml'), 'utf8');
const EMAILS = ['ann.private@mail.example', 'bob.private', 'editor.private', 'pat.private', 'ivy.private', '@mail.example'];
const IPS = ['203.0.113.5', '203.0.113.6'];

describe('bulletin import wordpress: comments', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let first: Awaited<ReturnType<typeof importWordpress>>;
  let wordsBefore: number;
  const storyId = async (postId: string) => (await t.services.articles.findIdBySourceKey(sourceKeyFor(postId)))!;
  const stored = async (postId: string): Promise<Map<string, StoredComment>> => {
    const rows = await t.services.comments.moderation.queue({ articleId: await storyId(postId), limit: 100 });
    return new Map(rows.map((c) => [c.authorName, c]));
  };
  const write = (text: string) => {
    fs.writeFileSync(file, text);
    return file;
  };
  const wordCount = async () => Number((await sql<{ n: number | string }>`SELECT count(*) AS n FROM comment_words`.execute(t.database.db)).rows[0]!.n);

  before(async () => {
    t = await buildTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-wp-comments-'));
    file = path.join(dir, 'comments.xml');
    wordsBefore = await wordCount();
    first = await importWordpress(t, [write(fixture)]);
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports approved as approved and 0 as pending; spam, trash, pingbacks and trackbacks are skipped and counted', async () => {
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /created 2,/);
    assert.match(first.out, /comments: 14 approved and 1 pending imported; skipped 1 spam, 1 pingback, 1 trackback, 1 trash\./);
    const comments = await stored('500');
    assert.equal(comments.size, 14);
    assert.equal(comments.get('Ivy Waiting')!.status, 'pending');
    for (const name of ['Cheap Pills', 'Other Blog', 'Tracker Blog', 'Binned Ben']) assert.ok(!comments.has(name), `${name} is not imported`);
    assert.equal((await stored('501')).get('Pat Second')!.status, 'approved');
  });

  it('keeps threads: replies under their parents, deeper than the limit at the limit, and orphans as threads of their own', async () => {
    const c = await stored('500');
    const id = (name: string) => c.get(name)!.id;
    const place = (name: string) => ({ parent: c.get(name)!.parentId, depth: c.get(name)!.depth });
    assert.deepEqual(place('Ann Reader'), { parent: null, depth: 1 });
    assert.deepEqual(place('Bob Reply'), { parent: id('Ann Reader'), depth: 2 });
    assert.deepEqual(place('Ed Deepest'), { parent: id('Di Deeper'), depth: 5 });
    // The depth limit is 5: the sixth level answers its parent's parent, as a reader's reply would.
    assert.deepEqual(place('Flo Toodeep'), { parent: id('Di Deeper'), depth: 5 });
    assert.equal(c.get('Flo Toodeep')!.threadId, id('Ann Reader'));
    // A parent that was spam or is not in the export: the reply starts its own thread.
    assert.deepEqual(place('Gus Underspam'), { parent: null, depth: 1 });
    assert.deepEqual(place('Hal Orphan'), { parent: null, depth: 1 });
    // A reply to a held comment goes under the nearest approved one above it.
    assert.deepEqual(place('Ivy Waiting'), { parent: id('Ann Reader'), depth: 2 });
    assert.deepEqual(place('Jo Underheld'), { parent: id('Ann Reader'), depth: 2 });
    // A reply the export lists before its parent.
    assert.deepEqual(place('Kim Early'), { parent: id('Lee Later'), depth: 2 });
  });

  it('keeps the author, website, date and text; email and address stay private as for native comments', async () => {
    const c = await stored('500');
    const ann = c.get('Ann Reader')!;
    assert.equal(ann.authorUrl, 'https://ann.example');
    assert.equal(ann.createdAt, '2026-11-25T09:00:00.000Z');
    assert.equal(ann.body, 'First line\nsecond line\n\nA new paragraph with a document (https://source.example/doc) and bold words.');
    assert.equal(ann.authorEmail, 'ann.private@mail.example', 'lower-cased, as the comment form stores it');
    assert.equal(ann.ip, '203.0.113.5', 'within the retention period: kept for the moderators');
    assert.equal(c.get('Bob Reply')!.ip, null, 'older than the retention period: a native comment would no longer have it');
    assert.equal(c.get('Mo Localtime')!.createdAt, '2026-10-02T08:00:00.000Z', 'no GMT date: the local one');
    assert.equal(c.get('Anonymous')!.authorEmail, '', 'no name: "Anonymous", as WordPress shows it');
  });

  it('bypasses the moderation rules and the classifier: decisions stand, nothing is learnt', async () => {
    // A first-time commenter would be held by the rules; an imported approved comment is not.
    const ann = (await stored('500')).get('Ann Reader')!;
    assert.equal(ann.status, 'approved');
    assert.deepEqual(ann.reasons, ['imported: moderated where it was first published']);
    assert.equal(ann.spamScore, null);
    assert.equal(ann.trainedAs, null);
    assert.equal(await wordCount(), wordsBefore, 'the classifier learnt nothing');
  });

  it('shows the thread and the counts on cards; no public page carries an email or address', async () => {
    const storyPath = '/local/bridge-reopens';
    const page = await t.app.inject(storyPath);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /13 Comments/);
    assert.match(page.body, /Depth six in WordPress, five here\./);
    assert.ok(!page.body.includes('Held for moderation in WordPress.'), 'a held comment is not public');
    const front = await t.app.inject('/');
    assert.match(front.body, /13 comments/);
    assert.match(front.body, /1 comment</);
    for (const url of ['/', '/local', storyPath, '/local/second-story', '/author/eda-editor', '/feed.xml', '/local/feed.xml', '/sitemap.xml', '/sitemap-stories-0.xml', `/comments/more/${await storyId('500')}?after=1`]) {
      const res = await t.app.inject(url);
      assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
      for (const secret of [...EMAILS, ...IPS]) assert.ok(!res.body.toLowerCase().includes(secret), `${url} shows ${secret}`);
    }
  });

  it('--dry-run --json gives each story its comments', async () => {
    const run = await importWordpress(t, [file, '--dry-run', '--json']);
    const report = JSON.parse(run.out) as { stories: { title: string; comments: { approved: number; pending: number } }[] };
    assert.deepEqual(report.stories.map((s) => [s.title, s.comments]), [['The bridge reopens', { approved: 13, pending: 1 }], ['Second story', { approved: 1, pending: 0 }]]);
    assert.ok(!run.out.includes('private'), 'no email in the dry run');
  });

  it('a second run adds no comment twice and leaves the newsroom’s moderation as it is; new ones arrive and the cached page is dropped', async () => {
    const trashed = (await stored('500')).get('Hal Orphan')!;
    await t.services.comments.moderation.move(trashed.id, 'trash', { kind: 'user', id: 1, role: 'moderator', name: 'Mo' });
    const again = await importWordpress(t, [file]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /comments: 0 approved and 0 pending imported; 15 already imported/);
    assert.equal((await stored('500')).size, 14);
    assert.equal((await stored('500')).get('Hal Orphan')!.status, 'trash');

    const before = await t.app.inject('/local/second-story');
    assert.match(before.body, /1 Comment</);
    const reply = '<wp:comment><wp:comment_id>302</wp:comment_id><wp:comment_author>Quinn New</wp:comment_author><wp:comment_author_email>quinn.private@mail.example</wp:comment_author_email><wp:comment_date_gmt>2026-10-04 09:00:00</wp:comment_date_gmt><wp:comment_content>A reply that came later.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>301</wp:comment_parent></wp:comment>';
    const later = await importWordpress(t, [write(fixture.replace('</wp:comment>\n\t</item>\n</channel>', `</wp:comment>\n${reply}\n\t</item>\n</channel>`))]);
    assert.equal(later.code, 0, later.err);
    assert.match(later.out, /unchanged 2/, 'the story itself is unchanged');
    assert.match(later.out, /comments: 1 approved and 0 pending imported; 15 already imported/);
    const after = await t.app.inject('/local/second-story');
    assert.match(after.body, /2 Comments/);
    assert.match(after.body, /A reply that came later\./);
    assert.equal((await stored('501')).get('Quinn New')!.parentId, (await stored('501')).get('Pat Second')!.id);
  });

  it('a commenter erased for privacy stays erased: a later run does not bring their comments back', async () => {
    const admin = { kind: 'user' as const, id: 1, role: 'administrator' as const, name: 'Ada' };
    assert.equal(await t.services.comments.moderation.eraseEmail('bob.private@mail.example', admin), 1);
    const run = await importWordpress(t, [file]);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /comments: 0 approved and 0 pending imported; 16 already imported/);
    assert.ok(!(await stored('500')).has('Bob Reply'));
  });

  it('comments reach a story the newsroom edited since (the story itself is left alone)', async () => {
    const id = await storyId('501');
    const story = (await t.services.articles.findById(id))!;
    await t.services.articles.save({ headline: 'Our own headline', sectionSlug: story.section.slug, body: story.body, status: story.status, publishedAt: story.publishedAt }, { id, expectedVersion: story.version });
    const reply = '<wp:comment><wp:comment_id>303</wp:comment_id><wp:comment_author>Ray Latest</wp:comment_author><wp:comment_date_gmt>2026-10-05 09:00:00</wp:comment_date_gmt><wp:comment_content>Latest.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>';
    const run = await importWordpress(t, [write(fixture.replace('</wp:comment>\n\t</item>\n</channel>', `</wp:comment>\n${reply}\n\t</item>\n</channel>`))]);
    assert.match(run.out, /left alone 1/);
    assert.match(run.out, /comments: 1 approved and 0 pending imported/);
    assert.equal((await t.services.articles.findById(id))!.headline, 'Our own headline');
  });
});

describe('bulletin import wordpress: a comment that cannot be written', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('takes its story with it (one transaction); a re-run brings both', async () => {
    const { db, engine } = t.database;
    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER refuse_comment BEFORE INSERT ON comments WHEN NEW.source_key = 'wordpress:comment:301' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`.execute(db);
    } else {
      await sql`CREATE FUNCTION refuse_comment() RETURNS trigger AS $$ BEGIN IF NEW.source_key = 'wordpress:comment:301' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`.execute(db);
      await sql`CREATE TRIGGER refuse_comment BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION refuse_comment()`.execute(db);
    }
    await assert.rejects(importWordpress(t, [wordpressFixture('comments.xml')]), /refused by test/);
    assert.ok(await t.services.articles.findIdBySourceKey(sourceKeyFor('500')), 'the story before it is in');
    assert.equal(await t.services.articles.findIdBySourceKey(sourceKeyFor('501')), undefined, 'the story went with its comment');
    if (engine === 'sqlite') await sql`DROP TRIGGER refuse_comment`.execute(db);
    else await sql`DROP TRIGGER refuse_comment ON comments`.execute(db);
    const rerun = await importWordpress(t, [wordpressFixture('comments.xml')]);
    assert.match(rerun.out, /created 1, updated 0, unchanged 1/);
    assert.match(rerun.out, /comments: 1 approved and 0 pending imported; 14 already imported/);
  });
});
