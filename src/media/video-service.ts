// Video references: clips named in stories, before and after their media exists.
import { invalidInput } from '../platform/errors.ts';
import type { Video, VideoRepository } from './video-repository.ts';

export type { Video } from './video-repository.ts';

export class VideoService {
  constructor(private readonly repo: VideoRepository) {}

  byIds(ids: number[]): Promise<Video[]> {
    return this.repo.byIds([...new Set(ids)]);
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
      if (caption) await this.repo.updateCaption(existing, caption.trim());
      return existing;
    }
    return this.repo.insert(clean, caption.trim(), now.toISOString());
  }
}
