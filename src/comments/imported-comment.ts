// A comment brought from another system (a WordPress export), as the comments feature takes it:
// already moderated there, so it is stored as it was decided. Its fields are made to fit what a
// native comment may hold (the same limits where a reader would see them); nothing is refused
// for being old or long, because the site that published it accepted it.
import { isWebAddress, LIMITS } from './comment-input.ts';

export interface ImportedComment {
  /** Its key where it came from ('wordpress:<comment id>'): a second run adds nothing twice. */
  sourceKey: string;
  /** The source key of the approved comment it replies to, or null for a top-level comment. */
  parentKey: string | null;
  status: 'approved' | 'pending';
  authorName: string;
  /** Kept private exactly as a native commenter's: staff and the privacy export only. */
  email: string;
  url: string;
  ip: string | null;
  /** Plain text (paragraphs separated by blank lines), as a reader would have typed it. */
  text: string;
  /** When it was posted (ISO 8601). */
  at: string;
}

export interface ImportOutcome {
  added: { approved: number; pending: number };
  /** Already imported by an earlier run (left as the newsroom has them now). */
  already: number;
  /** With no text left once control characters were removed: not stored. */
  empty: number;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const IP = /^[0-9a-f.:]{2,45}$/i;

/** The fields as a native comment holds them; undefined when there is no text to show. */
export function fitImported(c: ImportedComment, ipKeptSince: string):
  | { authorName: string; email: string; url: string; ip: string | null; text: string; at: string }
  | undefined {
  const text = c.text.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
  if (!text) return undefined;
  const name = c.authorName.replace(CONTROL, '').replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
  const email = c.email.trim().toLowerCase();
  const url = c.url.trim();
  const ip = c.ip?.trim() ?? '';
  const at = Number.isNaN(Date.parse(c.at)) ? new Date(0).toISOString() : new Date(c.at).toISOString();
  return {
    // WordPress shows a comment without a name as "Anonymous".
    authorName: [...(name || 'Anonymous')].slice(0, LIMITS.author).join(''),
    email: email.length <= LIMITS.email && EMAIL.test(email) ? email : '',
    url: url.length <= LIMITS.url && isWebAddress(url) ? url : '',
    // An address older than the retention period is one a native comment would no longer have.
    ip: IP.test(ip) && at >= ipKeptSince ? ip : null,
    text,
    at,
  };
}

/** Parents before their replies (an export may list a reply first); a cycle is broken at top level. */
export function parentsFirst(comments: readonly ImportedComment[]): ImportedComment[] {
  const byKey = new Map(comments.map((c) => [c.sourceKey, c]));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: ImportedComment[] = [];
  for (const start of comments) {
    // Walk up to the first ancestor already placed (or the top), then place the chain downwards.
    const chain: ImportedComment[] = [];
    let at: ImportedComment | undefined = start;
    while (at && !state.has(at.sourceKey)) {
      state.set(at.sourceKey, 'visiting');
      chain.push(at);
      at = at.parentKey ? byKey.get(at.parentKey) : undefined;
    }
    // Reaching one still 'visiting' means the chain loops: its last link starts a thread instead.
    const loops = at !== undefined && state.get(at.sourceKey) === 'visiting';
    for (let i = chain.length - 1; i >= 0; i--) {
      const c = chain[i]!;
      ordered.push(loops && i === chain.length - 1 ? { ...c, parentKey: null } : c);
      state.set(c.sourceKey, 'done');
    }
  }
  return ordered;
}
