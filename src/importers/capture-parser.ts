// The plain-text capture format (see test/fixtures/captures/seed.txt) → headline, section, typed
// blocks and credit. Pure: no I/O, no database. A capture is a saved web page, so besides the story
// it carries page furniture (ad markers, sign-up boxes, comment forms) that must not reach the body.
import type { Credit } from '../articles/model.ts';
import { CaptureError } from './capture-error.ts';
import { parseCreditLine } from './credit.ts';

export { CaptureError } from './capture-error.ts';

export interface ParsedCapture {
  site: string | null;
  headline: string;
  section: string;
  blocks: ParsedBlock[];
  credit: Credit | null;
}

export type ParsedBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'video'; title: string; caption: string };

export const MAX_LINE_LENGTH = 20_000;
/** A sub-heading is a short line: longer ones are prose that merely lacks a full stop. */
const HEADING_MAX_WORDS = 12;
const HEADING_MAX_CHARS = 100;
/** The site name, if any, and the headline come first; a capture whose headline is further down is not one. */
const MAX_LINES_BEFORE_HEADLINE = 3;
/** Video titles are headline-sized; a longer line after a video marker is the story going on. */
const VIDEO_TITLE_MAX_WORDS = 30;

const FURNITURE: RegExp[] = [
  /^story continues below(?: the)?(?: advertisement)?$/i,
  /^advertisement$/i,
  // The alert sign-up box: its wording varies by section and site, its shape does not.
  /\bsign up (?:to receive|for)\b.{0,80}\b(?:alerts?|newsletters?)\b/i,
  /^get (?:the latest|breaking|daily|weekly)\b.{0,60}\bnews\b[.!]?$/i,
  /^get (?:the|our)\b.{0,120}\b(?:delivered to your inbox|newsletters?)\b/i,
  /^by providing your email\b/i,
  /^(?:sign up|subscribe|email address)$/i,
  // Comment form, related-article box and navigation under the story.
  /^related (?:articles|stories|posts|content)$/i,
  /^(?:leave a (?:reply|comment)|cancel reply|post navigation)$/i,
  /^your email address will not be published\b/i,
  /^required fields are marked\b/i,
  /^save my name, email,? and website\b/i,
  /^back to top(?: button)?$/i,
  /^(?:share this|like this):?$/i,
];

const VIDEO_MARKER = /^click to play (?:the )?video\b\s*:?\s*(.*)$/i;
const OPEN_QUOTES = `'"‘’“”«‹„‚\``;
const CLOSE_QUOTES = `'"‘’“”»›\``;

export function parseCapture(text: string): ParsedCapture {
  if (typeof text !== 'string' || text.trim() === '') throw new CaptureError('the capture is empty.');
  if (looksBinary(text)) throw new CaptureError('this looks like a binary file, not a text capture.');
  const rawLines = text.split(/\r\n|\r|\n/);
  rawLines.forEach((line, i) => {
    if (line.length > MAX_LINE_LENGTH) {
      throw new CaptureError(
        `line ${i + 1} is ${line.length.toLocaleString('en')} characters long; the limit is ${MAX_LINE_LENGTH.toLocaleString('en')}.`,
      );
    }
  });
  const lines = rawLines.map(normaliseLine).filter((line) => line !== '');

  const headlineAt = findHeadline(lines);
  const { headline, section } = splitHeadline(lines[headlineAt]!)!;
  // Anything longer than a name before the headline is leftover page text, not the site's name.
  const site = headlineAt > 0 && lines[0]!.length <= 100 ? lines[0]! : null;

  const body = lines.slice(headlineAt + 1).filter((line) => !FURNITURE.some((re) => re.test(line)));
  const blocks: ParsedBlock[] = [];
  let credit: Credit | null = null;
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    const lineCredit = parseCreditLine(line);
    if (lineCredit) {
      credit = credit ? mergeCredits(credit, lineCredit) : lineCredit;
      continue;
    }
    const video = VIDEO_MARKER.exec(line);
    if (video) {
      const next = body[i + 1];
      const usable = next !== undefined && !VIDEO_MARKER.test(next) && !parseCreditLine(next);
      const quoted = unquote(video[1]!);
      if (quoted) {
        // "Click to play video: '<title>'" and, usually, the clip's own title line repeated below it.
        const isCaption = usable && (sameClip(quoted, next) || isTitleButNotHeading(next));
        blocks.push({ type: 'video', title: quoted, caption: isCaption ? next : '' });
        if (isCaption) i++;
      } else if (usable && wordCount(next) <= VIDEO_TITLE_MAX_WORDS) {
        // "Click to play the video:" names the clip on the next line.
        blocks.push({ type: 'video', title: next, caption: '' });
        i++;
      }
      // A marker with no title left is furniture too: a video block needs a title.
      continue;
    }
    blocks.push(isHeading(line) ? { type: 'heading', text: line } : { type: 'paragraph', text: line });
  }

  if (!blocks.some((b) => b.type === 'paragraph')) {
    throw new CaptureError(`the story "${headline}" has no body paragraphs after its headline line.`);
  }
  return { site, headline, section, blocks, credit };
}

/** NUL bytes, or more control characters than text ever has, mean this is not a text file. */
export function looksBinary(text: string): boolean {
  if (text.includes('\0')) return true;
  const controls = text.match(/[\x01-\x08\x0B\x0E-\x1F\x7F\uFFFD]/g)?.length ?? 0;
  return controls > 32 || (controls > 2 && controls / text.length > 0.02);
}

/** Web captures carry BOMs, non-breaking and zero-width spaces, and stray control characters. */
function normaliseLine(line: string): string {
  return line
    .replace(/[\uFEFF\u200B-\u200D\u2060]/g, '')
    .replace(/[\t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
    .replace(/[\x00-\x1F\x7F]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function findHeadline(lines: string[]): number {
  for (let i = 0; i < lines.length && i <= MAX_LINES_BEFORE_HEADLINE; i++) {
    if (splitHeadline(lines[i]!)) return i;
  }
  const first = lines[0]!.length > 80 ? `${lines[0]!.slice(0, 77)}…` : lines[0]!;
  throw new CaptureError(
    `no headline line: one of the first lines must end in " – Section" (e.g. "… – National"); the capture starts with "${first}".`,
  );
}

/** "Headline – National" → its parts, split at the last spaced dash; null when the suffix is no section name. */
export function splitHeadline(line: string): { headline: string; section: string } | null {
  let last: RegExpExecArray | undefined;
  for (const match of line.matchAll(/\s+[–—-]\s+/g)) last = match;
  if (!last) return null;
  const headline = line.slice(0, last.index).trim();
  const section = line.slice(last.index + last[0].length).trim();
  if (!headline || !isSectionName(section)) return null;
  return { headline, section };
}

const SECTION_CONNECTORS = new Set(['and', '&', 'of', 'the', 'for', 'in', 'on', 'at', 'de', 'la', 'le', 'et']);

/** 1–4 title-case words ("National", "U.S. News", "Arts & Culture"). */
function isSectionName(text: string): boolean {
  const words = text.split(' ');
  if (words.length > 4 || text.length > 40) return false;
  return words.every((word, i) =>
    i > 0 && SECTION_CONNECTORS.has(word.toLowerCase()) ? true : /^[\p{Lu}\p{N}][\p{L}\p{N}.'’&-]*$/u.test(word),
  );
}

/** Ends like a sentence: final . ? ! : ; … , or a closing quote/bracket after such punctuation. */
export function endsLikeSentence(line: string): boolean {
  return /[.?!:;…,]$/.test(line) || /[.?!:;…,]["'”’»›)\]]+$/.test(line);
}

export function isHeading(line: string): boolean {
  return (
    wordCount(line) <= HEADING_MAX_WORDS &&
    line.length <= HEADING_MAX_CHARS &&
    !endsLikeSentence(line) &&
    /^[\p{Lu}\p{N}"'“‘«¿¡]/u.test(line) &&
    /[\p{L}\p{N}"'”’»)%]$/u.test(line)
  );
}

/** A clip-title-shaped line that cannot be a sub-heading: too long for one, yet no sentence. */
function isTitleButNotHeading(line: string): boolean {
  return !endsLikeSentence(line) && !isHeading(line) && wordCount(line) <= VIDEO_TITLE_MAX_WORDS;
}

function wordCount(line: string): number {
  return line.split(' ').filter(Boolean).length;
}

/** Strips one outer pair of quotes, which may be straight, curly or «», and mismatched. */
export function unquote(text: string): string {
  const out = text.trim();
  if (!out || !OPEN_QUOTES.includes(out[0]!)) return out;
  const inner = out.slice(1).trimStart();
  const last = inner.at(-1);
  if (last === undefined || !CLOSE_QUOTES.includes(last)) return inner; // the closing quote was lost
  const rest = inner.slice(0, -1).trimEnd();
  if (last !== '’' && last !== '”') return rest;
  // A curly quote may close a quotation inside the title ('Trump says: ‘He won’t have a choice’
  // with its outer quote lost): keep it when the title opens more quotes than it closes before it.
  const opens = (rest.match(/[‘“]/g) ?? []).length;
  const closes = (rest.match(/[’”]/g) ?? []).length - (rest.match(/\p{L}’\p{L}/gu) ?? []).length;
  return opens > closes ? inner : rest;
}

/**
 * Whether the line after "Click to play video: '…'" is the clip's own title line: sites re-word
 * the title a little (Kyiv/kyiv, "the coming winter"/"winter", added or shortened clauses).
 */
export function sameClip(quoted: string, line: string): boolean {
  const { dice, overlap, shared } = similarity(quoted, line);
  return dice >= 0.5 || (shared >= 3 && overlap >= 0.6);
}

/**
 * Word-set overlap of two lines, ignoring case, accents and punctuation: Dice (shared words against
 * both sizes) and overlap (shared words against the shorter line, for a shortened title).
 */
export function similarity(a: string, b: string): { dice: number; overlap: number; shared: number } {
  const words = (s: string) =>
    new Set(
      s
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    );
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return { dice: 0, overlap: 0, shared: 0 };
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return { dice: (2 * shared) / (x.size + y.size), overlap: shared / Math.min(x.size, y.size), shared };
}

function mergeCredits(a: Credit, b: Credit): Credit {
  const union = (x: string[], y: string[]) => [...new Set([...x, ...y])];
  return {
    text: `${a.text} ${b.text}`,
    contributors: union(a.contributors, b.contributors),
    agencies: union(a.agencies, b.agencies),
  };
}
