// Where in-article ad slots go. A pure rule over the body's block types, so it is easy to test
// and the same story always gets the same slots (which keeps the page cacheable).

export interface PlacementRule {
  /** The first slot follows this many paragraphs. */
  firstAfter: number;
  /** Later slots follow this many more paragraphs each. */
  every: number;
  maxSlots: number;
}

export const DEFAULT_PLACEMENT: PlacementRule = { firstAfter: 3, every: 4, maxSlots: 8 };

/**
 * Returns the indexes of the blocks after which a slot goes. A slot only ever sits between two
 * paragraphs: never beside a heading or a video, never after the last paragraph. When the wanted
 * spot is not between two paragraphs, the slot moves down to the next spot that is.
 */
export function placeAdSlots(blocks: readonly { type: string }[], rule: PlacementRule = DEFAULT_PLACEMENT): number[] {
  const slots: number[] = [];
  let paragraphsSinceSlot = 0;
  let wanted = rule.firstAfter;
  for (let i = 0; i < blocks.length && slots.length < rule.maxSlots; i++) {
    if (blocks[i]!.type !== 'paragraph') continue;
    paragraphsSinceSlot++;
    if (paragraphsSinceSlot >= wanted && blocks[i + 1]?.type === 'paragraph') {
      slots.push(i);
      paragraphsSinceSlot = 0;
      wanted = rule.every;
    }
  }
  return slots;
}
