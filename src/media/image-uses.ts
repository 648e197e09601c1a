// Where an image shows to readers, as the features that show it know: stories (lead, social card,
// body) and author photos in articles, the logo in settings. Media asks them through sources they
// register, because media sits below them and cannot read their tables.
import type { Db } from '../platform/db.ts';
import { AppError, invalidInput } from '../platform/errors.ts';
import { allows, type Actor } from '../newsroom/permissions.ts';
import type { ImageMeta } from './image-repository.ts';

/** The places an image shows, in words for the person editing it: "the lead image of “Tide” (published)". */
export type ImageUseSource = (imageId: number) => Promise<string[]>;

/** Who changes an image's text: a staff member or token, or a trusted script (seed, import, tests). */
export type ImageEditor = Actor | 'cli';

/** Writes the audit entry of a change to an image's text, in the change's own transaction. */
export type ImageJournal = (
  trx: Db,
  entry: { actor: ImageEditor; action: string; target: string; detail: Record<string, unknown> },
) => Promise<void>;

/**
 * The rule for an image readers see: only someone who may publish changes its text (what readers
 * read is an editor's call, as for the story itself), and its alt text is never emptied (the page
 * would lose it, and "alt text before publishing" would be undone after the fact).
 */
export function checkTextChangeOfShownImage(meta: ImageMeta, uses: string[], by: ImageEditor): void {
  if (uses.length === 0) return;
  const where = describeUses(uses);
  if (by !== 'cli' && !allows(by, 'canPublish')) {
    throw new AppError(
      'forbidden',
      `This image is shown to readers (${where}); changing its alt text, caption or credit needs an editor. Ask one, or upload a new image for your story.`,
    );
  }
  if (!meta.alt) {
    throw invalidInput([{ field: 'alt', message: `Alt text cannot be emptied while the image is shown to readers (${where}); describe what it shows.` }]);
  }
}

function describeUses(uses: string[]): string {
  return uses.length > 3 ? `${uses.slice(0, 3).join('; ')}; and ${uses.length - 3} more` : uses.join('; ');
}
