// Where the alerts sign-up box goes inside a story. A pure rule over the body's block types and the
// ad slots' positions, so the same story always gets the same page (which keeps it cacheable).
// The seed page puts it mid-story, between two paragraphs; never beside an ad slot, a heading, a
// picture or a video, where it would read as part of them.

/** Fewer paragraphs than this and the story is too short to interrupt: the box follows the body. */
export const MIN_PARAGRAPHS_FOR_INSIDE = 4;

export type BoxPlace = { inside: number } | 'after-body';

/**
 * The index of the block the box follows (`inside`), chosen nearest the middle of the story's
 * paragraphs among the gaps between two paragraphs that no ad slot takes; `'after-body'` when the
 * story is short or has no such gap.
 */
export function placeSignupBox(blocks: readonly { type: string }[], adSlotsAfter: ReadonlySet<number>): BoxPlace {
  const paragraphs = blocks.filter((b) => b.type === 'paragraph').length;
  if (paragraphs < MIN_PARAGRAPHS_FOR_INSIDE) return 'after-body';
  const middle = paragraphs / 2;
  let best: { index: number; distance: number } | undefined;
  let seen = 0;
  for (let i = 0; i < blocks.length - 1; i++) {
    if (blocks[i]!.type !== 'paragraph') continue;
    seen++;
    if (blocks[i + 1]!.type !== 'paragraph' || adSlotsAfter.has(i)) continue;
    const distance = Math.abs(seen - middle);
    // Ties go to the earlier gap: more readers reach it.
    if (!best || distance < best.distance) best = { index: i, distance };
  }
  return best ? { inside: best.index } : 'after-body';
}
