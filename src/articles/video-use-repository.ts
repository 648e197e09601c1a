// Which library clips each story shows (table article_videos), kept in step with every insert and
// update of a story, so media can ask "is this clip in a published story?" (may readers fetch its
// files?) with one indexed look-up instead of reading bodies.
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import { bodyVideoIds, type BodyDoc } from './body.ts';
import type { ArticleTables } from './article-rows.ts';

type UseTables = ArticleTables & { article_videos: { article_id: number; video_id: number } };

export class VideoUseRepository {
  private readonly db: Kysely<UseTables>;

  constructor(db: Db) {
    this.db = db.withTables<UseTables>();
  }

  /** Replaces the story's rows with the clips `body` shows; call in the transaction that writes the story. */
  async set(articleId: number, body: BodyDoc): Promise<void> {
    const ids = bodyVideoIds(body);
    await this.db.deleteFrom('article_videos').where('article_id', '=', articleId).execute();
    if (ids.length) await this.db.insertInto('article_videos').values(ids.map((id) => ({ article_id: articleId, video_id: id }))).execute();
  }

  /** Whether a published story shows the clip. */
  async inPublishedStory(videoId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('article_videos')
      .innerJoin('articles', 'articles.id', 'article_videos.article_id')
      .select('articles.id')
      .where('article_videos.video_id', '=', videoId)
      .where('articles.status', '=', 'published')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Published stories showing the clip, newest first (the clip's page links to them). */
  async publishedStories(videoId: number): Promise<{ articleId: number; headline: string }[]> {
    return this.db
      .selectFrom('article_videos')
      .innerJoin('articles', 'articles.id', 'article_videos.article_id')
      .select(['articles.id as articleId', 'articles.headline'])
      .where('article_videos.video_id', '=', videoId)
      .where('articles.status', '=', 'published')
      .orderBy('articles.id', 'desc')
      .limit(10)
      .execute();
  }
}
