// What a comment form (or API client) sends, checked at the edge: the fields WordPress names
// (`comment`, `author`, `email`, `url`, `comment_post_ID`, `comment_parent`), each with a message
// for the reader when it is wrong. Text stays text: nothing here strips or rewrites markup, it is
// shown escaped; only what could never be right is refused (control characters, line breaks in a
// name or address, which would also let a value break out of a mail header).
import { createHash } from 'node:crypto';
import { invalidInput, type FieldError } from '../platform/errors.ts';

export const LIMITS = { comment: 5000, author: 100, email: 200, url: 200 } as const;

/** The field names of the form, WordPress's own. */
export const FIELDS = {
  comment: 'comment',
  author: 'author',
  email: 'email',
  url: 'url',
  articleId: 'comment_post_ID',
  parentId: 'comment_parent',
  consent: 'wp-comment-cookies-consent',
  token: 'comment_token',
  /** The honeypot: hidden from people (and from screen readers), filled in by form-filling robots. */
  honeypot: 'fax',
} as const;

export interface CommentInput {
  articleId: number;
  parentId: number | null;
  text: string;
  authorName: string;
  email: string;
  url: string;
  token: string | undefined;
  honeypot: string;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
// Deliberately plain: one @, a dot in the domain, no spaces or angle brackets. Mail servers decide the rest.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const ID = /^[1-9]\d{0,9}$/;

export function parseCommentInput(fields: Record<string, string>): CommentInput {
  const errors: FieldError[] = [];
  const text = (fields[FIELDS.comment] ?? '').replace(/\r\n?/g, '\n').trim();
  const authorName = (fields[FIELDS.author] ?? '').trim();
  const email = (fields[FIELDS.email] ?? '').trim().toLowerCase();
  const url = (fields[FIELDS.url] ?? '').trim();
  const post = fields[FIELDS.articleId] ?? '';
  const parent = fields[FIELDS.parentId] ?? '0';

  if (!ID.test(post) || Number(post) > 2_147_483_647) errors.push({ field: FIELDS.articleId, message: 'The story to comment on is missing.' });
  if (parent !== '0' && parent !== '' && (!ID.test(parent) || Number(parent) > 2_147_483_647)) {
    errors.push({ field: FIELDS.parentId, message: 'The comment to reply to does not exist.' });
  }

  if (!text) errors.push({ field: FIELDS.comment, message: 'Please type your comment.' });
  else if ([...text].length > LIMITS.comment) errors.push({ field: FIELDS.comment, code: 'too_large', message: `Your comment is too long: at most ${LIMITS.comment.toLocaleString('en')} characters.` });
  else if (CONTROL.test(text)) errors.push({ field: FIELDS.comment, message: 'Your comment contains characters that cannot be shown.' });

  if (!authorName) errors.push({ field: FIELDS.author, message: 'Please enter your name.' });
  else if ([...authorName].length > LIMITS.author) errors.push({ field: FIELDS.author, message: `Your name is too long: at most ${LIMITS.author} characters.` });
  else if (CONTROL.test(authorName) || LINE_BREAK.test(authorName)) errors.push({ field: FIELDS.author, message: 'Your name may not contain line breaks or control characters.' });

  if (!email) errors.push({ field: FIELDS.email, message: 'Please enter your email address (it will not be published).' });
  else if (email.length > LIMITS.email || !EMAIL.test(email) || LINE_BREAK.test(email) || CONTROL.test(email)) {
    errors.push({ field: FIELDS.email, message: 'Please enter a valid email address, like name@example.com.' });
  }

  if (url) {
    if (url.length > LIMITS.url) errors.push({ field: FIELDS.url, message: `The website address is too long: at most ${LIMITS.url} characters.` });
    else if (!isWebAddress(url)) errors.push({ field: FIELDS.url, message: 'The website must be an address starting with http:// or https://.' });
  }

  if (errors.length) throw invalidInput(errors);
  return {
    articleId: Number(post),
    parentId: parent === '0' || parent === '' ? null : Number(parent),
    text,
    authorName,
    email,
    url,
    token: fields[FIELDS.token] || undefined,
    honeypot: fields[FIELDS.honeypot] ?? '',
  };
}

export function isWebAddress(value: string): boolean {
  if (CONTROL.test(value) || LINE_BREAK.test(value) || /\s/.test(value)) return false;
  try {
    const parsed = new URL(value);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The same words in the same order count as the same comment, whatever the case and spacing. */
export function bodyHash(text: string): string {
  const normal = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normal).digest('hex').slice(0, 32);
}
