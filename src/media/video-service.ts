// Video references: clips named in stories, before and after their media exists.
import type { ChangeFeed } from '../platform/changes.ts';
import { invalidInput } from '../platform/errors.ts';
import { videoTag } from './change-tags.ts';
import { checkBeforePage, fetchBeforePage } from '../platform/paging.ts';
import type { Video, VideoRepository } from './video-repository.ts';

export type { Video } from './video-repository.ts';

export class VideoService {
  constructor(
    private readonly repo: VideoRepository,
    private readonly changes: ChangeFeed,
  ) {}

  byIds(ids: number[]): Promise<Video[]> {
    return this.repo.byIds([...new Set(ids)]);
  }

  /** A page of clips for the editor's video picker, newest first; `next` is the `before` of the following page. */
  async browse(options: { limit: number; before?: number; search?: string }): Promise<{ videos: Video[]; next: number | null }> {
    const page = await fetchBeforePage(checkBeforePage(options, 'clip'), (query) => this.repo.listBefore(query));
    return { videos: page.items, next: page.next };
  }

  /**
   * The reference for a clip named in an imported story: the existing one with that title, or a
   * new one. Titles identify clips in captures, so a re-import reuses the same reference.
   */
  async ensureReference(title: string, caption: string, now = new Date()): Promise<number> {
    const clean = title.replace(/\s+/g, ' ').trim();
    if (!clean || clean.length > 300) throw invalidInput([{ field: 'video', message: 'A video title is 1 to 300 characters.' }]);
    const existing = await this.repo.idByTitle(clean);
    if (existing !== undefined) {
      if (caption) {
        // Pages showing the clip carry its tag: a new caption drops them.
        const change = await this.repo.transaction(async (trx) => ((await this.repo.updateCaption(existing, caption.trim(), trx)) ? this.changes.record(trx, [videoTag(existing)]) : undefined));
        if (change) this.changes.applied(change);
      }
      return existing;
    }
    return this.repo.insert(clean, caption.trim(), now.toISOString());
  }
}
