// A library image as the newsroom's browser code sees it (the editor's image picker, the media
// library screen's uploads): enough to show, choose and describe it. Shared by server and client,
// so this file imports types only.
import type { ImageRecord } from '../../media/image-repository.ts';

export interface PickerImage {
  id: number;
  filename: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
  /** URL of the smallest WebP (else JPEG/PNG) variant. */
  thumbnail: string;
  createdAt: string;
}

export function toPickerImage(image: ImageRecord): PickerImage {
  const small = (format: string) => image.variants.filter((v) => v.format === format).sort((a, b) => a.width - b.width)[0];
  const thumb = small('webp') ?? small('jpeg') ?? small('png');
  return {
    id: image.id,
    filename: image.filename,
    width: image.width,
    height: image.height,
    alt: image.alt,
    caption: image.caption,
    credit: image.credit,
    thumbnail: thumb ? `/media/images/${image.folder}/${thumb.file}` : '',
    createdAt: image.createdAt,
  };
}
