// The command's edges: usage errors, files that cannot be imported (each with its message, the
// database never opened, nothing written), the dry run's JSON, and one story failing mid-write
// leaving no trace of itself.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { importWordpress, makeUploads, wordpressFixture } from '../../../test/helpers/wordpress.ts';
import { sourceKeyFor } from './wp-plan.ts';

describe('bulletin import wordpress: bad input', () => {
  let t: TestApp;
  let uploads: string;
  before(async () => {
    t = await buildTestApp();
    uploads = await makeUploads();
  });
  after(async () => {
    await t.close();
    fs.rmSync(uploads, { recursive: true, force: true });
  });

  it('usage errors exit 2 with the usage', async () => {
    for (const argv of [[], ['a.xml', 'b.xml'], ['--frobnicate', 'a.xml'], ['a.xml', '--uploads'], ['a.xml', '--pages-section', '']]) {
      const run = await importWordpress(t, argv);
      assert.equal(run.code, 2, argv.join(' '));
      assert.match(run.err, /^error: .+\nusage: bulletin import wordpress/);
      assert.equal(run.opened, 0);
    }
  });

  it('every unreadable file gets one clear line, exit 1, and opens nothing', async () => {
    const cases: [string, RegExp][] = [
      ['no-such-file.xml', /no such file/],
      ['not-xml.txt', /not well-formed XML/],
      ['plain-rss.xml', /not a WordPress export/],
      ['future-version.xml', /WXR version 9\.0 is not one this importer knows/],
      ['truncated.xml', /looks truncated/],
      ['xxe.xml', /DOCTYPE/],
      ['entity-expansion.xml', /DOCTYPE/],
    ];
    for (const [name, message] of cases) {
      const run = await importWordpress(t, [wordpressFixture(name)]);
      assert.equal(run.code, 1, name);
      assert.match(run.err, message, name);
      assert.equal(run.err.trim().split('\n').length, 1, `${name}: one line`);
      assert.ok(!/\n\s+at /.test(run.err), `${name}: no stack trace`);
      assert.equal(run.opened, 0, `${name}: the database was not opened`);
    }
    const folder = await importWordpress(t, [wordpressFixture('site.xml'), '--uploads', '/no/such/folder']);
    assert.equal(folder.code, 1);
    assert.match(folder.err, /--uploads \/no\/such\/folder: no such folder/);
    assert.equal(await t.services.articles.countBySourcePrefix('wordpress:'), 0);
  });

  it('on a terminal: a bar with rate and time left on stderr, the summary alone on stdout; elsewhere one plain line per item', async () => {
    const tty = await importWordpress(t, [wordpressFixture('site.xml'), '--uploads', uploads, '--dry-run'], { isTTY: true });
    assert.equal(tty.code, 0, tty.err);
    assert.match(tty.err, /\r\x1b\[2K.*\d+\/11 .*items\/s/);
    assert.ok(!tty.out.includes('\r'));
    assert.match(tty.out, /^would import 7 stories/);
    const plain = await importWordpress(t, [wordpressFixture('site.xml'), '--uploads', uploads, '--dry-run']);
    assert.ok(!plain.out.includes('\r') && !plain.err.includes('\r'));
    assert.match(plain.out, /^read 1\/11 post 11 "Harbour council votes to rebuild the north pier": would import$/m);
  });

  it('exits 1 when the export holds nothing that can be imported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-wp-empty-'));
    const file = path.join(dir, 'private-only.xml');
    fs.writeFileSync(file, '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>Memo</title><wp:post_id>9</wp:post_id><wp:post_type>post</wp:post_type><wp:status>private</wp:status></item></channel></rss>');
    try {
      const run = await importWordpress(t, [file]);
      assert.equal(run.code, 1);
      assert.match(run.out, /created 0, .*skipped 1 \(1 private\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--dry-run --json prints the plan in the documented shape and writes nothing', async () => {
    const run = await importWordpress(t, [wordpressFixture('site.xml'), '--uploads', uploads, '--dry-run', '--json']);
    assert.equal(run.code, 0, run.err);
    assert.equal(run.opened, 0);
    const report = JSON.parse(run.out);
    assert.deepEqual(Object.keys(report), ['authors', 'sections', 'topics', 'stories', 'media', 'skipped']);
    assert.deepEqual(report.authors, ['Jane Doe', 'Rob Smith']);
    assert.deepEqual(report.sections, ['National', 'Pages']);
    const harbour = report.stories[0];
    assert.deepEqual(Object.keys(harbour), ['title', 'status', 'section', 'topics', 'authors', 'publishedAt', 'blocks', 'leadImage', 'comments', 'oldUrls', 'dropped']);
    assert.deepEqual(harbour.comments, { approved: 2, pending: 1 }, 'spam is not counted; the reply and the pending one are');
    assert.deepEqual(harbour.oldUrls, ['/2026/10/10/harbour-story', '/?p=11']);
    assert.equal(harbour.leadImage, 'https://technews.example/wp-content/uploads/2026/10/harbour-lights.png');
    assert.deepEqual(report.skipped.map((s: { reason: string }) => s.reason), ['private in WordPress', 'in the WordPress trash', 'a nav_menu_item, not a post or page', 'a revision, not a post or page']);
    assert.ok(!run.out.includes('@'), 'no email in the dry run');
    assert.equal(await t.services.articles.countBySourcePrefix('wordpress:'), 0);
    assert.deepEqual(await t.services.articles.sections(), []);
  });

  it('a story whose write fails half-way leaves nothing of itself; the others import', async () => {
    const { db, engine } = t.database;
    // A real failure inside the story's transaction: the database refuses one old address.
    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER refuse_one BEFORE INSERT ON legacy_redirects WHEN NEW.path = '/?p=20' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`.execute(db);
    } else {
      await sql`CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN IF NEW.path = '/?p=20' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`.execute(db);
      await sql`CREATE TRIGGER refuse_one BEFORE INSERT ON legacy_redirects FOR EACH ROW EXECUTE FUNCTION refuse_one()`.execute(db);
    }
    await assert.rejects(importWordpress(t, [wordpressFixture('site.xml'), '--uploads', uploads]), /refused by test/);
    assert.equal(await t.services.articles.findIdBySourceKey(sourceKeyFor('20')), undefined, 'the story was rolled back with its redirects');
    const rows = await sql<{ n: number | string }>`SELECT count(*) AS n FROM legacy_redirects WHERE path = '/2026/09/01/ferry-timetable'`.execute(db);
    assert.equal(Number(rows.rows[0]!.n), 0);
    assert.ok(await t.services.articles.findIdBySourceKey(sourceKeyFor('11')), 'the story before it is in');
    if (engine === 'sqlite') await sql`DROP TRIGGER refuse_one`.execute(db);
    else await sql`DROP TRIGGER refuse_one ON legacy_redirects`.execute(db);
    const rerun = await importWordpress(t, [wordpressFixture('site.xml'), '--uploads', uploads]);
    assert.equal(rerun.code, 0, rerun.err);
    assert.match(rerun.out, /created 6, updated 0, unchanged 1/);
  });
});

describe('bulletin import wordpress without --uploads', () => {
  let t: TestApp;
  let server: http.Server;
  let requests: string[];
  let dir: string;
  let uploads: string;
  before(async () => {
    t = await buildTestApp();
    uploads = await makeUploads();
    requests = [];
    // The old site, still answering: its uploads over HTTP.
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      const file = path.join(uploads, (req.url ?? '').replace(/^\/wp-content\/uploads\//, ''));
      if (!file.startsWith(uploads) || !fs.existsSync(file)) return void res.writeHead(404).end('gone');
      res.writeHead(200, { 'content-type': 'image/png' }).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-wp-fetch-'));
    fs.writeFileSync(path.join(dir, 'site.xml'), fs.readFileSync(wordpressFixture('site.xml'), 'utf8').replaceAll('https://technews.example/wp-content/', `${origin}/wp-content/`));
  });
  after(async () => {
    server.close();
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(uploads, { recursive: true, force: true });
  });

  it('fetches attachments from their URLs, and reports each one it could not use', async () => {
    const run = await importWordpress(t, [path.join(dir, 'site.xml'), '--json'], { allowFetch: true });
    assert.equal(run.code, 0, run.err);
    const summary = JSON.parse(run.out);
    assert.equal(summary.created, 7);
    assert.ok(requests.includes('/wp-content/uploads/2026/10/harbour-lights.png'), 'the original, not the resized copy');
    const harbour = (await t.services.articles.findById((await t.services.articles.findIdBySourceKey(sourceKeyFor('11')))!))!;
    assert.ok(harbour.leadImage?.imageId, 'the featured image came over HTTP');
    assert.ok(summary.report.some((line: string) => /post 40 .*featured image left out: 2026\/10\/minutes\.jpg: This file is not an image/.test(line)));
    assert.deepEqual(summary.comments, { approved: 2, pending: 1, alreadyImported: 0, empty: 0, onStoriesNotImported: 0, skipped: { spam: 1 } });
  });
});
