// Highlighted snippets, cut from a story's own text (not the index's folded copy), so readers see
// their words in the story's spelling, accents and case, with the words that matched marked.
import { matchesWord, type ParsedQuery } from './search-query.ts';
import { terms } from './search-text.ts';

/** A run of text; `mark` when it is a word the query matched. */
export interface Segment {
  text: string;
  mark: boolean;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const SNIPPET_WORDS = 32;
/** Words shown before the first match, so the match reads in its sentence. */
const LEAD_IN = 8;

/** The whole text, its matching words marked. */
export function highlight(text: string, query: ParsedQuery): Segment[] {
  return segments(text, 0, text.length, query);
}

/**
 * About 32 words of `text` around its first match (the start when nothing matches), with an
 * ellipsis where text was cut.
 */
export function snippet(text: string, query: ParsedQuery): Segment[] {
  const words = [...text.matchAll(WORD)];
  if (words.length === 0) return [];
  const first = words.findIndex((w) => isMatch(w[0], query));
  const startWord = first <= LEAD_IN ? 0 : first - LEAD_IN;
  const endWord = Math.min(words.length, startWord + SNIPPET_WORDS);
  const start = startWord === 0 ? 0 : words[startWord]!.index;
  const end = endWord === words.length ? text.length : words[endWord - 1]!.index + words[endWord - 1]![0].length;
  const out = segments(text, start, end, query);
  if (start > 0) out.unshift({ text: '… ', mark: false });
  if (end < text.length) out.push({ text: ' …', mark: false });
  return out;
}

function isMatch(original: string, query: ParsedQuery): boolean {
  return terms(original).some((word) => matchesWord(query, word));
}

function segments(text: string, start: number, end: number, query: ParsedQuery): Segment[] {
  const out: Segment[] = [];
  let at = start;
  const push = (piece: string, mark: boolean) => {
    if (!piece) return;
    const last = out[out.length - 1];
    if (last && last.mark === mark && !mark) last.text += piece;
    else out.push({ text: piece, mark });
  };
  for (const word of text.slice(start, end).matchAll(WORD)) {
    const wordStart = start + word.index;
    push(text.slice(at, wordStart), false);
    push(word[0], isMatch(word[0], query));
    at = wordStart + word[0].length;
  }
  push(text.slice(at, end), false);
  return out;
}
