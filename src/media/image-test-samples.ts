// Test images, generated with sharp at run time so no binary fixtures live in the repository.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { SourceFormat } from './image-processing.ts';

/** A picture with gradients and shapes: compresses like a photo, not like a flat colour. */
function scene(width: number, height: number, alpha: boolean): Buffer {
  const circles = Array.from({ length: 24 }, (_, i) => {
    const cx = (i * 397) % width;
    const cy = (i * 211) % height;
    const r = Math.max(4, Math.round(((40 + ((i * 37) % 160)) * width) / 2400));
    return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="hsl(${i * 47},70%,50%)" opacity="0.6"/>`;
  }).join('');
  const background = alpha ? '' : `<rect width="${width}" height="${height}" fill="url(#g)"/>`;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
      `<stop offset="0" stop-color="#1e3a8a"/><stop offset="1" stop-color="#f59e0b"/></linearGradient></defs>${background}${circles}</svg>`,
  );
}

export async function sampleImage(format: SourceFormat, width = 800, height = 600, options: { alpha?: boolean } = {}): Promise<Buffer> {
  const image = sharp(scene(width, height, options.alpha ?? false));
  switch (format) {
    case 'jpeg':
      return image.flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer();
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp().toBuffer();
    case 'avif':
      return image.avif({ effort: 0 }).toBuffer();
    case 'gif':
      return image.gif().toBuffer();
  }
}

/** A 300×200 JPEG stored sideways (EXIF orientation 6, shown 200×300) carrying GPS coordinates. */
export function sidewaysPhotoWithGps(): Promise<Buffer> {
  return sharp(scene(300, 200, false))
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Copyright: 'Test Photographer' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .toBuffer();
}

/** A PNG whose header claims `width`×`height` pixels: a decompression bomb's opening, in 60 bytes. */
export function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', header), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

export const SVG_IMAGE = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
export const HTML_PAGE = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');

/** True when an EXIF block holds a GPS section (tag 0x8825, in either byte order). */
export function exifHasGps(exif: Buffer | undefined): boolean {
  return !!exif && (exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25])));
}

/** A two-frame 80×60 GIF: a light frame, then a dark one. */
export function animatedGif(): Promise<Buffer> {
  const frame = 80 * 60 * 3;
  const raw = Buffer.concat([Buffer.alloc(frame, 220), Buffer.alloc(frame, 30)]);
  return sharp(raw, { raw: { width: 80, height: 120, channels: 3, pageHeight: 60 } }).gif().toBuffer();
}

export type MultipartPart = { name: string; value: string } | { name: string; filename: string; type: string; bytes: Buffer };

/** A multipart/form-data body as a browser sends it, parts in the order given. */
export function multipartBody(parts: MultipartPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----bulletin-test-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`));
      chunks.push(part.bytes, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
