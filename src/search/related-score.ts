// How Related Articles are scored and chosen, as pure functions: the same stories, topics and
// vocabulary give the same list on every engine and every run, so a stored list can be explained
// and tested. A story is a vector of weighted terms: its strongest words by TF-IDF (headline and
// dek weigh more than the body; stop words never count) and its topics. Two stories' similarity
// is the dot product of their unit vectors, kept apart for words and for topics, and the score
// decays with the time between them, so a follow-up from the same week beats a year-old story
// with the same words.
import type { IndexedText } from './search-text.ts';
import { STOP_WORDS } from './related-stop-words.ts';

/** Cards under a story, at most. */
export const RELATED_MAX = 6;
/** Words kept in a story's vector: the strongest ones, enough to find its kin, few enough to look up fast. */
export const VECTOR_TERMS = 32;
/** A word in the headline counts as this many body mentions, in the dek as DEK_WEIGHT. */
const HEADLINE_WEIGHT = 3;
const DEK_WEIGHT = 2;
/** The weight of shared topics against shared words: an editor's topic is a strong, deliberate signal. */
export const TOPIC_WEIGHT = 0.6;
export const TEXT_WEIGHT = 1;
/**
 * Relevance floors, so a row is never padded with unrelated stories: words alone must overlap by
 * this much (cosine of the word vectors), or a shared topic must come with at least TOPIC_TEXT_FLOOR
 * of shared words (two stories tagged "Climate" about a flood and a wildfire are not kin unless
 * their words meet too).
 */
export const TEXT_FLOOR = 0.12;
export const TOPIC_TEXT_FLOOR = 0.03;
/** Days after which the score is halved: 1 / (1 + days / DECAY_DAYS). */
export const DECAY_DAYS = 30;

/** Topics enter a vector as terms that can never be words (words are letters and digits only). */
export const topicTerm = (topicId: number) => `topic:${topicId}`;
export const isTopicTerm = (term: string) => term.startsWith('topic:');

export type Vector = [term: string, weight: number][];

/**
 * A story's vector. `idf` gives a word's inverse document frequency in the site's vocabulary.
 * Words are weighted 1 + ln(tf) (a word said ten times is not ten times the subject), then unit
 * length; topics get equal weights of unit length of their own.
 */
export function storyVector(text: IndexedText, topicIds: readonly number[], idf: (term: string) => number): Vector {
  const counts = new Map<string, number>();
  const add = (words: string[], weight: number) => {
    for (const word of words) if (isContentWord(word)) counts.set(word, (counts.get(word) ?? 0) + weight);
  };
  add(text.headline, HEADLINE_WEIGHT);
  add(text.dek, DEK_WEIGHT);
  add(text.body, 1);
  const weighted = [...counts].map(([term, tf]): [string, number] => [term, (1 + Math.log(tf)) * idf(term)]);
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const words = unit(weighted.slice(0, VECTOR_TERMS));
  const topics = [...new Set(topicIds)].sort((a, b) => a - b);
  return [...words, ...topics.map((id): [string, number] => [topicTerm(id), 1 / Math.sqrt(topics.length)])];
}

/** A word worth comparing: not a stop word, not a bare number, at least three letters. */
function isContentWord(word: string): boolean {
  return word.length >= 3 && !STOP_WORDS.has(word) && !/^\d+$/.test(word);
}

function unit(vector: Vector): Vector {
  const norm = Math.sqrt(vector.reduce((sum, [, w]) => sum + w * w, 0));
  return norm === 0 ? [] : vector.map(([t, w]) => [t, w / norm]);
}

/** The inverse document frequency of a word used by `documents` of `total` stories (smoothed). */
export function inverseFrequency(documents: number, total: number): number {
  return Math.log((total + 1) / (documents + 1)) + 1;
}

/** Another story's overlap with this one, as the repository sums it from the postings. */
export interface Overlap {
  articleId: number;
  publishedEpoch: number;
  topicScore: number;
  textScore: number;
}

export interface ScoredCandidate extends Overlap {
  score: number;
  ageDays: number;
}

export function isRelevant(overlap: Pick<Overlap, 'topicScore' | 'textScore'>): boolean {
  return overlap.textScore >= TEXT_FLOOR || (overlap.topicScore > 0 && overlap.textScore >= TOPIC_TEXT_FLOOR);
}

/** Relevance, decayed by the days between the two stories' publication. */
export function scoreOf(overlap: Overlap, ownEpoch: number): ScoredCandidate {
  const ageDays = Math.abs(ownEpoch - overlap.publishedEpoch) / 86400;
  const relevance = TOPIC_WEIGHT * overlap.topicScore + TEXT_WEIGHT * overlap.textScore;
  return { ...overlap, ageDays, score: relevance / (1 + ageDays / DECAY_DAYS) };
}

/** The relevant candidates, best first (ties: the newer story, then the higher id). */
export function rank(overlaps: readonly Overlap[], own: { articleId: number; publishedEpoch: number }): ScoredCandidate[] {
  return overlaps
    .filter((o) => o.articleId !== own.articleId && isRelevant(o))
    .map((o) => scoreOf(o, own.publishedEpoch))
    .sort((a, b) => b.score - a.score || b.publishedEpoch - a.publishedEpoch || b.articleId - a.articleId);
}

export interface Choice {
  relatedId: number;
  choice: 'pin' | 'exclude';
  position: number;
}

export type ListItem = { relatedId: number; pinned: true } | { relatedId: number; pinned: false; candidate: ScoredCandidate };

/**
 * The stored list: the editors' pins first, in their order (those readers can see: `visible`),
 * then the best computed candidates not excluded and not pinned, up to RELATED_MAX. Never the
 * story itself.
 */
export function chooseList(articleId: number, ranked: readonly ScoredCandidate[], choices: readonly Choice[], visible: (id: number) => boolean): ListItem[] {
  const pins = choices
    .filter((c) => c.choice === 'pin' && c.relatedId !== articleId && visible(c.relatedId))
    .sort((a, b) => a.position - b.position);
  const out: ListItem[] = pins.slice(0, RELATED_MAX).map((c) => ({ relatedId: c.relatedId, pinned: true }));
  const taken = new Set([articleId, ...choices.map((c) => c.relatedId)]);
  for (const candidate of ranked) {
    if (out.length >= RELATED_MAX) break;
    if (taken.has(candidate.articleId)) continue;
    taken.add(candidate.articleId);
    out.push({ relatedId: candidate.articleId, pinned: false, candidate });
  }
  return out;
}

/**
 * The words two vectors share, strongest contribution first: what the newsroom shows as "top
 * shared terms".
 */
export function sharedTerms(own: Vector, other: ReadonlyMap<string, number>, limit = 5): string[] {
  return own
    .filter(([term]) => !isTopicTerm(term) && other.has(term))
    .map(([term, w]): [string, number] => [term, w * other.get(term)!])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([term]) => term);
}
