// The moderation decision for one new comment, as a pure function of what is known about it (its
// text, its author's history, the classifier's score) and the newsroom's settings: no I/O, so the
// same decision is taken by the comment form, by `bulletin comments check` and by the tests.
// Every decision carries its reasons, in the words moderators see ("2 links", "first comment").
import { features, hostOf, isShortener, readable, URLS } from './classifier.ts';

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

/** Above this the classifier alone sends a comment to spam, when the comment sends readers somewhere. */
export const SPAM_THRESHOLD = 0.9;
/** Above this the classifier alone sends any comment to spam. */
export const SURE_THRESHOLD = 0.98;
/** Above this the classifier holds a comment (and, with another sign of spam, sends it to spam). */
export const DOUBT_THRESHOLD = 0.7;
/** Comments from one address within the flood window that hold the next one. */
export const FLOOD_HOLD = 3;
/** A commenter with this many approved comments and none rejected skips the queue. */
export const TRUSTED_AFTER = 3;

/** Phrases spam carries and conversation about the news rarely does. */
const SPAM_PATTERNS: [RegExp, string][] = [
  // "pharmacy" alone is news (a village losing its chemist); selling without a prescription is not.
  [/\b(viagra|cialis|levitra|kamagra|tramadol|xanax|valium|modafinil|phentermine|oxycodone)\b|\b(online\s+pharmacy|pharmacy\s+online|pills?\s+online|no\s+(rx|prescription)|without\s+(a\s+)?prescription)\b/i, 'pharmacy'],
  [/\b(casino|poker|betting|slots?\s+online|jackpot|roulette|bet365)\b/i, 'gambling'],
  [/\b(payday\s+loans?|quick\s+loans?|cash\s+advance|credit\s+repair|loan\s+approval)\b/i, 'loans'],
  [/\b(bitcoin|crypto(currency)?|forex|binary\s+options?|nft)\b.*\b(invest|profit|earn|trading|returns?|signals?)\b/i, 'investment'],
  [/\b(seo\s+(services?|agency|experts?)|backlinks?|guest\s+post(ing)?|rank\s+(your|higher)|web\s+traffic)\b/i, 'marketing'],
  [/\b(work\s+from\s+home|make\s+money|earn\s+\$?\d+|extra\s+income|per\s+(day|week)\s+from\s+home)\b/i, 'money'],
  [/\b(buy\s+(cheap|now)|order\s+now|click\s+here|visit\s+(my|our)\s+(site|website|blog)|check\s+out\s+my)\b/i, 'call to click'],
  [/\b(replica|louboutin|rolex|ugg\s+boots|cheap\s+(jerseys|handbags|watches))\b/i, 'counterfeits'],
  [/\b(hot\s+singles|dating\s+site|escort|xxx|porn|webcam\s+girls)\b/i, 'adult'],
  [/\b(followers|likes)\b.*\b(buy|cheap|instant)\b|\b(buy|cheap|instant)\b.*\b(followers|likes)\b/i, 'social boosting'],
  [/[$€£]\s?\d[\d,]*\s+(per|an|a|every)\s+(hour|day|week)\b|\b(my\s+investment|invested)\b.*[$€£]\s?\d/i, 'money'],
  [/\b(free\s+spins|welcome\s+bonus|sign[\s-]?up\s+bonus|airdrop|presale|whitelist\s+spots?|passive\s+income|daily\s+returns?|recover(y)?\s+(your\s+)?(lost|stolen)|spell\s*caster|ex\s+lover)\b/i, 'money'],
  [/\b(\d{2}\s?%\s+off|today\s+only|limited\s+(time\s+)?offer|doctors\s+hate|one\s+weird\s+trick|free\s+trial|act\s+now)\b/i, 'sales pitch'],
  // Spun blog-comment praise, addressed to a blog's owner: not how readers talk to a newsroom.
  [/\b(your|this)\s+(blog|weblog|web\s*site|board|blog\s+site)\b.*\b(informative|useful|helpful|pleasant|fastidious|subscribe|bookmark(ed)?|continue|layout)\b|\b(truly|very)\s+informative\b.*\b(blog|site|board)\b|\bbrowsing\s+online\s+more\s+than\b|\bfound\s+this\s+board\b|\bi'?ll\s+be\s+grateful\s+if\s+you\s+continue\b/i, 'generic praise'],
  // Asked to take the conversation elsewhere: a messenger, a handle, a stranger's address.
  [/\b(whatsapp|telegram)\s*(me|us|\+|\d|@|:)|\b(on|via)\s+(whatsapp|telegram)\b|\bwa\.me\b|\bt\.me\/|\b(dm|message|write)\s+me\b|\bcontact\s+(him|her|us|me|now)\b/i, 'contact elsewhere'],
];

/** The spam patterns a text matches, read as readable() reads it (styled or lookalike letters undone). */
/**
 * Praise and nothing else ("Nice post!", "Very informative, keep it up."): says nothing about the
 * story; with a link or a website it is the commonest comment spam there is.
 */
export function isBarePraise(text: string): boolean {
  const words = readable(text.replace(URLS, ' ')).text.match(/[\p{L}'-]+/gu) ?? [];
  if (words.length === 0 || words.length > 8) return false;
  const PRAISE = /^(nice|great|good|awesome|amazing|excellent|wonderful|fantastic|superb|brilliant|informative|helpful|useful|interesting|cool|thanks|thank|you|for|sharing|the|this|a|an|very|so|really|such|post|article|blog|content|write-up|writeup|read|piece|info|information|job|work|keep|it|up|bookmarked|well|done|i|like|love|your|site|website|was|is|much|lot|learned|bro)$/;
  return words.every((w) => PRAISE.test(w));
}

export function spamPatterns(text: string): string[] {
  const { text: plain } = readable(text);
  const found = SPAM_PATTERNS.filter(([pattern]) => pattern.test(plain)).map(([, name]) => name);
  if ((text.match(URLS) ?? []).some((link) => isShortener(hostOf(link) ?? ''))) found.push('link shortener');
  return [...new Set(found)];
}

/**
 * Junk rather than a comment: one character or word repeated with (nearly) nothing else, as
 * form-testing robots send. "WHY???" or "Well done lads!!!" are not: they have words.
 */
export function isJunk(text: string): boolean {
  const words = readable(text.replace(URLS, ' ')).text.match(/\p{L}{2,}/gu) ?? [];
  const distinct = new Set(words).size;
  const runs = /(.)\1{19,}/su.test(text) || /(\S{1,6}\s+)\1{9,}/u.test(`${text} `);
  return runs && distinct <= 2;
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
  const feats = features(s.text);
  if (feats.includes('_markup')) return { status: 'spam', reasons: ['spam pattern: link markup'] };
  if (isJunk(s.text)) return { status: 'spam', reasons: ['spam pattern: repeated characters'] };
  // Disguised letters are there to slip past filters: with any other sign of spam, it is spam.
  if (feats.includes('_obfuscated') && (patterns.length > 0 || s.links > 0 || s.spamProbability >= 0.5)) {
    return { status: 'spam', reasons: ['spam pattern: disguised letters', ...patterns.map((p) => `spam pattern: ${p}`), score] };
  }
  // Short of certainty, the classifier alone decides only for a comment that sends readers
  // somewhere more than readers do (links, a website, an address or number to write to, a spam
  // phrase): a genuine remark with one link to the council's papers can share words with spam.
  const bait = s.links > 1 || s.url !== '' || patterns.length > 0 || /[^\s@]+@[^\s@]+\.[a-z]{2,}|\+\d[\d\s-]{7,}\d/i.test(s.text);
  if (s.spamProbability >= SURE_THRESHOLD || (s.spamProbability >= SPAM_THRESHOLD && bait)) return { status: 'spam', reasons: [score, ...patterns.map((p) => `spam pattern: ${p}`)] };
  if (!s.returning && (s.links > 0 || s.url !== '') && isBarePraise(s.text)) return { status: 'spam', reasons: ['spam pattern: praise and a link', score] };
  // Two kinds of spam at once (casino and SEO, pills and "contact me") and somewhere to go.
  if (patterns.length >= 2 && (s.links > 0 || s.url !== '')) return { status: 'spam', reasons: [...patterns.map((p) => `spam pattern: ${p}`), score] };
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
  if (feats.includes('_obfuscated')) held.push('disguised letters');
  if (isShouting(s.text)) held.push('all caps');
  if (s.recentFromIp >= FLOOD_HOLD) held.push('flood');
  if (s.rejectedCount > s.approvedCount) held.push('unreliable commenter');
  if (held.length) return { status: 'pending', reasons: held };

  if (s.approvedCount >= TRUSTED_AFTER && s.rejectedCount === 0) return { status: 'approved', reasons: ['trusted commenter'] };
  if (s.returning) return { status: 'approved', reasons: ['returning commenter'] };
  return { status: 'pending', reasons: ['first comment'] };
}
