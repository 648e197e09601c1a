// A naive Bayes spam classifier, local and small: no outside service sees a comment. It starts
// from the seed corpus (seed-corpus.ts) and learns from every approve / spam decision moderators
// take (the counts live in the comment_words table). Each text counts as the set of its features
// (a word said twice is still one piece of evidence; short texts are judged better that way), with
// Laplace smoothing, and the answer is the probability that the text is spam.

export interface WordCounts {
  spam: number;
  ham: number;
}

export interface ClassifierModel {
  /** How many spam and genuine texts it has learnt. */
  docs: WordCounts;
  words: Map<string, WordCounts>;
}

const MAX_FEATURES = 400;

/** Words every text has: with a small corpus they only add noise. */
const STOP_WORDS = new Set(
  'a an and are as at be but by for from had has have he her his i if in into is it its me my no not of on or our she so than that the their them there they this to too us was we were what when which who will with you your again about all also am any can could did do does just more most much one only other out over some such then these those very would'.split(' '),
);

/** Letters of other scripts that look like Latin ones, as spam uses them to slip past word lists. */
const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', τ: 't', ι: 'i', κ: 'k', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;
/** Styled letters (mathematical bold, fraktur…, circled, fullwidth): NFKD turns them into plain ones. */
const STYLED = /[\u{1d400}-\u{1d7ff}\u24b6-\u24e9\uff21-\uff3a\uff41-\uff5a]/u;
/** A word mixing Latin letters with Cyrillic or Greek ones: nobody types that by accident. */
const MIXED_SCRIPT = /(?=[^\s]*\p{Script=Latin})(?=[^\s]*[\p{Script=Cyrillic}\p{Script=Greek}])[\p{L}\p{M}]{2,}/u;
/** Letters spaced out with dots or hyphens ("v.i.a.g.r.a", "c-i-a-l-i-s"). */
const SPACED = /\b(?:\p{L}[.\-_*]){3,}\p{L}\b/gu;

/**
 * The text as spam filters should read it: styled and lookalike letters as plain Latin, invisible
 * characters dropped, spaced-out letters joined, accents folded, lower-cased; and whether any of
 * that was needed to read it (genuine comments in Russian or Greek are left as they are: only
 * words that mix scripts count).
 */
export function readable(text: string): { text: string; obfuscated: boolean } {
  const styled = STYLED.test(text);
  const invisible = /\p{L}[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]\p{L}/u.test(text);
  const mixed = MIXED_SCRIPT.test(text);
  let out = text.replace(INVISIBLE, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (mixed) out = out.replace(/[\p{Script=Cyrillic}\p{Script=Greek}]/gu, (ch) => CONFUSABLES[ch] ?? ch);
  const spaced = SPACED.test(out);
  out = out.replace(SPACED, (word) => word.replace(/[.\-_*]/g, ''));
  return { text: out.toLowerCase(), obfuscated: styled || invisible || mixed || spaced };
}

export const URLS = /\b(?:https?:\/\/|www\.)[^\s<>"'\][]+/gi;
/** Link shorteners hide where a link goes: a news reader has no reason to. */
const SHORTENERS = /^(?:bit\.ly|tinyurl\.com|goo\.gl|t\.co|cutt\.ly|is\.gd|ow\.ly|buff\.ly|rebrand\.ly|shorturl\.at|tiny\.cc|rb\.gy|v\.gd|s\.id|t\.ly|bl\.ink|lnkd\.in|adf\.ly|shorte\.st)$/i;

/** A link's host, lower-cased, without "www.". */
export function hostOf(link: string): string | undefined {
  return /^(?:https?:\/\/)?([^/?#:]+)/i.exec(link)?.[1]?.toLowerCase().replace(/^www\./, '');
}

export function isShortener(host: string): boolean {
  return SHORTENERS.test(host);
}

/**
 * What the classifier looks at: the words of the text as readable() reads it (addresses left out:
 * a link's words say little, its host more), the hosts and top-level domains of its links, and a
 * few shapes (`_link`, `_manylinks`, `_shouting`, `_markup`, `_obfuscated`, `_shortener`) that spam
 * has and conversation rarely does.
 */
export function features(text: string, authorUrl = ''): string[] {
  const out = new Set<string>();
  const { text: plain, obfuscated } = readable(text);
  const links = text.match(URLS) ?? [];
  for (const word of plain.replace(URLS, ' ').match(/[a-z0-9$€£]+(?:'[a-z]+)?/g) ?? []) {
    if (word.length >= 2 && word.length <= 24 && !STOP_WORDS.has(word)) out.add(word);
  }
  for (const link of links) {
    const host = hostOf(link);
    if (!host) continue;
    out.add(`_host:${host}`);
    const labels = host.split('.');
    out.add(`_tld:${labels[labels.length - 1]}`);
    if (isShortener(host)) out.add('_shortener');
  }
  if (links.length > 0) out.add('_link');
  if (links.length > 2) out.add('_manylinks');
  if (authorUrl) out.add('_authorurl');
  if (obfuscated) out.add('_obfuscated');
  if (/<a\s|\[url=|\[link=|<\/a>|\[\/url\]/i.test(text)) out.add('_markup');
  const letters = text.replace(/[^A-Za-z]/g, '');
  if (letters.length >= 20 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.6) out.add('_shouting');
  return [...out].slice(0, MAX_FEATURES);
}

/** How strongly a word's few sightings are pulled back towards "says nothing" (Robinson's s). */
const STRENGTH = 3;
/** Only the most telling features vote (Graham): a long text is not judged by its filler words. */
const VOTERS = 15;

/**
 * The probability (0 to 1) that a text with these features is spam; 0.5 when nothing is known.
 * Each feature's spam probability is taken from how often it appears in spam and in genuine texts
 * (as shares, so the corpus's balance does not matter), pulled towards 0.5 when it was seen only a
 * few times; the most telling ones are combined as naive Bayes does.
 */
export function spamProbability(model: ClassifierModel, feats: readonly string[]): number {
  const { spam: spamDocs, ham: hamDocs } = model.docs;
  if (spamDocs === 0 || hamDocs === 0) return 0.5;
  const votes: number[] = [];
  for (const feature of feats) {
    const counts = model.words.get(feature);
    if (!counts || counts.spam + counts.ham === 0) continue; // a word never seen says nothing either way
    const spamShare = counts.spam / spamDocs;
    const hamShare = counts.ham / hamDocs;
    const p = spamShare / (spamShare + hamShare);
    const n = counts.spam + counts.ham;
    votes.push(Math.min(0.99, Math.max(0.01, (STRENGTH * 0.5 + n * p) / (STRENGTH + n))));
  }
  votes.sort((a, b) => Math.abs(b - 0.5) - Math.abs(a - 0.5));
  let logOdds = 0;
  for (const f of votes.slice(0, VOTERS)) logOdds += Math.log(f / (1 - f));
  return 1 / (1 + Math.exp(-logOdds));
}

/** Adds (or, with `weight` -1, removes) one text's features to the model, in memory. */
export function learn(model: ClassifierModel, feats: readonly string[], label: 'spam' | 'ham', weight: 1 | -1 = 1): void {
  model.docs[label] = Math.max(0, model.docs[label] + weight);
  for (const feature of feats) {
    const counts = model.words.get(feature) ?? { spam: 0, ham: 0 };
    counts[label] = Math.max(0, counts[label] + weight);
    model.words.set(feature, counts);
  }
}

export function emptyModel(): ClassifierModel {
  return { docs: { spam: 0, ham: 0 }, words: new Map() };
}
