// How text becomes search terms, the one tokenizer both engines index and query with. Folding and
// splitting happen here, in JavaScript, and the engines receive ready-made terms (SQLite FTS5 with
// its "ascii" tokenizer, which leaves non-ASCII letters alone; PostgreSQL a tsvector literal that
// skips its parser): so the same text yields the same terms, and the same query the same matches,
// on both.

/** Letters whose decomposition keeps no base letter ("ß" has none, "ø" is not a composed "o"). */
const SPECIAL_FOLDS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
};
const SPECIAL = new RegExp(`[${Object.keys(SPECIAL_FOLDS).join('')}]`, 'g');
const TOKEN = /[\p{L}\p{N}]+/gu;

/** A word longer than this is noise (a URL, a hash): it is cut, the same way when indexing and searching. */
export const MAX_TERM_LENGTH = 40;
/**
 * Words of a story's body indexed, at most. PostgreSQL keeps word positions up to 16,383; cutting
 * both engines at the same point keeps phrase matches the same. (Well beyond a long feature.)
 */
export const MAX_BODY_TERMS = 16000;

/** Lower case, accents and other marks removed: "Québec" → "quebec", "Straße" → "strasse". */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(SPECIAL, (c) => SPECIAL_FOLDS[c]!);
}

/** The folded words of a text, in order (punctuation, spaces and symbols separate them). */
export function terms(text: string, max = Infinity): string[] {
  const out: string[] = [];
  for (const match of fold(text).matchAll(TOKEN)) {
    out.push(match[0].slice(0, MAX_TERM_LENGTH));
    if (out.length >= max) break;
  }
  return out;
}

/** A story as the index holds it: each field's words, in order. */
export interface IndexedText {
  headline: string[];
  dek: string[];
  body: string[];
}

export function indexedText(fields: { headline: string; dek: string; body: string }): IndexedText {
  return { headline: terms(fields.headline), dek: terms(fields.dek), body: terms(fields.body, MAX_BODY_TERMS) };
}

/** Every distinct word a story holds (its contribution to the index's vocabulary). */
export function vocabularyOf(text: IndexedText): Set<string> {
  return new Set([...text.headline, ...text.dek, ...text.body]);
}

/**
 * The same words as a PostgreSQL tsvector literal: positions run on across the fields with a gap,
 * so a phrase never spans headline and dek (as FTS5 keeps columns apart), and carry weights
 * (headline A, dek B, body D) for ranking.
 */
export function tsvectorLiteral(text: IndexedText): string {
  const positions = new Map<string, string[]>();
  let position = 1;
  const add = (words: string[], weight: string) => {
    for (const word of words) {
      let list = positions.get(word);
      if (!list) positions.set(word, (list = []));
      // PostgreSQL keeps 256 positions per word; more would only be dropped with a notice.
      if (list.length < 256) list.push(`${Math.min(position, 16383)}${weight}`);
      position++;
    }
    position += 2;
  };
  add(text.headline, 'A');
  add(text.dek, 'B');
  add(text.body, '');
  return [...positions].map(([word, list]) => `${quoteLexeme(word)}:${list.join(',')}`).join(' ');
}

/** Words are letters and digits only, but quote them as the literal syntax wants all the same. */
function quoteLexeme(word: string): string {
  return `'${word.replace(/['\\]/g, (c) => `\\${c}`)}'`;
}
