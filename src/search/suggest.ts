// "Did you mean": the closest words of the index's own vocabulary to a word that found little, one
// edit away for short words and two for long ones (a swap of two neighbours counts as one edit).
// Pure, so it is tested on its own; the candidates come from the repository.

/** Words up to this length are allowed one edit; longer ones two. */
const SHORT_WORD = 5;

export function allowedEdits(word: string): number {
  return [...word].length <= SHORT_WORD ? 1 : 2;
}

/**
 * Edit distance (insert, delete, substitute, swap neighbours), or `limit + 1` as soon as it is
 * certain to exceed `limit` (most candidates are far off, so stop early).
 */
export function editDistance(a: string, b: string, limit: number): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, beforePrevious[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    beforePrevious = previous;
    previous = row;
  }
  return previous[t.length]!;
}

/** The best replacement for `word` among `candidates` (nearest, then most common), if any is close enough. */
export function closestWord(word: string, candidates: readonly { term: string; documents: number }[]): string | undefined {
  const limit = allowedEdits(word);
  let best: { term: string; distance: number; documents: number } | undefined;
  for (const candidate of candidates) {
    if (candidate.term === word || candidate.documents <= 0) continue;
    const distance = editDistance(word, candidate.term, limit);
    if (distance > limit) continue;
    if (!best || distance < best.distance || (distance === best.distance && candidate.documents > best.documents)) {
      best = { term: candidate.term, distance, documents: candidate.documents };
    }
  }
  return best?.term;
}
