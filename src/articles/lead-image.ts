// A story's lead image, when it comes from the media library: it must exist, and a story may only
// be published or scheduled once the image has alt text. The stored url/alt/caption/credit are a
// snapshot for feeds and link previews; the page renders the library's current record.
import type { FieldError } from '../platform/errors.ts';
import type { LeadImage } from './model.ts';

/** What the articles feature needs of the media library (src/media/image-service.ts). */
export interface LibraryImages {
  find(id: number): Promise<{ folder: string; alt: string; caption: string; credit: string; variants: { file: string; width: number; format: string }[] } | undefined>;
  requireAlt(id: number): Promise<string | null>;
}

export async function resolveLeadImage(
  leadImage: LeadImage | null,
  images: LibraryImages | undefined,
  goingPublic: boolean,
  errors: FieldError[],
): Promise<LeadImage | null> {
  if (!leadImage?.imageId) return leadImage;
  if (!Number.isInteger(leadImage.imageId) || leadImage.imageId < 1 || !images) {
    errors.push({ field: 'leadImage', message: 'The lead image must be an image from the media library.' });
    return leadImage;
  }
  const image = await images.find(leadImage.imageId);
  if (!image) {
    errors.push({ field: 'leadImage', message: 'The lead image does not exist (it may have been deleted); choose another.' });
    return leadImage;
  }
  if (goingPublic) {
    const problem = await images.requireAlt(leadImage.imageId);
    if (problem) errors.push({ field: 'leadImage', message: problem });
  }
  const largest = image.variants.filter((v) => v.format === 'jpeg' || v.format === 'png').sort((a, b) => b.width - a.width)[0];
  return {
    imageId: leadImage.imageId,
    url: largest ? `/media/images/${image.folder}/${largest.file}` : leadImage.url,
    alt: image.alt,
    caption: image.caption,
    credit: image.credit,
  };
}
