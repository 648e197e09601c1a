// Topic suggestions from a story's text: people, places, organisations and subjects. No name list
// is complete, so three sources are combined: the newsroom's own topics as a gazetteer (its names
// and aliases found in the text, whatever the case), runs of proper nouns (capitalised words, titles
// like "President" taken off), and the `compromise` library, which knows common first names,
// countries and cities, to say what kind of thing each run is. Variants of a name are one
// suggestion (topic-names.ts), a lone surname counts for the full name it stands for, and a
// demonym ("Russian") counts a little for its country. Runs offline; no model is downloaded.
import nlp from 'compromise';
import { STOP_WORDS } from '../../search/related-stop-words.ts';
import { fold } from '../../search/search-text.ts';
import { SUBJECTS } from './subject-lexicon.ts';
import type { TopicKind } from './topic-kinds.ts';
import { nameKey, sameName, stripPossessive } from './topic-names.ts';

export interface KnownTopic {
  name: string;
  kind: TopicKind;
  aliases: readonly string[];
}

export interface Suggestion {
  name: string;
  kind: TopicKind;
  /** 0 to 1, the best suggestion of the story 1. */
  score: number;
  /** An existing topic's name when it is one. */
  existing: boolean;
  /** Other spellings met in the text, kept as the topic's aliases when it is accepted. */
  variants: string[];
}

/** Where a mention sits: the headline says what a story is about more than its tenth paragraph. */
const WEIGHTS = { headline: 3, dek: 2, lead: 1.5, body: 1 };
const LEAD_PARAGRAPHS = 2;
/** A known topic is a deliberate newsroom word: it counts this much more than a fresh run. */
const KNOWN_BONUS = 1.5;
/** Titles before a name ("President Donald Trump"), taken off the run. */
const TITLES = new Set(
  'president vice prime minister premier secretary sen senator rep representative gov governor mayor chancellor king queen prince princess pope general gen col lt sgt chief justice judge dr mr mrs ms sir dame lord lady ambassador spokesman spokeswoman spokesperson leader deputy foreign defence defense finance education health minister\'s cabinet councillor councilor mp mla commissioner director ceo chair chairman chairwoman professor prof coach captain officer inspector detective'.split(' '),
);
/** Capitalised words that start sentences or headings, never a topic on their own. */
const NOT_NAMES = new Set(
  'a an the this that these those it its he she they we i you his her their our my but and or so yet if when while after before as at by for from in into of on to with without about over under then there here what who why how which where not no yes all some many more most one two three four five six seven eight nine ten first last new story click watch read monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december mr mrs ms thank thanks i’m i\'m it’s it\'s don’t don\'t do does did is are was were be been has have had will would can could should also even just still yet ending like'.split(' '),
);
const ORGANIZATION_ENDINGS = /\b(inc|corp|corporation|company|co|ltd|group|party|council|ministry|department|agency|bank|union|association|university|college|school|board|commission|committee|court|parliament|senate|congress|police|army|navy|forces|service|authority|institute|foundation|federation|league|club|press|news|times|rail|airlines?|energy|markets)$/i;
/** First words that make a name a place ("Port Ellery", "North Dakota"), never a first name. */
const PLACE_WORDS = new Set('north south east west northern southern eastern western central upper lower greater new port fort mount lake cape'.split(' '));
const DEMONYMS: Record<string, string> = {
  russian: 'Russia', russians: 'Russia', ukrainian: 'Ukraine', ukrainians: 'Ukraine', american: 'United States', americans: 'United States',
  canadian: 'Canada', canadians: 'Canada', chinese: 'China', israeli: 'Israel', israelis: 'Israel', palestinian: 'Palestine', british: 'United Kingdom',
  french: 'France', german: 'Germany', european: 'Europe', iranian: 'Iran', indian: 'India', japanese: 'Japan', mexican: 'Mexico', polish: 'Poland', hungarian: 'Hungary',
};
const DEMONYM_WEIGHT = 0.5;
/**
 * Subjects the text names in plain words ("interest rates", "cancer") count at this share of their
 * mentions, so names lead and subjects fill the list; KEYWORDS of them at most, each said at least
 * KEYWORD_MIN (weighted) times.
 */
const KEYWORD_SHARE = 0.3;
const KEYWORDS = 4;
const KEYWORD_MIN = 4;
const KEYWORD_PAIR_MIN = 3;
/** Words stories use for every subject: never a subject of their own. */
const GENERIC = new Set(
  'government minister ministers officials official plan plans people residents city town province country state region community public year years week weeks months group groups number numbers percent cent million billion dollars money cost costs report reports decision meeting meetings members member team part area areas place case cases issue issues change changes time times family families work workers home homes school local statement news week weekend morning night evening afternoon thursday interview spokesperson president leader leaders talks call calls side sides point points level levels deal question questions office offices support result results'.split(' '),
);
const MIN_SCORE_WEIGHT = 2;
/**
 * Broad subjects from the lexicon (subject-lexicon.ts): a story must use SUBJECT_CUES of a
 * subject's cues, SUBJECT_MIN (weighted) times in all, to have it suggested; it counts at
 * SUBJECT_SHARE of those uses, SUBJECTS_MAX of them at most, so names still lead the list.
 */
const SUBJECT_CUES = 2;
const SUBJECT_MIN = 5;
const SUBJECT_SHARE = 0.3;
const SUBJECTS_MAX = 3;

interface Candidate {
  name: string;
  key: string;
  weight: number;
  kind?: TopicKind;
  existing: boolean;
  variants: Set<string>;
}

export interface StoryText {
  headline: string;
  dek: string;
  /** Paragraphs and sub-headings, in order. */
  paragraphs: string[];
}

/** The best `limit` suggestions for a story, best first. */
export function extractTopics(text: StoryText, known: readonly KnownTopic[], limit = 10): Suggestion[] {
  const parts: [string, number][] = [
    [text.headline, WEIGHTS.headline],
    [text.dek, WEIGHTS.dek],
    ...text.paragraphs.map((p, i): [string, number] => [p, i < LEAD_PARAGRAPHS ? WEIGHTS.lead : WEIGHTS.body]),
  ];
  const runs = new Map<string, Candidate>();
  // Words the story also writes in lower case: capitalised only at the start of a sentence, not names.
  const lowerWords = new Set(parts.flatMap(([t]) => t.match(/(?<![\p{L}\p{N}])\p{Ll}[\p{L}'’-]*/gu) ?? []).map((w) => fold(w)));
  const casedWords = new Set(parts.flatMap(([t]) => t.match(/(?<![.!?:]\s)(?<!^)\b\p{Lu}\p{L}+/gu) ?? []).map((w) => w.toLowerCase()));
  for (const [part, weight] of parts) for (const run of properNounRuns(part, lowerWords, casedWords)) add(runs, run, weight);
  const candidates = [...runs.values()];
  mergeSurnames(candidates);
  const found = matchKnown(parts, known, candidates);
  addDemonyms(parts, found);
  addKeywords(parts, found, casedWords);
  addSubjects(parts, found, known);
  // Only those that can make the list need a kind (the library is the costly part).
  classify(found.filter((c) => !c.kind && (c.existing || c.weight >= MIN_SCORE_WEIGHT)).sort((a, b) => b.weight - a.weight).slice(0, limit * 2));
  return found
    .filter((c) => c.existing || c.weight >= MIN_SCORE_WEIGHT)
    .map((c) => ({ ...c, weight: c.weight * (c.existing ? KNOWN_BONUS : 1) }))
    .sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1))
    .slice(0, limit)
    .map((c, _i, list) => ({ name: c.name, kind: c.kind ?? 'subject', score: Math.round((c.weight / list[0]!.weight) * 1000) / 1000, existing: c.existing, variants: [...c.variants].filter((v) => v !== c.name) }));
}

/** Runs of capitalised words in a sentence, titles taken off; a sentence's first word only if it is capitalised elsewhere too. */
function properNounRuns(text: string, lowerWords: Set<string>, casedWords: Set<string>): string[] {
  const out: string[] = [];
  for (const sentence of text.split(/(?<=[.!?:;“”"])\s+|\s+[–—]\s+|\n+/u)) {
    const raw = sentence.split(/\s+/);
    const tokens = raw.map((t) => t.replace(/^[“"‘'([]+|[”"’'),.;:!?\]]+$/gu, ''));
    let run: string[] = [];
    const flush = () => {
      // "US President Donald Trump", "Halvard Premier Anneke Voss": the name is what follows the last title.
      const lastTitle = run.findLastIndex((word, i) => i < run.length - 1 && (TITLES.has(word.toLowerCase().replace(/\.$/, '')) || DEMONYMS[word.toLowerCase()] !== undefined));
      if (lastTitle >= 0) run = run.slice(lastTitle + 1);
      // "Providing Tomahawks": a word the story also writes in lower case starts no name.
      while (run.length > 1 && lowerWords.has(fold(run[0]!))) run.shift();
      const alone = run.length === 1 ? run[0]!.toLowerCase().replace(/\.$/, '') : '';
      if (run.length && !NOT_NAMES.has(alone) && !TITLES.has(alone)) out.push(stripPossessive(run.join(' ')));
      run = [];
    };
    tokens.forEach((token, index) => {
      const capitalised = /^\p{Lu}[\p{L}\p{M}'’.-]*$/u.test(token) && /\p{L}{2}/u.test(token);
      const sentenceStart = index === 0;
      const known = !sentenceStart || casedWords.has(stripPossessive(token).toLowerCase()) || !lowerWords.has(fold(token));
      if (capitalised && known && !(run.length === 0 && NOT_NAMES.has(token.toLowerCase()))) {
        run.push(token);
        // A possessive or a comma ends the name: "Russia’s Vladimir Putin" is two, so is "Dr. Rukmini Sorensen, Lowmere".
        if (/['’]s$/u.test(token) || /[,;:)”"]$/u.test(raw[index]!)) flush();
      } else if (run.length && (token === 'of' || token === 'de' || token === 'du') && /^\p{Lu}/u.test(tokens[index + 1] ?? '')) {
        run.push(token);
      } else {
        flush();
      }
    });
    flush();
  }
  // Shouted words (a heading in capitals) are not names; acronyms (NATO, UN) are.
  return out.filter((name) => (name.length >= 2 && !/^\p{Lu}+$/u.test(name)) || /^\p{Lu}{2,6}$/u.test(name));
}

function add(into: Map<string, Candidate>, name: string, weight: number): void {
  const key = nameKey(name);
  if (!key || DEMONYMS[name.toLowerCase()]) return;
  const found = into.get(key);
  if (found) {
    found.weight += weight;
    found.variants.add(name);
  } else {
    into.set(key, { name, key, weight, existing: false, variants: new Set([name]) });
  }
}

/** "Zelenskyy" alone, after "Volodymyr Zelenskyy": the full name's mention. */
function mergeSurnames(candidates: Candidate[]): void {
  for (const single of candidates.filter((c) => !c.key.includes(' '))) {
    // The most mentioned full name ending in it; "Trump-Putin" (a compound, not a name) never.
    const full = candidates
      .filter((c) => c !== single && looksLikePersonName(c.name) && sameName(c.key.split(' ').at(-1)!, single.key))
      .sort((a, b) => b.weight - a.weight)[0];
    if (!full) continue;
    full.weight += single.weight;
    for (const v of single.variants) full.variants.add(v);
    single.weight = 0;
  }
}

/**
 * Two to four capitalised words, no "of", no organisation ending, no hyphenated compound
 * ("Trump-Putin"), no place word first: "South Lowmere" is part of Lowmere, not a person whose
 * surname is Lowmere.
 */
function looksLikePersonName(name: string): boolean {
  const words = name.split(' ');
  return words.length >= 2 && words.length <= 4 && words.every((w) => /^\p{Lu}/u.test(w)) && !name.includes('-') && !ORGANIZATION_ENDINGS.test(name) && !PLACE_WORDS.has(words[0]!.toLowerCase());
}

/**
 * The newsroom's topics found in the text (by name or alias, whatever the case; plurals as
 * singulars), each taking in the runs that are its variants. Returns every candidate left.
 */
function matchKnown(parts: [string, number][], known: readonly KnownTopic[], candidates: Candidate[]): Candidate[] {
  const folded = parts.map(([text, weight]): [string, number] => [` ${stems(text)} `, weight]);
  const out = candidates.filter((c) => c.weight > 0);
  for (const topic of known) {
    const spellings = [topic.name, ...topic.aliases];
    const keys = spellings.map(nameKey);
    let weight = 0;
    for (const spelling of spellings) {
      const needle = stems(spelling);
      if (!needle) continue;
      const pattern = new RegExp(` ${escape(needle)} `, 'gu');
      for (const [text, w] of folded) weight += (text.match(pattern)?.length ?? 0) * w;
    }
    const variants = out.filter((c) => keys.some((k) => sameName(k, c.key) || ((topic.kind === 'person' || looksLikePersonName(topic.name)) && !c.key.includes(' ') && sameName(k.split(' ').at(-1)!, c.key))));
    for (const v of variants) out.splice(out.indexOf(v), 1);
    const runWeight = variants.reduce((sum, v) => sum + v.weight, 0);
    weight = Math.max(weight, runWeight);
    if (weight === 0) continue;
    // A topic filed as a subject before kinds existed is classified like a fresh name, if it looks like one.
    const kind = topic.kind === 'subject' && /^\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)+$/u.test(topic.name) ? undefined : topic.kind;
    out.push({ name: topic.name, key: keys[0]!, weight, kind, existing: true, variants: new Set(variants.flatMap((v) => [...v.variants])) });
  }
  return out;
}

function addDemonyms(parts: [string, number][], candidates: Candidate[]): void {
  for (const [text, weight] of parts) {
    for (const word of text.match(/\b\p{Lu}\p{Ll}+\b/gu) ?? []) {
      const country = DEMONYMS[word.toLowerCase()];
      if (!country) continue;
      const key = nameKey(country);
      const found = candidates.find((c) => c.key === key);
      if (found) found.weight += weight * DEMONYM_WEIGHT;
      else candidates.push({ name: country, key, weight: weight * DEMONYM_WEIGHT, kind: 'place', existing: false, variants: new Set() });
    }
  }
}

/**
 * The subjects a story names in plain words: its most repeated content words and pairs of them
 * (by stem, shown as the text most often writes them), unless a name or known topic has them.
 */
function addKeywords(parts: [string, number][], candidates: Candidate[], casedWords: Set<string>): void {
  const counts = new Map<string, { weight: number; forms: Map<string, number> }>();
  const count = (stem: string, form: string, weight: number) => {
    const entry = counts.get(stem) ?? { weight: 0, forms: new Map<string, number>() };
    entry.weight += weight;
    entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
    counts.set(stem, entry);
  };
  for (const [text, weight] of parts) {
    for (const sentence of text.split(/[.!?;:,“”"()–—]+/u)) {
      const words = sentence.split(/\s+/).map((w) => w.replace(/['’]s$/u, '')).filter(Boolean);
      words.forEach((word, i) => {
        if (!isSubjectWord(word, casedWords)) return;
        count(stems(word), word.toLowerCase(), weight);
        const next = words[i + 1];
        if (next && isSubjectWord(next, casedWords)) count(`${stems(word)} ${stems(next)}`, `${word} ${next}`.toLowerCase(), weight * 1.5);
      });
    }
  }
  const taken = new Set(candidates.flatMap((c) => [stems(c.name), ...[...c.variants].map(stems)]));
  const chosen = [...counts]
    .filter(([stem, entry]) => entry.weight >= (stem.includes(' ') ? KEYWORD_PAIR_MIN : KEYWORD_MIN) && !taken.has(stem) && ![...taken].some((t) => ` ${t} `.includes(` ${stem} `)))
    .sort((a, b) => b[1].weight - a[1].weight || (a[0] < b[0] ? -1 : 1));
  const kept: string[] = [];
  for (const [stem, entry] of chosen) {
    if (kept.length >= KEYWORDS) break;
    // A pair takes the place of its words ("interest rates" over "rates").
    if (kept.some((k) => k.split(' ').includes(stem) || stem.split(' ').includes(k))) continue;
    kept.push(stem);
    const form = [...entry.forms].sort((a, b) => b[1] - a[1])[0]![0];
    candidates.push({ name: form[0]!.toUpperCase() + form.slice(1), key: nameKey(form), weight: entry.weight * KEYWORD_SHARE, kind: 'subject', existing: false, variants: new Set() });
  }
}

/**
 * A cue's key in the index: its stem, or the word itself ("=fares") where the rough stem is a
 * short other word ("far" from "fares", "st" from "stations", "rul" from "ruling") that would
 * match everywhere.
 */
function cueKey(cue: string): string {
  const stem = stems(cue);
  return !stem.includes(' ') && stem.length <= 3 && stem !== fold(cue) ? `=${fold(cue)}` : stem;
}

/** Cue keys of the lexicon, each with its subjects: built once. */
let cueIndex: Map<string, number[]> | undefined;

/**
 * The broad subjects whose cues the story uses (several of them, several times), under the
 * newsroom's own name for the subject when it has one; added to a candidate already there.
 */
function addSubjects(parts: [string, number][], candidates: Candidate[], known: readonly KnownTopic[]): void {
  cueIndex ??= SUBJECTS.reduce((index, subject, i) => {
    for (const cue of subject.cues) index.set(cueKey(cue), [...(index.get(cueKey(cue)) ?? []), i]);
    return index;
  }, new Map<string, number[]>());
  const uses = new Map<number, { weight: number; cues: Set<string> }>();
  for (const [text, weight] of parts) {
    const words = stems(text).split(' ');
    // The same words unstemmed, for the cues matched as written (see cueKey).
    const exact = fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    for (let i = 0; i < words.length; i++) {
      for (let n = 1; n <= 3 && i + n <= words.length; n++) {
        const phrases = n === 1 ? [words[i]!, `=${exact[i]}`] : [words.slice(i, i + n).join(' ')];
        for (const phrase of phrases) {
          for (const subject of cueIndex.get(phrase) ?? []) {
            const entry = uses.get(subject) ?? { weight: 0, cues: new Set<string>() };
            entry.weight += weight;
            entry.cues.add(phrase);
            uses.set(subject, entry);
          }
        }
      }
    }
  }
  const byStem = new Map(known.map((topic) => [stems(topic.name), topic]));
  const chosen = [...uses]
    .filter(([, use]) => use.cues.size >= SUBJECT_CUES && use.weight >= SUBJECT_MIN)
    .sort((a, b) => b[1].weight - a[1].weight || a[0] - b[0])
    .slice(0, SUBJECTS_MAX);
  for (const [index, use] of chosen) {
    const subject = SUBJECTS[index]!;
    const names = [subject.name, ...(subject.also ?? [])].map(stems);
    const weight = use.weight * SUBJECT_SHARE;
    const topic = names.map((stem) => byStem.get(stem)).find(Boolean);
    const there = candidates.find((c) => names.includes(stems(c.name)));
    if (there && (there.existing || !topic)) {
      there.weight += weight;
      continue;
    }
    // A plain word of the text ("Jobs") gives way to the newsroom's name for its subject ("Labour").
    if (there) candidates.splice(candidates.indexOf(there), 1);
    const name = topic?.name ?? subject.name;
    candidates.push({ name, key: nameKey(name), weight: weight + (there?.weight ?? 0), kind: 'subject', existing: topic !== undefined, variants: new Set() });
  }
}

function isSubjectWord(word: string, casedWords: Set<string>): boolean {
  const lower = word.toLowerCase();
  return /^\p{Ll}[\p{Ll}-]{3,}$/u.test(word) && !STOP_WORDS.has(lower) && !GENERIC.has(lower) && !casedWords.has(lower) && !/(ly|ing)$/u.test(lower);
}

/** One compromise document of short sentences, one per candidate, so each is tagged with the library's lexicon at once. */
function classify(candidates: Candidate[]): void {
  if (candidates.length === 0) return;
  const doc = nlp(candidates.map((c) => `${c.name.replace(/[.!?]/g, '')} spoke.`).join(' '));
  const sentences = doc.sentences();
  candidates.forEach((candidate, index) => {
    // A sentence of the document is a view like the document itself (the types say less).
    const sentence = sentences.eq(index) as typeof doc;
    if (!sentence.found) return;
    if (sentence.people().found) candidate.kind = 'person';
    else if (sentence.places().found) candidate.kind = 'place';
    else if (sentence.organizations().found || ORGANIZATION_ENDINGS.test(candidate.name) || /^\p{Lu}{2,6}$/u.test(candidate.name)) candidate.kind = 'organization';
  });
}

/**
 * Folded words cut to a rough stem, so a topic meets its other forms: "Flooding" and "floods",
 * "Vaccines" and "vaccination", "Elections" and "election". Rough is enough: both sides are cut
 * the same way, and only whole stems match.
 */
export function stems(text: string): string {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => (word.length <= 4 ? word : word.replace(/(ations?|ings?|ed|es|s)$/u, '').replace(/(.)\1$/u, '$1')))
    .join(' ');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
