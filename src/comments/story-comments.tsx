// The seam between the reader site and comments: what a story page draws under the story (the
// thread and the form) with the cache tags that keep it fresh, and the counts story cards show.
import type { VNode } from 'preact';
import type { Article } from '../articles/model.ts';
import { commentTags } from './change-tags.ts';
import type { CommentService } from './comment-service.ts';
import { CommentsSection, THREADS_PER_PAGE } from './comment-thread.tsx';

export interface StoryCommentsPart {
  node: VNode;
  tags: string[];
}

export class StoryComments {
  constructor(
    private readonly comments: CommentService,
    /** The comment form's script URL (the `comment-form` island). */
    private readonly scriptUrl: () => Promise<string>,
    private readonly timeZone: string,
  ) {}

  /** The thread under a published story; `pendingId`: the held comment its author is looking at. */
  async part(article: Pick<Article, 'id' | 'publishedAt' | 'status'>, pendingId?: number, after?: number): Promise<StoryCommentsPart | null> {
    // Only published stories have a thread (a preview of a draft shows none).
    if (article.status !== 'published') return null;
    const [thread, open, settings, scriptUrl] = await Promise.all([
      this.comments.thread(article.id, { pendingId, after, threads: THREADS_PER_PAGE }),
      this.comments.isOpen(article),
      this.comments.settings(),
      this.scriptUrl(),
    ]);
    const node = (
      <CommentsSection
        articleId={article.id}
        comments={thread.comments}
        picks={thread.picks}
        total={thread.total}
        more={thread.more}
        open={open}
        depthLimit={settings.depthLimit}
        timeZone={this.timeZone}
        scriptUrl={scriptUrl}
        after={after}
        moreHref={(last) => `/comments/more/${article.id}?after=${last}`}
      />
    );
    return { node, tags: [commentTags.thread(article.id), commentTags.settings] };
  }

  /** Approved comments per story, for cards; their tags make a card's count follow its thread. */
  async counts(articleIds: readonly number[]): Promise<{ counts: Map<number, number>; tags: string[] }> {
    const ids = [...new Set(articleIds)];
    return { counts: await this.comments.counts(ids), tags: ids.map(commentTags.thread) };
  }

  pendingFromQuery(query: { unapproved?: number; 'moderation-hash'?: string }): Promise<number | undefined> {
    return this.comments.pendingFromQuery(query);
  }
}
