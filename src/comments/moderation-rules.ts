// The moderation decision for one new comment, as a pure function of what is known about it (its
// text, its author's history, the classifier's score) and the newsroom's settings: no I/O, so the
// same decision is taken by the comment form, by `bulletin comments check` and by the tests.
// Every decision carries its reasons, in the words moderators see ("2 links", "first comment").
import { features } from './classifier.ts';

export type CommentStatus = 'pending' | 'approved' | 'spam' | 'trash';
export type Decision = { status: 'pending' | 'approved' | 'spam'; reasons: string[] };

export interface ModerationSettings {
  /** Words (or phrases) that hold a comment for a moderator. */
  moderationWords: string[];
  /** Words, emails and IP addresses whose comments go straight to spam. */
  blocklist: string[];
  /** A comment with this many links or more is held (WordPress's default: 2). */
  holdLinks: number;
}

export interface CommentSignals {
  text: string;
  authorName: string;
  email: string;
  url: string;
  ip: string;
  links: number;
  /** The commenter (same email and name) has an earlier approved comment. */
  returning: boolean;
  /** Their approved and rejected (spam or trash) comments so far: the trust score's inputs. */
  approvedCount: number;
  rejectedCount: number;
  /** Comments from the same address in the last few minutes (under the hard limit). */
  recentFromIp: number;
  /** The same text was posted recently (by anyone). */
  duplicate: boolean;
  /** The classifier's probability that it is spam. */
  spamProbability: number;
}

/** Above this the classifier alone sends a comment to spam. */
export const SPAM_THRESHOLD = 0.9;
/** Above this the classifier holds a comment (and, with another sign of spam, sends it to spam). */
export const DOUBT_THRESHOLD = 0.7;
/** Comments from one address within the flood window that hold the next one. */
export const FLOOD_HOLD = 3;
/** A commenter with this many approved comments and none rejected skips the queue. */
export const TRUSTED_AFTER = 3;

/** Phrases spam carries and conversation about the news rarely does. */
const SPAM_PATTERNS: [RegExp, string][] = [
  [/\b(viagra|cialis|levitra|kamagra|tramadol|xanax|valium|pharmacy|pills?\s+online)\b/i, 'pharmacy'],
  [/\b(casino|poker|betting|slots?\s+online|jackpot|roulette|bet365)\b/i, 'gambling'],
  [/\b(payday\s+loans?|quick\s+loans?|cash\s+advance|credit\s+repair|loan\s+approval)\b/i, 'loans'],
  [/\b(bitcoin|crypto(currency)?|forex|binary\s+options?|nft)\b.*\b(invest|profit|earn|trading|returns?|signals?)\b/i, 'investment'],
  [/\b(seo\s+(services?|agency|experts?)|backlinks?|guest\s+post(ing)?|rank\s+(your|higher)|web\s+traffic)\b/i, 'marketing'],
  [/\b(work\s+from\s+home|make\s+money|earn\s+\$?\d+|extra\s+income|per\s+(day|week)\s+from\s+home)\b/i, 'money'],
  [/\b(buy\s+(cheap|now)|order\s+now|click\s+here|visit\s+(my|our)\s+(site|website|blog)|check\s+out\s+my)\b/i, 'call to click'],
  [/\b(replica|louboutin|rolex|ugg\s+boots|cheap\s+(jerseys|handbags|watches))\b/i, 'counterfeits'],
  [/\b(hot\s+singles|dating\s+site|escort|xxx|porn|webcam\s+girls)\b/i, 'adult'],
  [/\b(followers|likes)\b.*\b(buy|cheap|instant)\b|\b(buy|cheap|instant)\b.*\b(followers|likes)\b/i, 'social boosting'],
];

export function spamPatterns(text: string): string[] {
  return SPAM_PATTERNS.filter(([pattern]) => pattern.test(text)).map(([, name]) => name);
}

/** The words of a list found in the text, as whole words (case and accents ignored). */
function listed(list: readonly string[], haystack: string): string | undefined {
  const text = ` ${fold(haystack)} `;
  return list.map((w) => fold(w).trim()).find((word) => word.length > 0 && !word.includes('@') && text.includes(` ${word} `));
}

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.\-']+/g, ' ')
    // Dots, hyphens and apostrophes count inside a word (an address, "e-mail"), not at its edges ("idiot.").
    .replace(/(^|\s)[.\-']+|[.\-']+(?=\s|$)/g, '$1');
}

function isShouting(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length >= 20 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7;
}

export function decide(s: CommentSignals, settings: ModerationSettings): Decision {
  const everything = `${s.authorName} ${s.text} ${s.url}`;
  const blockedEmail = settings.blocklist.some((entry) => entry.includes('@') && entry.trim().toLowerCase() === s.email.toLowerCase());
  const blockedIp = s.ip !== '' && settings.blocklist.some((entry) => entry.trim() === s.ip);
  const blockedWord = listed(settings.blocklist, everything);
  if (blockedEmail) return { status: 'spam', reasons: ['blocklisted email'] };
  if (blockedIp) return { status: 'spam', reasons: ['blocklisted address'] };
  if (blockedWord) return { status: 'spam', reasons: [`blocklisted word: ${blockedWord}`] };
  if (s.duplicate) return { status: 'spam', reasons: ['duplicate'] };

  const score = `classifier ${s.spamProbability.toFixed(2)}`;
  const patterns = spamPatterns(everything);
  const markup = features(s.text).includes('_markup');
  if (markup) return { status: 'spam', reasons: ['spam pattern: link markup'] };
  if (s.spamProbability >= SPAM_THRESHOLD) return { status: 'spam', reasons: [score, ...patterns.map((p) => `spam pattern: ${p}`)] };
  const doubtful = s.spamProbability >= DOUBT_THRESHOLD;
  if (doubtful && (patterns.length > 0 || s.links >= settings.holdLinks)) {
    return { status: 'spam', reasons: [score, ...patterns.map((p) => `spam pattern: ${p}`), ...(s.links >= settings.holdLinks ? [`${s.links} links`] : [])] };
  }

  const held: string[] = [];
  if (s.links >= settings.holdLinks) held.push(`${s.links} links`);
  const word = listed(settings.moderationWords, everything);
  if (word) held.push(`moderation word: ${word}`);
  if (patterns.length) held.push(...patterns.map((p) => `spam pattern: ${p}`));
  if (doubtful) held.push(score);
  if (isShouting(s.text)) held.push('all caps');
  if (s.recentFromIp >= FLOOD_HOLD) held.push('flood');
  if (s.rejectedCount > s.approvedCount) held.push('unreliable commenter');
  if (held.length) return { status: 'pending', reasons: held };

  if (s.approvedCount >= TRUSTED_AFTER && s.rejectedCount === 0) return { status: 'approved', reasons: ['trusted commenter'] };
  if (s.returning) return { status: 'approved', reasons: ['returning commenter'] };
  return { status: 'pending', reasons: ['first comment'] };
}
