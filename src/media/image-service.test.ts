import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AppError } from '../platform/errors.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { ImageRejected } from './image-processing.ts';
import { cleanFilename, formatMegabytes } from './image-service.ts';
import { HTML_PAGE, pngClaiming, sampleImage, SVG_IMAGE } from './image-test-samples.ts';

let t: TestApp;
before(async () => {
  // The app's job worker stays off: a test runs the AVIF jobs itself (t.jobs.runDue()) when it
  // means to, so records never change under its feet.
  t = await buildTestApp({}, { watchChanges: false });
});
after(() => t.close());

const imagesRoot = () => path.join(t.dataDir, 'media', 'images');
/** Every file and folder under the images folder, so a test can tell that nothing was left behind. */
function snapshot(): string[] {
  if (!fs.existsSync(imagesRoot())) return [];
  return (fs.readdirSync(imagesRoot(), { recursive: true }) as string[]).sort();
}

async function assertRefusedLeavingNothing(bytes: Buffer, filename: string, reason: ImageRejected['reason'], message: string | RegExp) {
  const files = snapshot();
  const { total } = await t.services.images.list();
  await assert.rejects(t.services.images.upload({ bytes, filename, declaredType: 'image/jpeg' }), (error: unknown) => {
    assert.ok(error instanceof ImageRejected, String(error));
    assert.equal(error.code, 'invalid_input');
    assert.equal(error.reason, reason);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
  assert.deepEqual(snapshot(), files, `${filename}: no files left behind`);
  assert.equal((await t.services.images.list()).total, total, `${filename}: no row left behind`);
}

test('every accepted type uploads: one row, one folder with the original and its variants (AVIF from the job)', async () => {
  for (const format of ['jpeg', 'png', 'webp', 'avif', 'gif'] as const) {
    const image = await t.services.images.upload({ bytes: await sampleImage(format, 500, 250), filename: `photo.${format}`, createdBy: 7 });
    assert.equal(image.mime, `image/${format}`);
    assert.deepEqual([image.width, image.height], [500, 250]);
    assert.equal(image.filename, `photo.${format}`);
    assert.equal(image.createdBy, 7);
    assert.match(image.folder, new RegExp(`^${image.id}-[0-9a-f]{16}$`));
    const folder = path.join(imagesRoot(), image.folder);
    const original = `original.${format === 'jpeg' ? 'jpg' : format}`;
    assert.deepEqual(fs.readdirSync(folder).sort(), [original, 'w320.jpg', 'w320.webp', 'w500.jpg', 'w500.webp'].sort());
    assert.deepEqual(image.variants.map((v) => v.file), ['w320.webp', 'w320.jpg', 'w500.webp', 'w500.jpg']);
    assert.deepEqual(await t.services.images.get(image.id), image);

    await t.jobs.runDue();
    assert.deepEqual(fs.readdirSync(folder).sort(), [original, 'w320.avif', 'w320.jpg', 'w320.webp', 'w500.avif', 'w500.jpg', 'w500.webp'].sort());
    const done = await t.services.images.get(image.id);
    assert.deepEqual(done.variants.map((v) => v.file), ['w320.avif', 'w320.webp', 'w320.jpg', 'w500.avif', 'w500.webp', 'w500.jpg']);
    assert.deepEqual({ ...done, variants: done.variants.filter((v) => v.format !== 'avif') }, image, 'only AVIF variants were added');
  }
  assert.deepEqual(snapshot().filter((f) => f.startsWith('.')), [], 'no working folders remain');
});

test('the declared type and the name are not trusted: an SVG called photo.jpg is refused', async () => {
  await assertRefusedLeavingNothing(SVG_IMAGE, 'photo.jpg', 'unsupported', 'This file is an SVG; upload a JPEG, PNG, WebP, AVIF or GIF.');
  await assertRefusedLeavingNothing(HTML_PAGE, 'photo.png', 'unsupported', 'This file is an HTML page; upload a JPEG, PNG, WebP, AVIF or GIF.');
  await assertRefusedLeavingNothing(Buffer.from('MZ\x90\0 not an image'), 'photo.gif', 'unsupported', /not an image we can use/);
});

test('empty, oversized, bomb and damaged uploads are refused and leave nothing behind', async () => {
  const jpeg = await sampleImage('jpeg', 1000, 700);
  await assertRefusedLeavingNothing(Buffer.alloc(0), 'empty.jpg', 'invalid', 'The file is empty; upload a JPEG, PNG, WebP, AVIF or GIF.');
  await assertRefusedLeavingNothing(Buffer.alloc(31 * 1024 * 1024, 0xff), 'huge.jpg', 'too_large', 'The file is 31 MB; the limit is 20 MB.');
  await assertRefusedLeavingNothing(pngClaiming(12_000, 9_000), 'bomb.png', 'invalid', 'The image is 12,000 × 9,000 pixels; the limit is 40 megapixels.');
  // Truncated: the header reads fine, so the original and some variants are written before the
  // decoder fails — the working folder must still vanish.
  await assertRefusedLeavingNothing(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 'cut.jpg', 'invalid', /damaged or incomplete/);
  await assertRefusedLeavingNothing(Buffer.concat([jpeg.subarray(0, 20), Buffer.alloc(2000, 0x41)]), 'garbage.jpg', 'invalid', /damaged or incomplete/);
});

test('sizes in messages round up, so an over-limit file never reads as the limit', () => {
  assert.equal(formatMegabytes(31 * 1024 * 1024), '31 MB');
  assert.equal(formatMegabytes(20 * 1024 * 1024 + 1), '20.1 MB');
  assert.equal(formatMegabytes(150.2 * 1024 * 1024), '151 MB');
});

test('file names are cleaned for display: no folders, no control characters', () => {
  assert.equal(cleanFilename('C:\\Users\\ada\\Desktop\\flood  barrier.jpg'), 'flood barrier.jpg');
  assert.equal(cleanFilename('../../etc/passwd'), 'passwd');
  assert.equal(cleanFilename('bad\u0000name\u001b.png'), 'badname.png');
  assert.equal(cleanFilename('..'), 'image');
  assert.equal(cleanFilename(''), 'image');
  assert.equal(cleanFilename('x'.repeat(500)).length, 200);
});

test('alt text, caption and credit: trimmed, limited, partial updates keep the rest', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 400, 300), filename: 'barrier.jpg' });
  const updated = await t.services.images.updateMeta(image.id, { alt: '  Workers bolt a steel gate\n to the barrier  ', caption: 'The east gate.', credit: 'Ada Reporter' });
  assert.deepEqual([updated.alt, updated.caption, updated.credit], ['Workers bolt a steel gate to the barrier', 'The east gate.', 'Ada Reporter']);
  const again = await t.services.images.updateMeta(image.id, { caption: 'The west gate.' });
  assert.deepEqual([again.alt, again.caption, again.credit], ['Workers bolt a steel gate to the barrier', 'The west gate.', 'Ada Reporter']);

  await assert.rejects(t.services.images.updateMeta(image.id, { alt: 'a'.repeat(301), caption: 'c'.repeat(1001), credit: 'r'.repeat(301) }), (error: AppError) => {
    assert.equal(error.code, 'invalid_input');
    assert.deepEqual(error.details.map((d) => d.field), ['alt', 'caption', 'credit']);
    return true;
  });
  assert.equal((await t.services.images.get(image.id)).caption, 'The west gate.', 'a refused update changes nothing');
  await assert.rejects(t.services.images.updateMeta(999_999, { alt: 'x' }), { code: 'not_found' });
});

test('requireAlt: the message the publishing rule shows, until the image has alt text', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('png', 320, 200), filename: 'chart.png' });
  assert.match((await t.services.images.requireAlt(image.id))!, /^Add alt text to the image “chart\.png” before publishing/);
  await t.services.images.updateMeta(image.id, { alt: 'Bar chart of rainfall by month' });
  assert.equal(await t.services.images.requireAlt(image.id), null);
  assert.match((await t.services.images.requireAlt(999_999))!, /no longer exists/);
});

test('list: newest first, paged, searched by name, alt, caption or credit (wildcards literal)', async () => {
  const a = await t.services.images.upload({ bytes: await sampleImage('jpeg', 330, 200), filename: 'Harbour_100%.jpg' });
  const b = await t.services.images.upload({ bytes: await sampleImage('jpeg', 330, 200), filename: 'storm.jpg' });
  await t.services.images.updateMeta(b.id, { credit: 'HARBOUR Photos Ltd' });
  const { images, total } = await t.services.images.list({ search: 'harbour' });
  assert.equal(total, 2);
  assert.deepEqual(images.map((i) => i.id), [b.id, a.id]);
  assert.deepEqual((await t.services.images.list({ search: '100%' })).images.map((i) => i.id), [a.id]);
  assert.equal((await t.services.images.list({ search: '_' })).images.some((i) => i.id === b.id), false, '_ is not a wildcard');
  const page = await t.services.images.list({ limit: 1, offset: 1, search: 'harbour' });
  assert.deepEqual(page.images.map((i) => i.id), [a.id]);
  assert.equal(page.total, 2);
  await assert.rejects(t.services.images.list({ limit: 0 }), { code: 'invalid_input' });
  await assert.rejects(t.services.images.list({ limit: 101 }), { code: 'invalid_input' });
  await assert.rejects(t.services.images.list({ offset: -1 }), { code: 'invalid_input' });
});

test('delete removes the row and the files together', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('webp', 400, 300), filename: 'gone.webp' });
  const folder = path.join(imagesRoot(), image.folder);
  assert.ok(fs.existsSync(folder));
  await t.services.images.delete(image.id);
  assert.equal(fs.existsSync(folder), false);
  assert.deepEqual(snapshot().filter((f) => f.startsWith('.')), [], 'nothing set aside remains');
  await assert.rejects(t.services.images.get(image.id), { code: 'not_found' });
  await assert.rejects(t.services.images.delete(image.id), { code: 'not_found' });
});

test('upload with alt text, caption and credit: tidied and stored with the row; a bad one is refused before the file is looked at', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('png', 320, 200), filename: 'gate.png', meta: { alt: ' The east  gate ', credit: 'Ada' } });
  assert.deepEqual([image.alt, image.caption, image.credit], ['The east gate', '', 'Ada']);
  assert.deepEqual(await t.services.images.get(image.id), image);
  const files = snapshot();
  // The file is an SVG too, but the field is reported: nothing was processed.
  await assert.rejects(t.services.images.upload({ bytes: SVG_IMAGE, filename: 'x.svg', meta: { alt: 'a'.repeat(301) } }), (error: AppError) => {
    assert.ok(!(error instanceof ImageRejected));
    assert.deepEqual(error.details.map((d) => d.field), ['alt']);
    return true;
  });
  assert.deepEqual(snapshot(), files);
});

test('browse: newest first by id, `before` pages on, `next` is null at the end; bad options refused', async () => {
  const { images: all } = await t.services.images.browse({ limit: 100 });
  assert.deepEqual(all.map((i) => i.id), [...all.map((i) => i.id)].sort((a, b) => b - a));
  const first = await t.services.images.browse({ limit: 2 });
  assert.deepEqual(first.images.map((i) => i.id), all.slice(0, 2).map((i) => i.id));
  assert.equal(first.next, all[1]!.id);
  const rest = await t.services.images.browse({ limit: 100, before: first.next! });
  assert.deepEqual(rest.images.map((i) => i.id), all.slice(2).map((i) => i.id));
  assert.equal(rest.next, null);
  await assert.rejects(t.services.images.browse({ limit: 0 }), { code: 'invalid_input' });
  await assert.rejects(t.services.images.browse({ limit: 10, before: 0 }), { code: 'invalid_input' });
  await assert.rejects(t.services.images.browse({ limit: 10, search: 'x'.repeat(201) }), { code: 'invalid_input' });
});
