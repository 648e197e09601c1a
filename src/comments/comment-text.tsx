// A comment is plain text: it is shown as paragraphs (a blank line between them, single line
// breaks kept) with web addresses turned into links marked `rel="nofollow ugc"`. No markup of any
// kind is read from it; Preact escapes every character, so whatever a reader types renders as text.
import { renderFragment } from '../platform/render.ts';

/** http(s) addresses and bare `www.` ones; any other scheme (javascript:, data:) stays text. */
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than an address ("see example.com."). */
const TRAILING = /[.,;:!?'")\]]+$/;

export type TextPiece = { text: string } | { href: string; text: string };

/** The pieces of one line: text, and the addresses in it as links. */
export function linkPieces(line: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    let address = match[0];
    const trailing = TRAILING.exec(address)?.[0] ?? '';
    // A closing bracket that closes one opened inside the address stays part of it (Wikipedia links).
    const keep = trailing.startsWith(')') && address.slice(0, -trailing.length).includes('(') ? 1 : 0;
    address = address.slice(0, address.length - trailing.length + keep);
    if (!address.includes('.', address.indexOf('//') + 2)) continue;
    const start = match.index;
    if (start > last) pieces.push({ text: line.slice(last, start) });
    const href = /^https?:\/\//i.test(address) ? address : `https://${address}`;
    pieces.push({ href, text: address });
    last = start + address.length;
  }
  if (last < line.length) pieces.push({ text: line.slice(last) });
  return pieces;
}

/** Paragraphs (split at blank lines), each a list of lines. */
export function paragraphsOf(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('\n'));
}

/** How many addresses a text holds (the moderation rules count them). */
export function linkCount(text: string): number {
  return paragraphsOf(text).flat().reduce((n, line) => n + linkPieces(line).filter((p) => 'href' in p).length, 0);
}

export function CommentText({ text }: { text: string }) {
  return (
    <>
      {paragraphsOf(text).map((lines, i) => (
        <p key={i}>
          {lines.map((line, j) => (
            <>
              {j > 0 && <br />}
              {linkPieces(line).map((piece) =>
                'href' in piece ? (
                  <a href={piece.href} rel="nofollow ugc">
                    {piece.text}
                  </a>
                ) : (
                  piece.text
                ),
              )}
            </>
          ))}
        </p>
      ))}
    </>
  );
}

/** The text as HTML, drawn once when a comment is written and stored beside it (a long thread's page then draws no text). */
export function commentHtml(text: string): string {
  return renderFragment(<CommentText text={text} />);
}
