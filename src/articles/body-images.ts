// The pictures inside a story's body: each must be a media-library image that exists, and, like the
// lead image, have alt text before the story may be published or scheduled.
import type { FieldError } from '../platform/errors.ts';
import { bodyImageIds, type BodyDoc } from './body.ts';
import type { LibraryImages } from './lead-image.ts';

/** The most images one body may hold: each costs a look-up on every save and render. */
export const MAX_BODY_IMAGES = 100;

export async function checkBodyImages(doc: BodyDoc, images: LibraryImages | undefined, goingPublic: boolean, errors: FieldError[]): Promise<void> {
  const ids = bodyImageIds(doc);
  if (ids.length === 0) return;
  if (ids.length > MAX_BODY_IMAGES) {
    errors.push({ field: 'body', message: `The body shows ${ids.length} different images; the limit is ${MAX_BODY_IMAGES}.` });
    return;
  }
  if (!images) {
    errors.push({ field: 'body', message: 'Images in the body must come from the media library.' });
    return;
  }
  for (const id of ids) {
    const image = await images.find(id);
    if (!image) {
      errors.push({ field: 'body', message: `The body shows image ${id}, which is not in the media library (it may have been deleted); remove it or choose another.` });
    } else if (goingPublic) {
      const problem = await images.requireAlt(id);
      if (problem) errors.push({ field: 'body', message: problem });
    }
  }
}
