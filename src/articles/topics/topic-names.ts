// How topic names compare: one key for the spellings of one name, so "Zelensky", "Zelenskyy" and
// "ZELENSKIY" are one topic, "Québec" and "Quebec" one, and "Russia’s" is Russia. Pure.
import { fold } from '../../search/search-text.ts';

/**
 * Letters and digits only, folded, doubled letters single, "iy"/"yi"/"ij" endings as "y", a plural
 * "s" off long words: the name's spelling-free key ("Tomahawks" and "Tomahawk" are one).
 */
export function nameKey(name: string): string {
  return fold(stripPossessive(name))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .map((word) => word.replace(/(\p{L})\1+/gu, '$1').replace(/(iy|yi|ij)$/u, 'y').replace(/(?<=\p{L}{4}[^s])s$/u, ''))
    .join(' ');
}

/** "Russia’s" → "Russia", "Jones'" → "Jones". */
export function stripPossessive(name: string): string {
  return name.replace(/['’]s?$/u, '').trim();
}

/** Edit distance, stopped early past `max` (names of a few dozen letters). */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return false;
    previous = row;
  }
  return previous[b.length]! <= max;
}

/** Whether two keys name the same thing: equal, or one letter apart in a long single name. */
export function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  return a.length >= 7 && b.length >= 7 && a[0] === b[0] && withinEdits(a, b, 1);
}
