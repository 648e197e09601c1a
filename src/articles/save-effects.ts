// What a story save does beyond its own row: find a free slug, and keep the publish job,
// redirects and working copy in step with the story's new status and address.
import type { Db } from '../platform/db.ts';
import { conflict } from '../platform/errors.ts';
import { cancel, enqueue } from '../platform/jobs.ts';
import { articlePath, type Article } from './model.ts';
import type { ArticleRepository } from './article-repository.ts';
import { PUBLISH_SCHEDULED, publishJobKey } from './publish-job.ts';

/**
 * Work another feature keeps in step with every story save (the search index), run inside the
 * save's transaction: it commits or rolls back with the story, so readers never see the two differ.
 */
export type SaveHook = (trx: Db, before: Article | undefined, after: Article) => Promise<void>;

/** A free slug in the section: the wanted one, or with -2, -3… when it was derived and is taken. */
export async function uniqueSlug(
  repo: ArticleRepository,
  sectionId: number,
  wanted: string,
  exceptId: number | undefined,
  explicit: boolean,
): Promise<string> {
  const base = wanted || 'story';
  if (!(await repo.slugTaken(sectionId, base, exceptId))) return base;
  if (explicit) throw conflict(`Another story in this section already uses the slug "${base}".`, 'slug');
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, 75)}-${n}`;
    if (!(await repo.slugTaken(sectionId, candidate, exceptId))) return candidate;
  }
}

/**
 * What a save means beyond its own rows: a scheduled story gets (or loses) its publish job; a
 * published story that moves leaves a redirect at its old address; a story that stops being
 * published drops its working copy.
 */
export async function afterWrite(repo: ArticleRepository, trx: Db, before: Article | undefined, after: Article, now: Date): Promise<void> {
  const key = publishJobKey(after.id);
  if (after.status === 'scheduled' && (before?.status !== 'scheduled' || before.publishedAt !== after.publishedAt)) {
    await enqueue(trx, PUBLISH_SCHEDULED, { articleId: after.id, at: after.publishedAt! }, { runAt: new Date(after.publishedAt!), now, dedupeKey: key });
  } else if (before?.status === 'scheduled' && after.status !== 'scheduled') {
    await cancel(trx, key, now);
  }
  const workflow = repo.workflow();
  if (after.status === 'published') await workflow.deleteRedirect(after.section.slug, after.slug);
  if (before?.status === 'published' && articlePath(before) !== articlePath(after)) {
    await workflow.putRedirect(before.section.slug, before.slug, after.id, now.toISOString());
  }
  if (before?.status === 'published' && after.status !== 'published') await workflow.deleteWorkingCopy(after.id);
}
