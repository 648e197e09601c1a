// What search results and link previews show of a story: its own title and description (empty
// means the headline and dek are used), and a library image for previews in place of the lead
// image. The social image follows the lead image's rules: it must exist, and a story goes public
// only once the image has alt text (previews show it to people who may not see it).
import type { FieldError } from '../platform/errors.ts';
import type { LibraryImages } from './lead-image.ts';
import type { Article, ArticleInput } from './model.ts';

export const SEO_LIMITS = { title: 110, description: 300 };

export interface SeoFields {
  seoTitle: string;
  seoDescription: string;
  socialImageId: number | null;
}

/** The checked SEO fields of a save; fields the input leaves out keep the story's values. */
export async function checkSeoFields(
  input: Pick<ArticleInput, 'seoTitle' | 'seoDescription' | 'socialImageId'>,
  existing: Article | undefined,
  images: LibraryImages | undefined,
  goingPublic: boolean,
  errors: FieldError[],
): Promise<SeoFields> {
  const seoTitle = oneLine(input.seoTitle ?? existing?.seoTitle);
  if (seoTitle.length > SEO_LIMITS.title) {
    errors.push({ field: 'seoTitle', message: `The search title is ${seoTitle.length} characters; the limit is ${SEO_LIMITS.title}.` });
  }
  const seoDescription = oneLine(input.seoDescription ?? existing?.seoDescription);
  if (seoDescription.length > SEO_LIMITS.description) {
    errors.push({
      field: 'seoDescription',
      message: `The search description is ${seoDescription.length} characters; the limit is ${SEO_LIMITS.description}.`,
    });
  }
  const socialImageId = input.socialImageId === undefined ? (existing?.socialImageId ?? null) : input.socialImageId;
  if (socialImageId !== null) await checkSocialImage(socialImageId, images, goingPublic, errors);
  return { seoTitle, seoDescription, socialImageId };
}

async function checkSocialImage(id: number, images: LibraryImages | undefined, goingPublic: boolean, errors: FieldError[]): Promise<void> {
  if (!Number.isInteger(id) || id < 1 || !images) {
    errors.push({ field: 'socialImage', message: 'The social image must be an image from the media library.' });
    return;
  }
  if (!(await images.find(id))) {
    errors.push({ field: 'socialImage', message: 'The social image does not exist (it may have been deleted); choose another.' });
    return;
  }
  if (goingPublic) {
    const problem = await images.requireAlt(id);
    if (problem) errors.push({ field: 'socialImage', message: `Social image: ${problem}` });
  }
}

function oneLine(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}
