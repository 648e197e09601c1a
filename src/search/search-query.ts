// What a reader typed, as a query both engines run the same way. Any text is acceptable: FTS syntax
// (`OR AND NOT * ( " :`), punctuation and symbols are only separators here, so nothing a reader
// types reaches an engine's query parser as syntax. Words are all required; "double quotes" ask for
// a phrase; the last bare word also matches as a prefix ("zelen" finds "Zelenskyy"), since readers
// often stop typing mid-word.
import { terms } from './search-text.ts';

/** Longer queries get a 400 page saying so (a search box is not a place for a pasted article). */
export const MAX_QUERY_LENGTH = 200;
/** Words used, at most: past this a query narrows nothing and only costs. */
export const MAX_QUERY_TERMS = 12;
/** A prefix shorter than this would match half the vocabulary: such a last word matches whole. */
const MIN_PREFIX_LENGTH = 2;

export type QueryPart = { kind: 'word'; word: string; prefix: boolean } | { kind: 'phrase'; words: string[] };

export interface ParsedQuery {
  parts: QueryPart[];
  /** Every word in the query, for highlighting and suggestions. */
  words: string[];
}

export function parseQuery(raw: string): ParsedQuery {
  const parts: QueryPart[] = [];
  let budget = MAX_QUERY_TERMS;
  // Text between pairs of double quotes (straight or curly) is a phrase; an unpaired quote is ignored.
  const pieces = raw.replace(/[“”„]/g, '"').split('"');
  pieces.forEach((piece, i) => {
    const quoted = i % 2 === 1 && i < pieces.length - 1;
    const words = terms(piece).slice(0, budget);
    budget -= words.length;
    if (words.length === 0) return;
    if (quoted && words.length > 1) parts.push({ kind: 'phrase', words });
    else for (const word of words) parts.push({ kind: 'word', word, prefix: false });
  });
  // The last word typed, when it ends the query (no closing quote or space after it), is a prefix.
  const last = parts[parts.length - 1];
  if (last?.kind === 'word' && /[\p{L}\p{N}]$/u.test(raw) && last.word.length >= MIN_PREFIX_LENGTH) last.prefix = true;
  const words = parts.flatMap((p) => (p.kind === 'word' ? [p.word] : p.words));
  return { parts: dedupe(parts), words: [...new Set(words)] };
}

/** The same word twice narrows nothing; keep the first (a prefix form covers the exact one). */
function dedupe(parts: QueryPart[]): QueryPart[] {
  const seen = new Map<string, QueryPart>();
  for (const part of parts) {
    const key = part.kind === 'word' ? `w:${part.word}` : `p:${part.words.join(' ')}`;
    const earlier = seen.get(key);
    if (earlier && earlier.kind === 'word' && part.kind === 'word') earlier.prefix ||= part.prefix;
    else if (!earlier) seen.set(key, part);
  }
  return [...seen.values()];
}

/**
 * The FTS5 MATCH expression: every word quoted (so it is never syntax), implicitly AND-ed. A
 * prefix whose words are known (`completions`) is asked for as those words OR-ed: FTS5 reads an OR
 * newest first and stops when it has enough, while a prefix query first merges the whole match
 * list of every word it starts (tens of milliseconds for a prefix of a word in most stories).
 */
export function fts5Match(query: ParsedQuery, completions: ReadonlyMap<string, readonly string[]> = new Map()): string {
  const grouped = query.parts.some((part) => part.kind === 'word' && part.prefix && completions.get(part.word)?.length);
  return query.parts
    .map((part) => {
      if (part.kind === 'phrase') return `"${part.words.join(' ')}"`;
      const words = part.prefix ? completions.get(part.word) : undefined;
      if (words?.length) return `(${words.map((w) => `"${w}"`).join(' OR ')})`;
      return `"${part.word}"${part.prefix ? '*' : ''}`;
    })
    .join(grouped ? ' AND ' : ' ');
}

/**
 * The same as a PostgreSQL tsquery literal (cast, never parsed by to_tsquery's word splitter).
 * `wordsOnly` asks for a phrase's words in any order: what the GIN index answers alone, without
 * reading each story's words to check their positions.
 */
export function tsqueryLiteral(query: ParsedQuery, options: { wordsOnly?: boolean } = {}): string {
  const lexeme = (word: string) => `'${word.replace(/['\\]/g, (c) => `\\${c}`)}'`;
  return query.parts
    .map((part) => (part.kind === 'word' ? `${lexeme(part.word)}${part.prefix ? ':*' : ''}` : `(${part.words.map(lexeme).join(options.wordsOnly ? ' & ' : ' <-> ')})`))
    .join(' & ');
}

/** Whether a folded word of a text matches the query (for highlighting). */
export function matchesWord(query: ParsedQuery, word: string): boolean {
  return query.parts.some((part) =>
    part.kind === 'word' ? (part.prefix ? word.startsWith(part.word) : word === part.word) : part.words.includes(word),
  );
}
