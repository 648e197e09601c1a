// An in-article ad slot: labelled, with its height reserved so nothing below it moves.
import type { Creative } from './repository.ts';

export function AdSlot({ creative }: { creative: Creative }) {
  return (
    <aside class="ad-slot" aria-label="Advertisement">
      <p class="ad-label">Story continues below advertisement</p>
      <a class="ad-creative" href={creative.linkUrl}>
        {creative.sponsor && <span class="ad-sponsor">{creative.sponsor}</span>}
        <strong class="ad-headline">{creative.headline}</strong>
        {creative.body && <span class="ad-body">{creative.body}</span>}
      </a>
    </aside>
  );
}
