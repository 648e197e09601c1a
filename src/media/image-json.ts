// Images as JSON: the newsroom's list item (PickerImage, for the library island and the editor's
// picker) and the admin API's fuller record with absolute URLs.
import type { PickerImage } from './newsroom/picker-image.ts';
import { imageUrl } from './image-picture.tsx';
import type { Variant } from './image-processing.ts';
import type { ImageRecord } from './image-repository.ts';

/**
 * The variant a list shows: the smallest WebP (every browser the newsroom supports shows WebP),
 * else the smallest JPEG or PNG. Undefined only for a record without variants.
 */
export function thumbnailVariant(variants: Variant[]): Variant | undefined {
  const smallest = (formats: string[]) => variants.filter((v) => formats.includes(v.format)).sort((a, b) => a.width - b.width)[0];
  return smallest(['webp']) ?? smallest(['jpeg', 'png']);
}

export function thumbnailUrl(image: Pick<ImageRecord, 'folder' | 'variants'>): string {
  const variant = thumbnailVariant(image.variants);
  return variant ? imageUrl(image.folder, variant.file) : '';
}

export function toPickerImage(image: ImageRecord): PickerImage {
  return {
    id: image.id,
    filename: image.filename,
    width: image.width,
    height: image.height,
    alt: image.alt,
    caption: image.caption,
    credit: image.credit,
    thumbnail: thumbnailUrl(image),
    createdAt: image.createdAt,
  };
}

/** The admin API's image: the list fields with absolute URLs, plus type, size and every variant. */
export function toAdminImage(image: ImageRecord, siteUrl: string) {
  return {
    ...toPickerImage(image),
    thumbnail: siteUrl + thumbnailUrl(image),
    mime: image.mime,
    bytes: image.bytes,
    variants: image.variants.map((v) => ({ format: v.format, width: v.width, height: v.height, bytes: v.bytes, url: siteUrl + imageUrl(image.folder, v.file) })),
  };
}
