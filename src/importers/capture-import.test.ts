import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { captureSourceKey, CaptureImporter } from './capture-import.ts';
import { runImportCommand } from './import-command.ts';
import { sink } from '../../test/helpers/streams.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/captures/', import.meta.url));
const seedPath = join(fixtures, 'seed.txt');
const seedText = readFileSync(seedPath, 'utf8');
const SEED_SLUG = 'trump-talks-with-putin-as-he-considers-selling-long-range-missiles-to-ukraine';


async function run(importer: CaptureImporter, argv: string[], isTTY = false) {
  const out = sink();
  const err = sink();
  const code = await runImportCommand(argv, { importer, out: out.stream, err: err.stream, isTTY });
  return { code, out: out.text(), err: err.text() };
}

describe('CaptureImporter', () => {
  let app: TestApp;
  let importer: CaptureImporter;
  let dir: string;

  before(async () => {
    app = await buildTestApp();
    importer = new CaptureImporter({ articles: app.services.articles, videos: app.services.videos });
    dir = mkdtempSync(join(tmpdir(), 'bulletin-import-'));
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('dry run parses and writes nothing', async () => {
    const { code, out, err } = await run(importer, [seedPath, '--dry-run', '--json']);
    assert.equal(code, 0, err);
    const result = JSON.parse(out);
    assert.equal(result.site, 'Technical News');
    assert.equal(result.section, 'National');
    assert.equal(result.blocks.length, 34);
    assert.deepEqual(result.credit.agencies, ['AP']);
    assert.deepEqual(Object.keys(result.blocks[0]), ['type', 'text']);
    assert.deepEqual(await app.services.articles.sections(), []);
    assert.equal(await app.services.articles.findIdBySourceKey(captureSourceKey('x', 'national')), undefined);
    assert.deepEqual(await app.services.videos.byIds([1, 2, 3, 4]), []);
    assert.equal(await app.services.articles.countPublished({}), 0);
  });

  it('imports the seed as a published story, creating its section', async () => {
    const result = await importer.importText(seedText, { fileName: 'seed.txt', publish: true });
    assert.equal(result.created, true);
    assert.equal(result.url, `/national/${SEED_SLUG}`);
    assert.equal(result.section, 'National');

    const article = (await app.services.articles.findById(result.articleId))!;
    assert.equal(article.status, 'published');
    assert.equal(article.headline, 'Trump talks with Putin as he considers selling long-range missiles to Ukraine');
    assert.equal(article.section.slug, 'national');
    const types = article.body.content.map((b) => b.type);
    assert.equal(types.filter((t) => t === 'paragraph').length, 28);
    assert.equal(types.filter((t) => t === 'heading').length, 2);
    const videos = article.body.content.flatMap((b) => (b.type === 'video' ? [b] : []));
    assert.equal(videos.length, 4);
    assert.ok(videos.every((v) => Number.isInteger(v.attrs.videoId)));
    assert.equal((await app.services.videos.byIds(videos.map((v) => v.attrs.videoId!))).length, 4);
    assert.deepEqual(article.credit.contributors, ['Fatima Hussein', 'Chris Megerian', 'Didi Tang']);
    assert.deepEqual(article.credit.agencies, ['AP']);
    assert.ok(await app.services.articles.findPublished('national', SEED_SLUG));
    assert.equal(await app.services.articles.revisionCount(result.articleId), 1);
  });

  it('re-importing (even edited, without --publish) updates the same story and keeps it published', async () => {
    const first = await app.services.articles.findIdBySourceKey(captureSourceKey(
      'Trump talks with Putin as he considers selling long-range missiles to Ukraine', 'national'));
    assert.ok(first);
    const edited = seedText.replace('But Trump was undeterred.', 'But Trump was not deterred.');
    const result = await importer.importText(edited, { fileName: 'seed-edited.txt', publish: false });
    assert.equal(result.created, false);
    assert.equal(result.articleId, first);
    const article = (await app.services.articles.findById(first))!;
    assert.equal(article.status, 'published');
    assert.ok(article.body.content.some((b) => b.type === 'paragraph' && b.content?.[0]?.type === 'text' && b.content[0].text === 'But Trump was not deterred.'));
    assert.equal(await app.services.articles.revisionCount(first), 2);
    assert.equal(await app.services.articles.countPublished({}), 1);
  });

  it('imports a draft unless told to publish, into an existing section matched by name', async () => {
    await app.services.articles.createSection({ name: 'Business', slug: 'money' });
    const text = readFileSync(join(fixtures, 'hyphen-reuters.txt'), 'utf8');
    const result = await importer.importText(text, { fileName: 'hyphen-reuters.txt', publish: false });
    assert.match(result.url, /^\/money\//);
    const article = (await app.services.articles.findById(result.articleId))!;
    assert.equal(article.status, 'draft');
    assert.deepEqual(article.credit.agencies, ['Reuters']);
    // A later --publish import publishes it.
    await importer.importText(text, { fileName: 'hyphen-reuters.txt', publish: true });
    assert.equal((await app.services.articles.findById(result.articleId))!.status, 'published');
  });

  it('a batch imports the good files, reports each bad one on one line, and exits 1', async () => {
    const missing = join(dir, 'missing.txt');
    const invalid = join(dir, 'invalid-utf8.txt');
    writeFileSync(invalid, Buffer.from([0x48, 0x20, 0xe2, 0x80, 0x20, 0x4e, 0x0a]));
    const files = [
      join(fixtures, 'em-dash-with-files.txt'), join(fixtures, 'empty.txt'), dir, missing, invalid,
      join(fixtures, 'binary.bin'), join(fixtures, 'no-headline.txt'), join(fixtures, 'crlf-bom.txt'),
    ];
    const { code, out, err } = await run(importer, [...files, '--publish']);
    assert.equal(code, 1);
    const errors = err.trimEnd().split('\n');
    assert.equal(errors.length, 6, err);
    for (const [i, file] of [files[1], dir, missing, invalid, files[5], files[6]].entries()) {
      assert.ok(errors[i]!.startsWith(`error: ${file}: `), errors[i]);
      assert.equal(errors[i]!.split(file!).length, 2, `names the file once: ${errors[i]}`);
    }
    assert.match(errors[1]!, /directory/);
    assert.match(errors[3]!, /UTF-8/);
    assert.match(out, /^imported 1\/8 local-news\/harbour-council-backs-ferry-terminal-rebuild-after-storm-damage \(created\)$/m);
    assert.match(out, /^imported 8\/8 national\/marston-mill-fire-leaves-40-workers-without-jobs \(created\)$/m);
    assert.match(out, /^imported 2 of 8 files; 6 failed\.$/m);
    assert.ok(await app.services.articles.findPublished('local-news', 'harbour-council-backs-ferry-terminal-rebuild-after-storm-damage'));
    assert.ok(await app.services.articles.findPublished('national', 'marston-mill-fire-leaves-40-workers-without-jobs'));
  });

  it('--json for several files prints an array of results', async () => {
    const { code, out } = await run(importer, ['--json', seedPath, join(fixtures, 'canadian-press.txt')]);
    assert.equal(code, 0);
    const results = JSON.parse(out);
    assert.equal(results.length, 2);
    assert.equal(results[0].created, false);
    assert.equal(results[0].url, `/national/${SEED_SLUG}`);
    assert.equal(results[1].created, true);
  });

  it('--dry-run on a bad file writes nothing to stdout and exits 1', async () => {
    const { code, out, err } = await run(importer, ['--dry-run', '--json', join(fixtures, 'empty.txt')]);
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.match(err, /^error: .*empty\.txt: the capture is empty\.\n$/);
  });

  it('rejects unknown flags and missing files with a usage error', async () => {
    const unknown = await run(importer, [seedPath, '--pubish']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^error: unknown option --pubish\nusage: bulletin import/);
    assert.equal((await run(importer, [])).code, 2);
    assert.equal((await run(importer, ['--help'])).code, 0);
  });

  it('on a terminal, draws one progress line with \\r, rate and time left on stderr', async () => {
    const { code, out, err } = await run(importer, [seedPath, join(fixtures, 'canadian-press.txt')], true);
    assert.equal(code, 0);
    assert.match(err, /\r\x1b\[2Kimported {2}\[#+\] {2}2\/2 {2}[\d.]+ files\/s {2}done/);
    assert.equal(err.match(/\n/g)?.length, 1); // the finished bar
    assert.equal(out, 'imported 2 of 2 files.\n');
  });

  it('opens the services lazily: not for a dry run or bad files, once for a batch, and closes them', async () => {
    let opened = 0;
    let closed = 0;
    const factory = async () => {
      opened++;
      return { importer, close: async () => void closed++ };
    };
    const runWith = async (argv: string[]) => {
      const out = sink();
      const err = sink();
      const code = await runImportCommand(argv, { importer: factory, out: out.stream, err: err.stream, isTTY: false });
      return { code, err: err.text() };
    };
    assert.equal((await runWith(['--dry-run', seedPath])).code, 0);
    assert.equal((await runWith([join(fixtures, 'empty.txt'), join(fixtures, 'no-headline.txt')])).code, 1);
    assert.equal(opened, 0);
    assert.equal((await runWith([seedPath, join(fixtures, 'canadian-press.txt')])).code, 0);
    assert.deepEqual([opened, closed], [1, 1]);

    const broken = async () => {
      throw new Error('disk full');
    };
    const err = sink();
    const code = await runImportCommand([seedPath, join(fixtures, 'canadian-press.txt')], {
      importer: broken, out: sink().stream, err: err.stream, isTTY: false,
    });
    assert.equal(code, 1);
    assert.equal(err.text(), `error: ${seedPath}: cannot open the database: disk full\n`);
  });
});
