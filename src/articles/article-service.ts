// The rules for writing stories: how saves, workflow moves and working copies are written, and
// which cache tags each touches (what readers and the newsroom read: story-reads.ts; save checks:
// save-rules.ts; side effects: save-effects.ts; tags: change-tags.ts; move rules: workflow.ts).
import type { ChangeFeed } from '../platform/changes.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError, conflict, invalidInput } from '../platform/errors.ts';
import type { LibraryImages } from './lead-image.ts';
import { changeTags, tags } from './change-tags.ts';
import { afterWrite, uniqueSlug, type SaveHook } from './save-effects.ts';
import { checkSave, checkSection } from './save-rules.ts';
import type { Article, ArticleInput, Section, WorkflowAction } from './model.ts';
import type { PublishJobPayload } from './publish-job.ts';
import type { ArticleRecord, ArticleRepository } from './article-repository.ts';
import { StoryReads } from './story-reads.ts';
import {
  asInput,
  checkCorrection,
  planMove,
  requirePublished,
  type MoveActor,
  type MoveJournal,
  type MoveTarget,
} from './workflow.ts';

/** A save checked and ready to write. */
interface PreparedSave {
  existing: Article | undefined;
  record: ArticleRecord;
  authorIds: number[];
  topics: { slug: string; name: string }[];
  explicitSlug: boolean;
  /** Writes that belong with this save (a correction, dropping a working copy), before it is re-read. */
  alongside?: (repo: ArticleRepository) => Promise<void>;
  /** The workflow move this save is, for the audit log. */
  move?: { action: WorkflowAction; by: MoveActor };
  /** A caller's own rows that must commit or fail with this save (an importer's ledger). */
  within?: SaveAlongside;
}

/** Runs inside a save's transaction, after the story is written; throwing undoes the whole save. */
export type SaveAlongside = (trx: Db, article: Article, before: Article | undefined) => Promise<void>;

export class ArticleService extends StoryReads {
  private readonly saveHooks: SaveHook[] = [];

  constructor(
    repo: ArticleRepository,
    private readonly changes: ChangeFeed,
    clock: Clock,
    /** The media library, for lead images chosen from it. */
    private readonly images?: LibraryImages,
    /** The audit log, for publishing, scheduling, unpublishing and corrections. */
    private readonly journal?: MoveJournal,
  ) {
    super(repo, clock);
    changes.onChange((changed) => {
      if (changed.includes(tags.sections)) this.forgetSections();
    });
  }

  /** Adds work to every save's transaction (see SaveHook). */
  onSave(hook: SaveHook): void { this.saveHooks.push(hook); }

  // Writing

  async createSection(input: { name: string; slug?: string; description?: string; position?: number }): Promise<Section> {
    const { name, slug } = checkSection(input);
    if (await this.sectionBySlug(slug)) throw conflict(`A section with the slug "${slug}" exists already.`, 'slug');
    const position = input.position ?? (await this.sections()).length;
    const { section, changed } = await this.repo.transaction(async (repo, trx) => ({
      section: await repo.insertSection({ name, slug, description: input.description ?? '', position }),
      changed: await this.changes.record(trx, [tags.sections]),
    }));
    this.forgetSections();
    this.changes.applied(changed);
    return section;
  }


  /**
   * Creates a story, or updates story `id`. Every save writes a revision and records the cache tags
   * it touched. `expectedVersion` guards an update against overwriting a newer save.
   */
  async save(
    input: ArticleInput,
    target: { id?: number; expectedVersion?: number; by?: MoveActor; within?: SaveAlongside; slugIsSuggestion?: boolean } = {},
  ): Promise<Article> {
    const now = this.clock.now();
    const save = await this.prepare(input, target.id, target.expectedVersion, now);
    save.within = target.within;
    // An importer's slug (a WordPress post name) is wanted, not insisted on: taken, it gets -2, -3…
    if (target.slugIsSuggestion) save.explicitSlug = false;
    // A change to what readers see (now, or at the scheduled time) is audited, with who made it.
    if (target.by && (save.existing?.status === 'published' || save.existing?.status === 'scheduled')) save.move = { action: 'update', by: target.by };
    const [article] = await this.commit([save], now);
    return article!;
  }

  /**
   * Saves several stories in one transaction (imports, generated sites): all or none. Inputs are
   * checked before anything is written, so one bad story leaves the database untouched.
   */
  async saveMany(saves: { input: ArticleInput; id?: number; expectedVersion?: number }[]): Promise<Article[]> {
    const now = this.clock.now();
    const prepared: PreparedSave[] = [];
    for (const { input, id, expectedVersion } of saves) prepared.push(await this.prepare(input, id, expectedVersion, now));
    return this.commit(prepared, now);
  }

  private async commit(prepared: PreparedSave[], now: Date): Promise<Article[]> {
    const { saved, changed } = await this.repo.transaction(async (repo, trx) => {
      const saved: Article[] = [];
      const touched: string[] = [];
      for (const save of prepared) {
        const { article, before } = await this.write(repo, save);
        await afterWrite(repo, trx, before, article, now);
        for (const hook of this.saveHooks) await hook(trx, before, article);
        await save.within?.(trx, article, before);
        if (save.move && this.journal) {
          await this.journal(trx, {
            actor: save.move.by,
            action: `story.${save.move.action}`,
            target: `article:${article.id}`,
            detail: { headline: article.headline, from: before?.status ?? null, to: article.status, publishedAt: article.publishedAt },
          });
        }
        saved.push(article);
        touched.push(...changeTags(before, article, now));
      }
      return { saved, changed: await this.changes.record(trx, touched) };
    });
    this.changes.applied(changed);
    return saved;
  }

  // Workflow: each move is a save of the story's status and time, with a revision and cache tags.

  /** draft → ready for edit. */
  submitForEdit(id: number, expectedVersion: number, by: MoveActor = 'cli'): Promise<Article> {
    return this.move(id, expectedVersion, { action: 'submit', by }, (article, now) => planMove('submit', article, now));
  }

  /** ready, scheduled (cancels the schedule) or unpublished → draft. */
  returnToDraft(id: number, expectedVersion: number, by: MoveActor = 'cli'): Promise<Article> {
    return this.move(id, expectedVersion, { action: 'return', by }, (article, now) => planMove('return', article, now));
  }

  /** Publishes the story at `at` (ISO, in the future); until then readers cannot see it anywhere. */
  schedule(id: number, at: string, expectedVersion: number, by: MoveActor = 'cli'): Promise<Article> {
    return this.move(id, expectedVersion, { action: 'schedule', by }, (article, now) => planMove('schedule', article, now, at));
  }

  publishNow(id: number, expectedVersion: number, by: MoveActor = 'cli'): Promise<Article> {
    return this.move(id, expectedVersion, { action: 'publish', by }, (article, now) => planMove('publish', article, now));
  }

  /** Takes a published story down: its URL answers 410 Gone and it leaves every list. */
  unpublish(id: number, expectedVersion: number, by: MoveActor = 'cli'): Promise<Article> {
    return this.move(id, expectedVersion, { action: 'unpublish', by }, (article, now) => planMove('unpublish', article, now));
  }

  /**
   * The scheduled-publishing job (publish-job.ts). It re-reads the story: a job made for an older
   * schedule, or for a story since returned to draft or published by hand, does nothing. Returns
   * whether it published.
   */
  async publishScheduled({ articleId, at }: PublishJobPayload): Promise<boolean> {
    const now = this.clock.now();
    const article = await this.repo.findById(articleId);
    if (!article || article.status !== 'scheduled' || article.publishedAt !== at || at > now.toISOString()) return false;
    const save = await this.prepare(asInput(article, { status: 'published', publishedAt: at }), articleId, article.version, now);
    // Published at its scheduled time, not "updated" by however late the worker ran.
    save.record.updatedAt = at;
    save.move = { action: 'publish', by: 'scheduler' };
    await this.commit([save], now);
    return true;
  }

  /** Appends a dated public correction to a published story; the story counts as updated. */
  async addCorrection(id: number, text: unknown, expectedVersion: number, by: MoveActor = 'cli'): Promise<Article> {
    const clean = checkCorrection(text);
    return this.move(id, expectedVersion, { action: 'correct', by }, (article) => {
      requirePublished(article, 'Only a published story takes a correction.');
      return { status: article.status, publishedAt: article.publishedAt };
    }, (repo, now) => repo.insertCorrection(id, clean, now));
  }

  /**
   * Holds changes to a published story without showing them: readers keep the published version
   * until `applyWorkingCopy`. Checked like a save; raises the story's version (and writes a
   * revision) so that two editors cannot overwrite each other's pending changes.
   */
  async saveWorkingCopy(id: number, input: ArticleInput, expectedVersion: number): Promise<Article> {
    const now = this.clock.now();
    const article = await this.load(id, expectedVersion);
    requirePublished(article, 'Only a published story has a working copy; save the story itself.');
    const pending: ArticleInput = { ...input, status: 'published', publishedAt: article.publishedAt };
    const save = await this.prepare(pending, id, expectedVersion, now);
    if (save.explicitSlug && (await this.repo.slugTaken(save.record.sectionId, save.record.slug, id))) {
      throw conflict(`Another story in this section already uses the slug "${save.record.slug}".`, 'slug');
    }
    return this.repo.transaction(async (repo) => {
      if (!(await repo.bumpVersion(id, expectedVersion))) {
        throw conflict('This story was saved by someone else at the same moment; reload it and try again.', 'version');
      }
      await repo.workflow().putWorkingCopy(id, pending, now.toISOString());
      // The revision keeps the published story as it stands, plus the changes held for it.
      const held = { ...article, version: expectedVersion + 1, updatedAt: now.toISOString(), workingCopy: pending };
      await repo.insertRevision(held);
      return { ...article, version: expectedVersion + 1 };
    });
  }

  /** "Update": the working copy becomes the published story, in one save. */
  async applyWorkingCopy(id: number, expectedVersion: number, by: MoveActor = 'cli'): Promise<Article> {
    const now = this.clock.now();
    const article = await this.load(id, expectedVersion);
    requirePublished(article, 'Only a published story can be updated from a working copy.');
    const pending = await this.workingCopy(id);
    if (!pending) throw new AppError('not_found', 'This story has no pending changes to apply.');
    const save = await this.prepare({ ...pending, status: 'published', publishedAt: article.publishedAt }, id, expectedVersion, now);
    save.alongside = (repo) => repo.workflow().deleteWorkingCopy(id);
    save.move = { action: 'update', by };
    const [saved] = await this.commit([save], now);
    return saved!;
  }

  /** Story `id`, checked to be at `expectedVersion` when one is given. */
  private async load(id: number, expectedVersion: number | undefined): Promise<Article> {
    const article = await this.repo.findById(id);
    if (!article) throw new AppError('not_found', `There is no story with id ${id}.`);
    if (expectedVersion !== undefined && article.version !== expectedVersion) {
      throw conflict(
        `This story was saved by someone else since you opened it (your version ${expectedVersion}, now ${article.version}).`,
        'version',
      );
    }
    return article;
  }

  private async move(
    id: number,
    expectedVersion: number,
    move: PreparedSave['move'],
    plan: (article: Article, now: Date) => MoveTarget,
    alongside?: (repo: ArticleRepository, now: string) => Promise<void>,
  ): Promise<Article> {
    const now = this.clock.now();
    const article = await this.load(id, expectedVersion);
    const target = plan(article, now);
    const save = await this.prepare(asInput(article, target), id, expectedVersion, now);
    save.move = move;
    if (alongside) save.alongside = (repo) => alongside(repo, now.toISOString());
    const [saved] = await this.commit([save], now);
    return saved!;
  }

  private async prepare(input: ArticleInput, id: number | undefined, expectedVersion: number | undefined, now: Date): Promise<PreparedSave> {
    const existing = id === undefined ? undefined : await this.load(id, expectedVersion);
    const { record, authorSlugs, topics } = await checkSave(input, existing, now, { sectionBySlug: (slug) => this.sectionBySlug(slug), images: this.images });
    const authors = await this.repo.authors().bySlugs(authorSlugs);
    const missing = authorSlugs.filter((slug) => !authors.some((a) => a.slug === slug));
    if (missing.length) throw invalidInput([{ field: 'authors', message: `Unknown author: ${missing.join(', ')}.` }]);
    const authorIds = authorSlugs.map((slug) => authors.find((a) => a.slug === slug)!.id);
    return { existing, record, authorIds, topics, explicitSlug: input.slug !== undefined };
  }

  private async write(repo: ArticleRepository, save: PreparedSave) {
    const { existing, record, authorIds, topics } = save;
    record.slug = await uniqueSlug(repo, record.sectionId, record.slug, existing?.id, save.explicitSlug);
    let id: number;
    if (existing) {
      if (!(await repo.update(existing.id, record, existing.version))) {
        throw conflict('This story was saved by someone else at the same moment; reload it and try again.', 'version');
      }
      id = existing.id;
    } else {
      id = await repo.insert(record);
    }
    const savedTopics = await repo.topics().ensure(topics);
    await repo.setAuthors(id, authorIds);
    await repo.topics().setForArticle(id, savedTopics.map((t) => t.id));
    await save.alongside?.(repo);
    const article = (await repo.findById(id))!;
    await repo.insertRevision(article);
    return { article, before: existing };
  }
}
