// Topic suggestions for a story, computed when it is saved (a durable job) and stored for that
// version: the names and subjects its text holds (articles/topics/topic-extraction.ts: the
// newsroom's topics as a gazetteer, runs of proper nouns, the compromise library), and the topics
// editors gave the stories most like it (the Related Articles index): subjects a story rarely
// names in so many words ("Public Health" for a measles outbreak). Topics already on the story and
// those an editor rejected for it are left out.
import { Type } from 'typebox';
import { actorLabel } from '../accounts/audit-service.ts';
import type { ArticleService } from '../articles/article-service.ts';
import { blockText } from '../articles/body.ts';
import type { Article } from '../articles/model.ts';
import type { StoryText, Suggestion } from '../articles/topics/topic-extraction.ts';
import type { TopicKind } from '../articles/topics/topic-kinds.ts';
import { nameKey } from '../articles/topics/topic-names.ts';
import type { TopicService } from '../articles/topics/topic-service.ts';
import type { Actor } from '../newsroom/permissions.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { defineJob, enqueue } from '../platform/jobs.ts';
import type { RelatedRepository } from './related-repository.ts';
import { inverseFrequency, isTopicTerm, storyVector, VECTOR_TERMS } from './related-score.ts';
import { indexedText } from './search-text.ts';
import type { TopicSuggestionRepository } from './topic-suggestion-repository.ts';

export const SUGGEST_TOPICS = defineJob({
  kind: 'related.suggest-topics',
  lane: 'discovery',
  payload: Type.Object({ articleId: Type.Integer({ minimum: 1 }) }),
});

/**
 * The extractor and the NLP library under it (several hundred modules): loaded by the first story
 * read for topics, so that a process that never suggests any (a CLI command, a node serving pages,
 * a test) does not pay for them at start.
 */
const loadExtractor = () => import('../articles/topics/topic-extraction.ts');

/** Suggestions shown, at most. */
export const SUGGESTIONS_MAX = 10;
/**
 * Stories like this one whose topics vote, and how alike they must be (cosine of their words).
 * All of the story's vector words look for them, not only the strongest few Related Articles
 * reads: those are mostly the story's own names, which a new story shares with no other, so the
 * stories about the same kind of thing (a flood, a rate decision) were never found. The floor is
 * low because the votes below are weighed by similarity: many faint neighbours agreeing on a
 * subject is the signal a small site has.
 */
const NEIGHBOURS = 20;
const NEIGHBOUR_FLOOR = 0.02;
/**
 * A topic's vote is the summed similarity of the neighbours carrying it; a vote of FULL_VOTE counts
 * as much as NEIGHBOUR_WEIGHT of the text's best name (votes are absolute: one faint neighbour is
 * not a strong signal because it is the only one). Half the best name: with fainter neighbours
 * voting, their topics fill the list under what the text itself names rather than above it.
 */
const NEIGHBOUR_WEIGHT = 0.5;
const FULL_VOTE = 0.25;

export interface TopicSuggestion {
  name: string;
  kind: TopicKind;
  score: number;
  /** Other spellings met in the text (kept as aliases when accepted). */
  variants: string[];
}

export class TopicSuggestionService {
  constructor(
    private readonly repo: TopicSuggestionRepository,
    private readonly related: RelatedRepository,
    private readonly articles: ArticleService,
    private readonly topics: TopicService,
    private readonly clock: Clock,
  ) {}

  /** The save hook: suggestions for the saved version, off the request path. */
  async follow(trx: Db, article: Article): Promise<void> {
    const now = this.clock.now();
    await enqueue(trx, SUGGEST_TOPICS, { articleId: article.id }, { now, dedupeKey: `${SUGGEST_TOPICS.kind}:${article.id}` });
  }

  /** The job: computes and stores the suggestions of the story's current version. */
  async compute(articleId: number): Promise<void> {
    const article = await this.articles.findById(articleId);
    if (article) await this.store(article);
  }

  /** The story's suggestions, best first: stored for its version, else computed now. */
  async suggestionsFor(articleId: number): Promise<TopicSuggestion[]> {
    const article = await this.articles.findById(articleId);
    if (!article) throw new AppError('not_found', `There is no story with id ${articleId}.`);
    const stored = await this.repo.stored(articleId);
    const suggestions = stored && stored.version === article.version ? stored.suggestions : await this.store(article);
    const rejected = await this.repo.rejected(articleId);
    const own = new Set(article.topics.map((t) => nameKey(t.name)));
    return suggestions
      .filter((s) => !own.has(nameKey(s.name)) && !rejected.has(nameKey(s.name)))
      .slice(0, SUGGESTIONS_MAX)
      .map((s) => ({ name: s.name, kind: s.kind, score: s.score, variants: s.variants }));
  }

  /** An editor's "not this one": it is not suggested for the story again. */
  async reject(articleId: number, name: string, by: Actor): Promise<void> {
    await this.repo.reject(articleId, nameKey(name), name, actorLabel(by), this.clock.now().toISOString());
  }

  /** An editor's "yes": the topic (new or existing) keeps the spellings met and the kind found. */
  async accepted(suggestion: TopicSuggestion): Promise<void> {
    await this.topics.learn(suggestion.name, [suggestion.name, ...suggestion.variants], suggestion.kind);
  }

  /** Suggestions for a text alone (the benchmark and the measurement of unseen stories). */
  async forText(articleId: number, text: StoryText): Promise<Suggestion[]> {
    const known = await this.topics.gazetteer();
    const { extractTopics } = await loadExtractor();
    const found = extractTopics(text, known, SUGGESTIONS_MAX * 2);
    return this.withNeighbours(articleId, text, found);
  }

  private async store(article: Article): Promise<Suggestion[]> {
    const suggestions = await this.forText(article.id, storyText(article));
    await this.repo.store(article.id, article.version, suggestions, this.clock.now().toISOString());
    return suggestions;
  }

  /** Adds the topics of the most alike stories, by how alike they are, to what the text named. */
  private async withNeighbours(articleId: number, text: StoryText, found: Suggestion[]): Promise<Suggestion[]> {
    const indexed = indexedText({ headline: text.headline, dek: text.dek, body: text.paragraphs.join('\n') });
    const frequencies = await this.related.documentFrequencies([...new Set([...indexed.headline, ...indexed.dek, ...indexed.body])]);
    const total = await this.related.indexedStories();
    const vector = storyVector(indexed, [], (term) => inverseFrequency(frequencies.get(term) ?? 0, total));
    const neighbours = (await this.related.overlaps(articleId, vector, Math.floor(this.clock.now().getTime() / 1000), NEIGHBOURS, VECTOR_TERMS)).filter((n) => n.textScore >= NEIGHBOUR_FLOOR);
    const vectors = await this.related.vectors(neighbours.map((n) => n.articleId));
    const votes = new Map<number, number>();
    for (const n of neighbours) {
      for (const term of vectors.get(n.articleId)?.keys() ?? []) {
        if (isTopicTerm(term)) votes.set(Number(term.slice('topic:'.length)), (votes.get(Number(term.slice('topic:'.length))) ?? 0) + n.textScore);
      }
    }
    const merged = new Map(found.map((s) => [nameKey(s.name), { ...s }]));
    for (const topic of await this.topics.byIds([...votes.keys()])) {
      const vote = NEIGHBOUR_WEIGHT * Math.min(1, votes.get(topic.id)! / FULL_VOTE);
      const key = nameKey(topic.name);
      const entry = merged.get(key);
      if (entry) entry.score += vote;
      else merged.set(key, { name: topic.name, kind: topic.kind, score: vote, existing: true, variants: [] });
    }
    const list = [...merged.values()].sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1));
    const top = list[0]?.score ?? 1;
    return list.map((s) => ({ ...s, score: Math.round((s.score / top) * 1000) / 1000 }));
  }
}

/** A story's text as the extractor reads it: headline, dek, and its paragraphs and sub-headings. */
export function storyText(article: Pick<Article, 'headline' | 'dek' | 'body'>): StoryText {
  return {
    headline: article.headline,
    dek: article.dek,
    paragraphs: article.body.content.flatMap((block) => (block.type === 'paragraph' || block.type === 'heading' ? [blockText(block)] : [])).filter(Boolean),
  };
}
