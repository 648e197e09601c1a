// Turns uploaded bytes into a checked image and its responsive variants. The bytes alone decide
// what a file is (magic numbers, then the decoder's own reading): never its name or declared type.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { AppError } from '../platform/errors.ts';

export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';
export type VariantFormat = 'avif' | 'webp' | 'jpeg' | 'png';

export interface Variant {
  format: VariantFormat;
  width: number;
  height: number;
  /** File name inside the image's folder, e.g. "w640.avif". */
  file: string;
  bytes: number;
}

export interface ProcessedImage {
  format: SourceFormat;
  mime: string;
  /** Dimensions as displayed, after EXIF orientation. */
  width: number;
  height: number;
  /** The upload itself, kept unchanged (with its metadata) and never served. */
  originalFile: string;
  variants: Variant[];
}

export const IMAGE_LIMITS = {
  /** Decompression-bomb guard: a small file can claim a vast canvas. */
  maxPixels: 40_000_000,
  /** WebP cannot encode past 16,383 px a side; stay clear of it. */
  maxSide: 16_000,
  widths: [320, 640, 960, 1280, 1920],
};

export const ACCEPTED_TYPES = 'a JPEG, PNG, WebP, AVIF or GIF';

export const MIME: Record<SourceFormat | VariantFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};

export const EXTENSION: Record<SourceFormat | VariantFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif' };

/**
 * Why an upload was refused; the reason picks the HTTP status (415 not an image we take,
 * 413 too big a file, 400 damaged or too many pixels).
 */
export class ImageRejected extends AppError {
  constructor(
    readonly reason: 'unsupported' | 'too_large' | 'invalid',
    message: string,
  ) {
    super('invalid_input', message, [{ field: 'file', message }]);
  }
}

const unsupported = (what: string) => new ImageRejected('unsupported', `This file is ${what}; upload ${ACCEPTED_TYPES}.`);
const damaged = () =>
  new ImageRejected('invalid', 'This image file is damaged or incomplete; export it again and upload the new file.');

/** The format the bytes really are, or a refusal naming what they look like instead. */
export function sniffFormat(bytes: Buffer): SourceFormat {
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp') {
    // ISO media: the major brand plus compatible brands say AVIF, HEIC or video.
    const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length, 256);
    const brands = new Set<string>([ascii(8, 12)]);
    for (let at = 16; at + 4 <= boxSize; at += 4) brands.add(ascii(at, at + 4));
    if (brands.has('avif') || brands.has('avis')) return 'avif';
    if (['heic', 'heix', 'mif1', 'msf1'].some((b) => brands.has(b))) throw unsupported('a HEIC photo (the iPhone format)');
    throw unsupported('a video or other media file');
  }
  const head = ascii(0, 1024).replace(/^\ufeff|^\xef\xbb\xbf/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')) || /^<!doctype svg/.test(head)) {
    throw unsupported('an SVG');
  }
  if (/^<(!doctype html|html|head|body|script|!--)/.test(head)) throw unsupported('an HTML page');
  if (head.startsWith('%pdf')) throw unsupported('a PDF');
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') throw unsupported('a TIFF image');
  if (ascii(0, 2) === 'BM') throw unsupported('a BMP image');
  throw new ImageRejected('unsupported', `This file is not an image we can use; upload ${ACCEPTED_TYPES}.`);
}

const number = (n: number) => n.toLocaleString('en-US');

/** Checks the header (cheap: nothing is decoded yet) and returns the displayed size. */
async function inspect(bytes: Buffer, format: SourceFormat): Promise<{ width: number; height: number; transparent: boolean }> {
  let meta: Metadata;
  try {
    // No pixel limit here: only the header is read, and the limit is checked below with a clear message.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw damaged();
  }
  const decoded = meta.format === 'heif' ? (meta.compression === 'av1' ? 'avif' : 'heic') : meta.format;
  if (decoded !== format || !meta.width || !meta.height) throw damaged();
  const { width, height } = meta;
  if (width * height > IMAGE_LIMITS.maxPixels) {
    throw new ImageRejected(
      'invalid',
      `The image is ${number(width)} × ${number(height)} pixels; the limit is ${IMAGE_LIMITS.maxPixels / 1_000_000} megapixels.`,
    );
  }
  if (Math.max(width, height) > IMAGE_LIMITS.maxSide) {
    throw new ImageRejected('invalid', `The image is ${number(width)} × ${number(height)} pixels; the limit is ${number(IMAGE_LIMITS.maxSide)} pixels a side.`);
  }
  // An alpha channel is often present but fully opaque (exports, screenshots): only real
  // transparency needs a PNG fallback, which is several times the size of a JPEG.
  let transparent = false;
  if (meta.hasAlpha) {
    try {
      transparent = !(await sharp(bytes, { limitInputPixels: IMAGE_LIMITS.maxPixels, failOn: 'warning', pages: 1 }).stats()).isOpaque;
    } catch {
      throw damaged();
    }
  }
  // EXIF orientations 5–8 turn the picture a quarter: readers see it the other way round.
  const turned = (meta.orientation ?? 1) >= 5;
  return { width: turned ? height : width, height: turned ? width : height, transparent };
}

/** Widths to make: the standard steps below the image's own width, then the image's width capped at the largest step. */
export function variantWidths(width: number): number[] {
  const top = Math.min(width, IMAGE_LIMITS.widths.at(-1)!);
  return [...IMAGE_LIMITS.widths.filter((w) => w < top), top];
}

function encode(pipeline: Sharp, format: VariantFormat): Sharp {
  switch (format) {
    // Effort 2: AVIF at the default effort 4 took ~7× longer here for files a few percent smaller.
    case 'avif':
      return pipeline.avif({ quality: 50, effort: 2 });
    case 'webp':
      return pipeline.webp({ quality: 75 });
    case 'jpeg':
      return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true });
    case 'png':
      return pipeline.png({ compressionLevel: 9 });
  }
}

/** The file name of a variant inside the image's folder, e.g. "w640.avif". */
export const variantFile = (width: number, format: VariantFormat) => `w${width}.${EXTENSION[format]}`;

/** The file name of the kept upload for an image of this MIME type, e.g. "original.jpg". */
export function originalFileFor(mime: string): string {
  const format = (Object.keys(MIME) as SourceFormat[]).find((f) => MIME[f] === mime);
  if (!format) throw new Error(`not an image type we store: ${mime}`);
  return `original.${EXTENSION[format]}`;
}

/** Orders variants as readers' browsers prefer them: by width, then AVIF, WebP, JPEG, PNG. */
export function sortVariants(variants: Variant[]): Variant[] {
  const rank: Record<VariantFormat, number> = { avif: 0, webp: 1, jpeg: 2, png: 3 };
  return [...variants].sort((a, b) => a.width - b.width || rank[a.format] - rank[b.format]);
}

/**
 * Decodes `bytes` and writes one variant, oriented from EXIF and resized to `width`, to `target`.
 * `file` is the name the variant is published under (the target may be a temporary name).
 */
export async function writeVariant(bytes: Buffer, width: number, format: VariantFormat, target: string, file = path.basename(target)): Promise<Variant> {
  // failOn 'warning' refuses truncated data that a decoder would otherwise pad with grey.
  const pipeline = sharp(bytes, { limitInputPixels: IMAGE_LIMITS.maxPixels, failOn: 'warning', pages: 1 })
    .autoOrient()
    .resize({ width, withoutEnlargement: true });
  let info: OutputInfo;
  try {
    info = await encode(pipeline, format).toFile(target);
  } catch (error) {
    // A file-system error (disk full) is ours to report; anything else is the decoder refusing the data.
    if ((error as NodeJS.ErrnoException).code) throw error;
    throw damaged();
  }
  return { format, width: info.width, height: info.height, file, bytes: info.size };
}

/** The variant these bytes are, when they are a whole `format` file `width` pixels wide; else null. */
export async function finishedVariant(bytes: Buffer, format: VariantFormat, width: number, file: string): Promise<Variant | null> {
  const meta = await sharp(bytes).metadata().catch(() => null);
  const decoded = meta?.format === 'heif' ? 'avif' : meta?.format;
  if (!meta || decoded !== format || meta.width !== width || !meta.height) return null;
  return { format, width, height: meta.height, file, bytes: bytes.length };
}

/**
 * Checks `bytes` and writes the original and its variants into `dir` (a fresh folder the caller
 * discards on failure). Variants are oriented from EXIF and carry no metadata (no GPS, no camera
 * serial): sharp drops it unless asked to keep it.
 *
 * `avif: false` leaves out the AVIF variants, by far the slowest to encode (about three quarters
 * of the time for a photo): uploads make them afterwards, in a background job (image-avif-job.ts).
 */
export async function processImage(bytes: Buffer, dir: string, options: { avif?: boolean } = {}): Promise<ProcessedImage> {
  const format = sniffFormat(bytes);
  const { width, height, transparent } = await inspect(bytes, format);
  const fallback: VariantFormat = transparent ? 'png' : 'jpeg';
  const originalFile = `original.${EXTENSION[format]}`;
  await writeFile(path.join(dir, originalFile), bytes);

  const formats: VariantFormat[] = options.avif === false ? ['webp', fallback] : ['avif', 'webp', fallback];
  const variants: Variant[] = [];
  // One encode at a time: libvips already uses every core for each, and memory stays bounded.
  for (const w of variantWidths(width)) {
    for (const variantFormat of formats) variants.push(await writeVariant(bytes, w, variantFormat, path.join(dir, variantFile(w, variantFormat))));
  }
  return { format, mime: MIME[format], width, height, originalFile, variants };
}
