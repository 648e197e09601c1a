// The comment form's token: proof that a form was fetched for this story a little while ago. The
// story page is cached and the same for everyone, so the token comes from an uncached endpoint
// (the form's script asks for it) or from the "check your comment" step for readers without
// JavaScript. It is signed (HMAC-SHA256 with the site's comment secret), names its story, and is
// good from MIN_AGE after it was issued (a person takes longer than that to write; a script does
// not) until MAX_AGE, once: its nonce is stored when it is used.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const MIN_AGE_MS = 3_000;
export const MAX_AGE_MS = 2 * 3600_000;

export interface TokenClaims {
  articleId: number;
  issuedAt: number;
  nonce: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; problem: 'missing' | 'forged' | 'other_story' | 'too_fast' | 'expired' };

export function issueToken(secret: string, articleId: number, now: number): string {
  const payload = Buffer.from(JSON.stringify({ a: articleId, t: now, n: randomBytes(12).toString('base64url') })).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** Checks signature, story and age; whether it was used already is the repository's to say. */
export function checkToken(secret: string, token: string | undefined, articleId: number, now: number): TokenCheck {
  if (!token) return { ok: false, problem: 'missing' };
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !safeEqual(signature, sign(secret, payload))) return { ok: false, problem: 'forged' };
  let claims: TokenClaims;
  try {
    const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { a?: unknown; t?: unknown; n?: unknown };
    if (typeof raw.a !== 'number' || typeof raw.t !== 'number' || typeof raw.n !== 'string') return { ok: false, problem: 'forged' };
    claims = { articleId: raw.a, issuedAt: raw.t, nonce: raw.n };
  } catch {
    return { ok: false, problem: 'forged' };
  }
  if (claims.articleId !== articleId) return { ok: false, problem: 'other_story' };
  const age = now - claims.issuedAt;
  if (age < MIN_AGE_MS) return { ok: false, problem: 'too_fast' };
  if (age > MAX_AGE_MS) return { ok: false, problem: 'expired' };
  return { ok: true, claims };
}

/**
 * The query token that lets the author of a held comment see it on the story (WordPress's
 * `moderation-hash`): the comment id and an expiry, signed. Short-lived, and only its holder sees
 * the comment: the page it opens is drawn for them and never cached.
 */
export function pendingViewHash(secret: string, commentId: number, expiresAt: number): string {
  return `${expiresAt.toString(36)}.${sign(secret, `pending:${commentId}:${expiresAt}`).slice(0, 32)}`;
}

export function checkPendingViewHash(secret: string, commentId: number, hash: string, now: number): boolean {
  const [expires, signature] = hash.split('.');
  const expiresAt = parseInt(expires ?? '', 36);
  if (!Number.isFinite(expiresAt) || expiresAt < now || !signature) return false;
  return safeEqual(signature, sign(secret, `pending:${commentId}:${expiresAt}`).slice(0, 32));
}

function sign(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
