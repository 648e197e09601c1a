// An in-article ad slot: labelled, with its height reserved so nothing below it moves.
import type { Creative } from './ad-repository.ts';

/** `position` (1, 2, …) tells the slots apart for screen readers, which list landmarks by name. */
export function AdSlot({ creative, position }: { creative: Creative; position: number }) {
  return (
    <aside class="ad-slot" aria-label={`Advertisement ${position}`}>
      <p class="ad-label">Story continues below advertisement</p>
      <a class="ad-creative" href={creative.linkUrl}>
        {creative.sponsor && <span class="ad-sponsor">{creative.sponsor}</span>}
        <strong class="ad-headline">{creative.headline}</strong>
        {creative.body && <span class="ad-body">{creative.body}</span>}
      </a>
    </aside>
  );
}
