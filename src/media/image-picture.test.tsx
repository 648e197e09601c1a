import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'preact-render-to-string';
import { ResponsivePicture, type PictureImage } from './image-picture.tsx';
import type { Variant } from './image-processing.ts';

const variants = (fallback: 'jpeg' | 'png'): Variant[] =>
  [320, 640, 960, 1280].flatMap((width) =>
    (['avif', 'webp', fallback] as const).map((format) => ({
      format,
      width,
      height: Math.round((width * 2) / 3),
      file: `w${width}.${format === 'jpeg' ? 'jpg' : format}`,
      bytes: 1000,
    })),
  );

const image: PictureImage = {
  folder: '12-0123456789abcdef',
  width: 1280,
  height: 853,
  alt: 'Workers bolt a "steel" gate <to> the barrier',
  caption: 'The east gate.',
  credit: 'Ada Reporter',
  variants: variants('jpeg'),
};
const base = '/media/images/12-0123456789abcdef';
const sizes = '(min-width: 44rem) 42rem, calc(100vw - 2rem)';

test('a <picture> with AVIF and WebP sources and a sized, described <img> fallback', () => {
  const html = render(<ResponsivePicture image={image} />);
  const set = (ext: string) => [320, 640, 960, 1280].map((w) => `${base}/w${w}.${ext} ${w}w`).join(', ');
  assert.ok(html.includes(`<source type="image/avif" srcset="${set('avif')}" sizes="${sizes}"/>`), html);
  assert.ok(html.includes(`<source type="image/webp" srcset="${set('webp')}" sizes="${sizes}"/>`), html);
  const img = /<img [\s\S]*?\/>/.exec(html)![0];
  assert.ok(img.includes(`src="${base}/w960.jpg"`), img);
  assert.ok(img.includes(`srcset="${set('jpg')}"`), img);
  assert.ok(img.includes(`sizes="${sizes}"`));
  assert.ok(img.includes('width="1280" height="853"'), img);
  assert.ok(img.includes('alt="Workers bolt a &quot;steel&quot; gate &lt;to> the barrier"'), img);
  assert.ok(img.includes('loading="lazy"'));
  assert.ok(!img.includes('fetchpriority'));
  assert.ok(html.indexOf('<source type="image/avif"') < html.indexOf('<source type="image/webp"'), 'AVIF is preferred');
  assert.ok(html.includes('<figcaption>The east gate. <span class="credit">Ada Reporter</span></figcaption>'), html);
});

test('the lead image loads at once with high priority; other images wait (lazy)', () => {
  const img = /<img [\s\S]*?\/>/.exec(render(<ResponsivePicture image={image} lead class="lead-image" sizes="100vw" />))![0];
  assert.ok(img.includes('loading="eager"') && img.includes('fetchpriority="high"'), img);
  assert.ok(img.includes('sizes="100vw"'));
});

test('transparent images fall back to PNG; no caption or credit means no figcaption; an empty alt stays present', () => {
  const html = render(<ResponsivePicture image={{ ...image, alt: '', caption: '', credit: '', variants: variants('png') }} />);
  assert.match(html, /<img [^>]*src="\/media\/images\/12-0123456789abcdef\/w960\.png"/);
  assert.match(html, /<img [^>]* alt( |="")/, 'an empty alt (a decorative image) is kept: a bare alt means alt=""');
  assert.ok(!html.includes('figcaption'));
  const creditOnly = render(<ResponsivePicture image={{ ...image, caption: '', credit: 'Wire photo' }} />);
  assert.ok(creditOnly.includes('<figcaption><span class="credit">Wire photo</span></figcaption>'), creditOnly);
});

test('the width and height come from the largest fallback file (its aspect ratio reserves the space)', () => {
  const small: PictureImage = { ...image, width: 500, height: 250, variants: variants('jpeg').filter((v) => v.width <= 320) };
  const img = /<img [\s\S]*?\/>/.exec(render(<ResponsivePicture image={small} />))![0];
  assert.ok(img.includes('src="/media/images/12-0123456789abcdef/w320.jpg"'), 'with no 960 file, the largest there is');
  assert.ok(img.includes('width="320" height="213"'), img);
});

test('before the AVIF job has run (no AVIF variants): no AVIF <source>, the WebP source and <img> as usual', () => {
  const html = render(<ResponsivePicture image={{ ...image, variants: variants('jpeg').filter((v) => v.format !== 'avif') }} />);
  assert.ok(!html.includes('image/avif') && !html.includes('.avif'), html);
  const set = (ext: string) => [320, 640, 960, 1280].map((w) => `${base}/w${w}.${ext} ${w}w`).join(', ');
  assert.ok(html.includes(`<picture><source type="image/webp" srcset="${set('webp')}" sizes="${sizes}"/><img `), html);
  assert.ok(html.includes(`src="${base}/w960.jpg" srcset="${set('jpg')}"`), html);
});
