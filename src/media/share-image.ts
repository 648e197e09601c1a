// The one plain file of a library image that programs outside the site fetch: link previews,
// feed readers, the Content API. JPEG or PNG (every reader of them decodes those), about 1200 px
// wide: a smaller file looks soft in a preview, a larger one is waste.
import { imageUrl, type PictureImage } from './image-picture.tsx';

export const SHARE_WIDTH = 1200;

export interface ShareImage {
  /** Site-relative. */
  url: string;
  alt: string;
  width?: number;
  height?: number;
  /** The file's size in bytes and its media type, when known (feeds' enclosures need both). */
  bytes?: number;
  type?: string;
}

/** The JPEG/PNG variant: the smallest at least SHARE_WIDTH wide, else the largest. */
export function shareImageOf(image: Pick<PictureImage, 'folder' | 'alt' | 'variants'>): ShareImage | undefined {
  const plain = image.variants.filter((v) => v.format === 'jpeg' || v.format === 'png').sort((a, b) => a.width - b.width);
  const chosen = plain.find((v) => v.width >= SHARE_WIDTH) ?? plain.at(-1);
  if (!chosen) return undefined;
  return { url: imageUrl(image.folder, chosen.file), alt: image.alt, width: chosen.width, height: chosen.height, bytes: chosen.bytes, type: `image/${chosen.format}` };
}
