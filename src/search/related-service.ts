// Related Articles, kept off the request path: a save enqueues a durable job that computes the
// story's vector and its list and stores both; the job for a newly published story then refreshes
// the lists it would now enter (REFRESH_MAX of them, each by a job of its own), so an older story's
// list picks up a newer relevant story as soon as the discovery lane runs, in seconds on a working
// site, never on a page view. A story leaving the site (unpublished, back to draft) leaves every
// list in its save's transaction, and those lists are refilled by jobs. A stored list that changes
// records `related:<id>`, which drops that story's cached page through the change feed.
import { Type, type Static } from 'typebox';
import { actorLabel } from '../accounts/audit-service.ts';
import type { ArticleService } from '../articles/article-service.ts';
import { isVisible } from '../articles/change-tags.ts';
import type { Article } from '../articles/model.ts';
import type { Actor } from '../newsroom/permissions.ts';
import type { ChangeFeed } from '../platform/changes.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError, invalidInput } from '../platform/errors.ts';
import { defineJob, enqueue } from '../platform/jobs.ts';
import type { RelatedRepository, StoredItem } from './related-repository.ts';
import { chooseList, inverseFrequency, rank, RELATED_MAX, sharedTerms, storyVector, topicTerm, type ScoredCandidate } from './related-score.ts';
import { documentOf } from './search-service.ts';
import { indexedText } from './search-text.ts';

export const RELATED_COMPUTE = defineJob({
  kind: 'related.compute',
  // A lane of its own: a burst of refreshes after a busy hour never delays a scheduled publication.
  lane: 'discovery',
  payload: Type.Object({
    articleId: Type.Integer({ minimum: 1 }),
    /** A newly published or updated story refreshes the lists it enters; a refresh does not cascade. */
    refreshOthers: Type.Boolean(),
  }),
});
export type RelatedJob = Static<typeof RELATED_COMPUTE.payload>;

/** The cache tag of a story's Related Articles (on its page only). */
export const relatedTag = (articleId: number) => `related:${articleId}`;
const jobKey = (articleId: number) => `${RELATED_COMPUTE.kind}:${articleId}`;

/** Candidates scored per story: the strongest overlaps from the postings, before decay and choices. */
const CANDIDATES = 200;
/** Other stories' lists a new story may refresh, at most (the most related first). */
export const REFRESH_MAX = 20;
/** Pins per story, at most: the whole row. */
export const PINS_MAX = RELATED_MAX;
/** The site's story count is re-read this often for the IDF (it moves slowly). */
const TOTAL_TTL_MS = 10 * 60_000;

export interface RelatedItemView extends StoredItem {
  headline: string;
  path: string;
  publishedAt: string;
}

export class RelatedService {
  private total: { value: number; at: number } | undefined;

  constructor(
    private readonly repo: RelatedRepository,
    private readonly articles: ArticleService,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  /** The save hook (ArticleService.onSave), in the save's transaction. */
  async follow(trx: Db, before: Article | undefined, after: Article): Promise<void> {
    const now = this.clock.now();
    const published = after.status === 'published' && after.publishedAt !== null;
    if (published) {
      // An embargoed story is computed when its time comes, and found by others from then on.
      const runAt = new Date(Math.max(now.getTime(), Date.parse(after.publishedAt!)));
      await enqueue(trx, RELATED_COMPUTE, { articleId: after.id, refreshOthers: true }, { now, runAt, dedupeKey: jobKey(after.id) });
      if (isVisible(after, now) || !isVisible(before, now)) return;
    }
    if (!isVisible(before, now) && !published) return;
    // Leaving the site: out of the index and out of every list now; those lists are refilled.
    const repo = this.repo.on(trx);
    await repo.removeVector(after.id);
    const listing = await repo.listing(after.id);
    await repo.dropFromLists(after.id);
    // Their cached pages carry this story's article tag, which the save itself records.
    for (const id of listing) await enqueue(trx, RELATED_COMPUTE, { articleId: id, refreshOthers: false }, { now, dedupeKey: jobKey(id) });
  }

  /** The job: the story's vector and list, stored; with `refreshOthers`, the lists it now enters. */
  async compute({ articleId, refreshOthers }: RelatedJob): Promise<StoredItem[]> {
    const now = this.clock.now();
    const article = await this.articles.findById(articleId);
    if (!isVisible(article, now)) {
      await this.repo.transaction((repo) => Promise.all([repo.removeVector(articleId), repo.replaceList(articleId, [])]));
      return [];
    }
    const story = article!;
    const text = indexedText(documentOf(story));
    const frequencies = await this.repo.documentFrequencies([...new Set([...text.headline, ...text.dek, ...text.body])]);
    const total = await this.totalStories();
    const vector = storyVector(text, story.topics.map((t) => t.id), (term) => inverseFrequency(frequencies.get(term) ?? 0, total));
    const epoch = Math.floor(Date.parse(story.publishedAt!) / 1000);
    const nowEpoch = Math.floor(now.getTime() / 1000);
    const { items, ranked, change } = await this.repo.transaction(async (repo, trx) => {
      await repo.putVector(articleId, epoch, vector, now.toISOString());
      const ranked = rank(await repo.overlaps(articleId, vector, nowEpoch, CANDIDATES), { articleId, publishedEpoch: epoch });
      const items = await this.listOf(repo, story, vector, ranked, nowEpoch);
      const changed = !sameList(await repo.list(articleId), items);
      if (changed) await repo.replaceList(articleId, items);
      return { items, ranked, change: changed ? await this.changes.record(trx, [relatedTag(articleId)]) : undefined };
    });
    if (change) this.changes.applied(change);
    if (refreshOthers) await this.refreshListsEntered(ranked);
    return items;
  }

  /** The stored list of a story, as readers' cards need it: ids in order. */
  async listed(articleId: number): Promise<number[]> {
    return (await this.repo.list(articleId)).map((item) => item.relatedId);
  }

  /** The stored list with its reasons and the editors' choices, for the newsroom. */
  async explain(articleId: number) {
    const [list, choices] = await Promise.all([this.repo.list(articleId), this.repo.choices(articleId)]);
    const ids = [...new Set([...list.map((i) => i.relatedId), ...choices.map((c) => c.relatedId)])];
    const stories = new Map((await Promise.all(ids.map((id) => this.articles.findById(id)))).flatMap((a) => (a ? [[a.id, a] as const] : [])));
    const describe = (id: number) => {
      const story = stories.get(id);
      return { headline: story?.headline ?? `Story ${id} (deleted)`, status: story?.status ?? 'deleted', path: story ? `/${story.section.slug}/${story.slug}` : '' };
    };
    return {
      items: list.map((item) => ({ ...item, ...describe(item.relatedId) })),
      choices: choices.map((choice) => ({ ...choice, ...describe(choice.relatedId) })),
    };
  }

  /** Refuses (404) a story that does not exist. */
  async requireStory(articleId: number): Promise<Article> {
    const story = await this.articles.findById(articleId);
    if (!story) throw new AppError('not_found', `There is no story with id ${articleId}.`);
    return story;
  }

  /** Pins `relatedId` under the story (after its other pins) or excludes it; the list is recomputed at once. */
  async choose(articleId: number, relatedId: number, choice: 'pin' | 'exclude', by: Actor): Promise<StoredItem[]> {
    await this.requireStory(articleId);
    if (relatedId === articleId) throw invalidInput([{ field: 'relatedId', message: 'A story cannot be related to itself.' }]);
    const related = await this.articles.findById(relatedId);
    if (!related) throw invalidInput([{ field: 'relatedId', message: `There is no story with id ${relatedId}.` }]);
    const now = this.clock.now();
    if (choice === 'pin' && !isVisible(related, now)) {
      throw invalidInput([{ field: 'relatedId', message: 'Only a story readers can see can be pinned: this one is not published.' }]);
    }
    const existing = await this.repo.choices(articleId);
    const pins = existing.filter((c) => c.choice === 'pin' && c.relatedId !== relatedId);
    if (choice === 'pin' && pins.length >= PINS_MAX) {
      throw invalidInput([{ field: 'relatedId', message: `At most ${PINS_MAX} stories can be pinned: unpin one first.` }]);
    }
    const position = Math.max(0, ...existing.map((c) => c.position + 1));
    await this.repo.setChoice(articleId, { relatedId, choice, position, chosenBy: actorLabel(by), chosenAt: now.toISOString() });
    return this.compute({ articleId, refreshOthers: false });
  }

  /** Takes back a pin or an exclusion; false when there was none. */
  async clearChoice(articleId: number, relatedId: number): Promise<boolean> {
    if (!(await this.repo.clearChoice(articleId, relatedId))) return false;
    await this.compute({ articleId, refreshOthers: false });
    return true;
  }

  /**
   * Stories readers can see that have no vector yet (published before this feature existed), a
   * batch per run, each by a job; a no-op once every indexed story has one.
   */
  async catchUp(batch = 500): Promise<number> {
    if ((await this.repo.vectorCount()) >= (await this.repo.indexedStories())) return 0;
    let queued = 0;
    for (let offset = 0; queued < batch; offset += batch) {
      const summaries = await this.articles.listPublished({}, { limit: batch, offset });
      const have = await this.repo.withVectors(summaries.map((s) => s.id), Number.MAX_SAFE_INTEGER);
      const missing = summaries.filter((s) => !have.has(s.id));
      const now = this.clock.now();
      await this.repo.transaction(async (_repo, trx) => {
        for (const s of missing) await enqueue(trx, RELATED_COMPUTE, { articleId: s.id, refreshOthers: false }, { now, dedupeKey: jobKey(s.id) });
      });
      queued += missing.length;
      if (summaries.length < batch) break;
    }
    return queued;
  }

  private async listOf(repo: RelatedRepository, story: Article, vector: [string, number][], ranked: ScoredCandidate[], nowEpoch: number): Promise<StoredItem[]> {
    const choices = await repo.choices(story.id);
    const pinned = await repo.withVectors(choices.filter((c) => c.choice === 'pin').map((c) => c.relatedId), nowEpoch);
    const chosen = chooseList(story.id, ranked, choices, (id) => pinned.has(id));
    const others = await repo.vectors(chosen.map((c) => c.relatedId));
    const topicNames = new Map(story.topics.map((t) => [topicTerm(t.id), t.name]));
    return chosen.map((item) => {
      const other = others.get(item.relatedId) ?? new Map<string, number>();
      const topics = [...topicNames].filter(([term]) => other.has(term)).map(([, name]) => name);
      const terms = sharedTerms(vector, other);
      if (item.pinned) return { relatedId: item.relatedId, score: 0, reason: { pinned: true, topics, terms, topicScore: 0, textScore: 0, ageDays: 0 } };
      const c = item.candidate;
      return { relatedId: item.relatedId, score: round(c.score), reason: { pinned: false, topics, terms, topicScore: round(c.topicScore), textScore: round(c.textScore), ageDays: round(c.ageDays) } };
    });
  }

  /** Queues a refresh of each list the story would now enter: shorter than the row, or weaker than it at the tail. */
  private async refreshListsEntered(ranked: ScoredCandidate[]): Promise<void> {
    const nearest = ranked.slice(0, REFRESH_MAX * 2);
    const tails = await this.repo.computedTails(nearest.map((c) => c.articleId));
    const entered = nearest.filter((c) => {
      const tail = tails.get(c.articleId);
      return !tail || tail.count < RELATED_MAX || tail.weakest < round(c.score);
    });
    if (entered.length === 0) return;
    const now = this.clock.now();
    await this.repo.transaction(async (_repo, trx) => {
      for (const c of entered.slice(0, REFRESH_MAX)) await enqueue(trx, RELATED_COMPUTE, { articleId: c.articleId, refreshOthers: false }, { now, dedupeKey: jobKey(c.articleId) });
    });
  }

  private async totalStories(): Promise<number> {
    const at = this.clock.now().getTime();
    if (!this.total || at - this.total.at > TOTAL_TTL_MS) this.total = { value: await this.repo.indexedStories(), at };
    return this.total.value;
  }
}

/** Scores as stored: six decimals, so both engines store and compare the same numbers. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function sameList(a: StoredItem[], b: StoredItem[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
