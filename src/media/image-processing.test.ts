import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { ImageRejected, originalFileFor, processImage, sniffFormat, sortVariants, variantWidths, writeVariant, type SourceFormat } from './image-processing.ts';
import { animatedGif, exifHasGps, HTML_PAGE, pngClaiming, sampleImage, sidewaysPhotoWithGps, SVG_IMAGE } from './image-test-samples.ts';
import { sameOnEveryEngine } from '../../test/helpers/build-test-app.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-images-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const freshDir = () => fs.mkdtempSync(path.join(root, 'work-'));

const rejection = (reason: ImageRejected['reason'], message: string | RegExp) => (error: unknown) => {
  assert.ok(error instanceof ImageRejected, `expected ImageRejected, got ${String(error)}`);
  assert.equal(error.reason, reason);
  if (typeof message === 'string') assert.equal(error.message, message);
  else assert.match(error.message, message);
  return true;
};

test('the bytes decide the type: magic numbers of every accepted format', async () => {
  for (const format of ['jpeg', 'png', 'webp', 'avif', 'gif'] as const) {
    assert.equal(sniffFormat(await sampleImage(format, 40, 30)), format);
  }
});

test('SVG, HTML and other non-images are refused by content, whatever they are called', () => {
  const refused = [
    [SVG_IMAGE, 'This file is an SVG; upload a JPEG, PNG, WebP, AVIF or GIF.'],
    [Buffer.from('\ufeff  <svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'This file is an SVG; upload a JPEG, PNG, WebP, AVIF or GIF.'],
    [HTML_PAGE, 'This file is an HTML page; upload a JPEG, PNG, WebP, AVIF or GIF.'],
    [Buffer.from('%PDF-1.7\n'), 'This file is a PDF; upload a JPEG, PNG, WebP, AVIF or GIF.'],
    [Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic'), 'This file is a HEIC photo (the iPhone format); upload a JPEG, PNG, WebP, AVIF or GIF.'],
    [Buffer.from('\0\0\0\x18ftypisom\0\0\0\0isomavc1'), 'This file is a video or other media file; upload a JPEG, PNG, WebP, AVIF or GIF.'],
    [Buffer.from('just some text'), 'This file is not an image we can use; upload a JPEG, PNG, WebP, AVIF or GIF.'],
  ] as const;
  for (const [bytes, message] of refused) assert.throws(() => sniffFormat(bytes), rejection('unsupported', message));
});

test('variant widths step up to the image width and never past it (no upscaling)', () => {
  assert.deepEqual(variantWidths(2400), [320, 640, 960, 1280, 1920]);
  assert.deepEqual(variantWidths(1920), [320, 640, 960, 1280, 1920]);
  assert.deepEqual(variantWidths(800), [320, 640, 800]);
  assert.deepEqual(variantWidths(320), [320]);
  assert.deepEqual(variantWidths(100), [100]);
});

for (const format of ['jpeg', 'png', 'webp', 'avif', 'gif'] as SourceFormat[]) {
  test(`a ${format} upload keeps its original and gets AVIF, WebP and JPEG variants at each width`, async () => {
    const bytes = await sampleImage(format, 700, 400);
    const dir = freshDir();
    const result = await processImage(bytes, dir);
    assert.equal(result.format, format);
    assert.deepEqual([result.width, result.height], [700, 400]);
    const ext = format === 'jpeg' ? 'jpg' : format;
    assert.deepEqual(fs.readFileSync(path.join(dir, `original.${ext}`)), bytes, 'the original is kept byte for byte');
    assert.deepEqual(
      result.variants.map((v) => `${v.file} ${v.width}x${v.height}`),
      ['w320.avif 320x183', 'w320.webp 320x183', 'w320.jpg 320x183', 'w640.avif 640x366', 'w640.webp 640x366', 'w640.jpg 640x366', 'w700.avif 700x400', 'w700.webp 700x400', 'w700.jpg 700x400'],
    );
    for (const variant of result.variants) {
      const meta = await sharp(path.join(dir, variant.file)).metadata();
      assert.equal(meta.format, variant.format === 'avif' ? 'heif' : variant.format, variant.file);
      assert.equal(meta.width, variant.width);
      assert.equal(fs.statSync(path.join(dir, variant.file)).size, variant.bytes);
    }
  });
}

test('without AVIF (what an upload makes at once): the original, then WebP and JPEG at each width', async () => {
  const bytes = await sampleImage('jpeg', 700, 400);
  const dir = freshDir();
  const result = await processImage(bytes, dir, { avif: false });
  assert.deepEqual(result.variants.map((v) => v.file), ['w320.webp', 'w320.jpg', 'w640.webp', 'w640.jpg', 'w700.webp', 'w700.jpg']);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['original.jpg', 'w320.jpg', 'w320.webp', 'w640.jpg', 'w640.webp', 'w700.jpg', 'w700.webp']);
  const transparent = await processImage(await sampleImage('png', 400, 300, { alpha: true }), freshDir(), { avif: false });
  assert.deepEqual(transparent.variants.map((v) => v.file), ['w320.webp', 'w320.png', 'w400.webp', 'w400.png']);
});

test('one variant written later (the AVIF job) matches the one processImage makes, under any target name', async () => {
  const bytes = await sidewaysPhotoWithGps();
  const dir = freshDir();
  const inline = (await processImage(bytes, dir)).variants.find((v) => v.file === 'w200.avif')!;
  const later = await writeVariant(bytes, 200, 'avif', path.join(dir, '.partial-x'), 'w200.avif');
  assert.deepEqual(later, inline);
  assert.deepEqual(fs.readFileSync(path.join(dir, '.partial-x')), fs.readFileSync(path.join(dir, 'w200.avif')), 'the same bytes: a re-run changes nothing');
  await assert.rejects(writeVariant(Buffer.from('not an image at all'), 200, 'avif', path.join(dir, 'w1.avif')), rejection('invalid', /damaged or incomplete/));
});

test('variants sort by width, then AVIF, WebP, JPEG, PNG; the original is named from the stored type', () => {
  const v = (file: string) => ({ format: ({ avif: 'avif', webp: 'webp', jpg: 'jpeg', png: 'png' } as const)[file.split('.')[1] as 'avif'], width: Number(file.slice(1).split('.')[0]), height: 1, file, bytes: 1 });
  assert.deepEqual(sortVariants(['w640.jpg', 'w320.webp', 'w640.avif', 'w320.avif', 'w320.jpg', 'w640.webp'].map(v)).map((x) => x.file), ['w320.avif', 'w320.webp', 'w320.jpg', 'w640.avif', 'w640.webp', 'w640.jpg']);
  assert.equal(originalFileFor('image/jpeg'), 'original.jpg');
  assert.equal(originalFileFor('image/gif'), 'original.gif');
  assert.throws(() => originalFileFor('image/svg+xml'));
});

test('an animated GIF is kept whole as the original; its variants show the first frame', async () => {
  const bytes = await animatedGif();
  const dir = freshDir();
  const result = await processImage(bytes, dir);
  assert.deepEqual([result.width, result.height], [80, 60]);
  assert.equal((await sharp(path.join(dir, 'original.gif')).metadata()).pages, 2);
  const first = await sharp(path.join(dir, 'w80.jpg')).stats();
  assert.ok(first.channels[0]!.mean > 150, 'the light first frame, not the dark second one');
  assert.equal((await sharp(path.join(dir, 'w80.webp')).metadata()).pages ?? 1, 1);
});

test('an image with transparency falls back to PNG rather than JPEG', async () => {
  const result = await processImage(await sampleImage('png', 400, 300, { alpha: true }), freshDir());
  assert.deepEqual(result.variants.map((v) => v.file), ['w320.avif', 'w320.webp', 'w320.png', 'w400.avif', 'w400.webp', 'w400.png']);
});

test('variants are turned upright from EXIF and carry no metadata (no GPS)', async () => {
  const bytes = await sidewaysPhotoWithGps();
  const input = await sharp(bytes).metadata();
  assert.equal(input.orientation, 6);
  assert.ok(exifHasGps(input.exif), 'the sample does carry GPS');
  const dir = freshDir();
  const result = await processImage(bytes, dir);
  assert.deepEqual([result.width, result.height], [200, 300], 'reported as displayed, upright');
  for (const variant of result.variants) {
    const meta = await sharp(path.join(dir, variant.file)).metadata();
    assert.deepEqual([meta.width, meta.height], [200, 300], variant.file);
    assert.equal(meta.exif, undefined, `${variant.file} has no EXIF`);
    assert.equal(meta.xmp, undefined, `${variant.file} has no XMP`);
    assert.ok(!meta.orientation || meta.orientation === 1);
  }
});

test('a decompression bomb is refused from its header, before any decoding', async () => {
  await assert.rejects(
    processImage(pngClaiming(12_000, 9_000), freshDir()),
    rejection('invalid', 'The image is 12,000 × 9,000 pixels; the limit is 40 megapixels.'),
  );
  await assert.rejects(
    processImage(pngClaiming(20_000, 100), freshDir()),
    rejection('invalid', 'The image is 20,000 × 100 pixels; the limit is 16,000 pixels a side.'),
  );
});

test('corrupt and truncated files are refused as damaged', async () => {
  const jpeg = await sampleImage('jpeg', 640, 480);
  const damaged = /damaged or incomplete/;
  await assert.rejects(processImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), freshDir()), rejection('invalid', damaged));
  await assert.rejects(processImage(Buffer.concat([jpeg.subarray(0, 4), Buffer.alloc(500, 7)]), freshDir()), rejection('invalid', damaged));
  // A PNG signature in front of JPEG data: the decoder disagrees with the magic number.
  await assert.rejects(processImage(Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), jpeg]), freshDir()), rejection('invalid', damaged));
});

test('processing time for a 2400×1600 photo (reported, not asserted; `npm run bench -- image-upload` measures it properly)', { skip: sameOnEveryEngine('Image encoding') }, async (t) => {
  const bytes = await sampleImage('jpeg', 2400, 1600);
  for (const avif of [true, false]) {
    const started = performance.now();
    const result = await processImage(bytes, freshDir(), { avif });
    const ms = Math.round(performance.now() - started);
    t.diagnostic(`2400×1600 JPEG (${bytes.length} B) → ${result.variants.length} variants${avif ? '' : ' (no AVIF, as at upload)'} in ${ms} ms`);
    assert.equal(result.variants.length, avif ? 15 : 10);
  }
});
