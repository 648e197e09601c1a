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

/**
 * What the classifier looks at: lower-cased words (letters and digits, accents folded), the
 * domains of any addresses, and a few shapes (`_link`, `_manylinks`, `_shouting`, `_markup`)
 * that spam has and conversation rarely does.
 */
export function features(text: string, authorUrl = ''): string[] {
  const out = new Set<string>();
  const folded = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  for (const word of folded.match(/[a-z0-9$€£]+(?:'[a-z]+)?/g) ?? []) {
    if (word.length >= 2 && word.length <= 24 && !STOP_WORDS.has(word)) out.add(word);
  }
  const links = text.match(/\b(?:https?:\/\/|www\.)[^\s<>"']+/gi) ?? [];
  for (const link of links) {
    const host = /^(?:https?:\/\/)?([^/?#:]+)/i.exec(link)?.[1]?.toLowerCase().replace(/^www\./, '');
    if (host) out.add(`_host:${host}`);
    const tld = host?.split('.').pop();
    if (tld) out.add(`_tld:${tld}`);
  }
  if (links.length > 0) out.add('_link');
  if (links.length > 2) out.add('_manylinks');
  if (authorUrl) out.add('_authorurl');
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
