// The reader's image: <picture> with AVIF and WebP sources and a JPEG/PNG <img> fallback, all with
// srcset/sizes so each screen downloads the smallest file that looks sharp, and width/height so
// the space is reserved before the file arrives (no layout shift).
import type { ImageRecord } from './image-repository.ts';
import type { Variant, VariantFormat } from './image-processing.ts';

export type PictureImage = Pick<ImageRecord, 'folder' | 'width' | 'height' | 'alt' | 'caption' | 'credit' | 'variants'>;

/** The story column (styles.css: --measure 42rem inside 1rem padding): the screen less the padding, at most 42rem. */
export const ARTICLE_SIZES = '(min-width: 44rem) 42rem, calc(100vw - 2rem)';

export const imageUrl = (folder: string, file: string) => `/media/images/${folder}/${file}`;

function srcset(image: PictureImage, variants: Variant[]): string {
  return variants.map((v) => `${imageUrl(image.folder, v.file)} ${v.width}w`).join(', ');
}

export function ResponsivePicture({
  image,
  sizes = ARTICLE_SIZES,
  lead = false,
  class: className,
}: {
  image: PictureImage;
  sizes?: string;
  /** The story's lead image: fetched at once, with high priority (it is usually the largest paint). */
  lead?: boolean;
  class?: string;
}) {
  const of = (format: VariantFormat) => image.variants.filter((v) => v.format === format).sort((a, b) => a.width - b.width);
  const avif = of('avif');
  const webp = of('webp');
  const fallback = of('png').length ? of('png') : of('jpeg');
  const largest = fallback.at(-1);
  if (!largest) return null;
  // Browsers without srcset get a mid-sized file rather than the largest.
  const src = fallback.find((v) => v.width >= 960) ?? largest;
  const caption = image.caption || image.credit;
  return (
    <figure class={className}>
      <picture>
        {avif.length > 0 && <source type="image/avif" srcset={srcset(image, avif)} sizes={sizes} />}
        {webp.length > 0 && <source type="image/webp" srcset={srcset(image, webp)} sizes={sizes} />}
        <img
          src={imageUrl(image.folder, src.file)}
          srcset={srcset(image, fallback)}
          sizes={sizes}
          width={largest.width}
          height={largest.height}
          alt={image.alt}
          decoding="async"
          loading={lead ? 'eager' : 'lazy'}
          {...(lead && { fetchpriority: 'high' as const })}
        />
      </picture>
      {caption && (
        <figcaption>
          {image.caption}
          {image.caption && image.credit && ' '}
          {image.credit && <span class="credit">{image.credit}</span>}
        </figcaption>
      )}
    </figure>
  );
}
