// Which library clips each story shows (table article_videos), kept in step with every insert and
// update of a story, so media can ask "is this clip in a published story?" (may readers fetch its
// files?) with one indexed look-up instead of reading bodies.
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import { bodyVideoIds, type BodyDoc } from './body.ts';
import type { ArticleTables } from './article-rows.ts';

type UseTables = ArticleTables & { article_videos: { article_id: number; video_id: number; position: number } };

export class VideoUseRepository {
  private readonly db: Kysely<UseTables>;

  constructor(db: Db) {
    this.db = db.withTables<UseTables>();
  }

  /** Replaces the story's rows with the clips `body` shows; call in the transaction that writes the story. */
  async set(articleId: number, body: BodyDoc): Promise<void> {
    const ids = bodyVideoIds(body);
    await this.db.deleteFrom('article_videos').where('article_id', '=', articleId).execute();
    if (ids.length) await this.db.insertInto('article_videos').values(ids.map((id, position) => ({ article_id: articleId, video_id: id, position }))).execute();
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

  /** The first clip of each story (its lead clip), for those that show any. */
  async leadClips(articleIds: number[]): Promise<Map<number, number>> {
    if (articleIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('article_videos').select(['article_id', 'video_id']).where('article_id', 'in', articleIds).where('position', '=', 0).execute();
    return new Map(rows.map((r) => [r.article_id, r.video_id]));
  }

  /** Published stories that show clips, newest first, with their clips in body order (the video sitemap). */
  async publishedWithClips(limit: number): Promise<{ articleId: number; videoIds: number[] }[]> {
    const rows = await this.db
      .selectFrom('article_videos')
      .innerJoin('articles', 'articles.id', 'article_videos.article_id')
      .select(['articles.id as articleId', 'article_videos.video_id as videoId'])
      .where('articles.status', '=', 'published')
      .orderBy('articles.published_at', 'desc')
      .orderBy('articles.id', 'desc')
      .orderBy('article_videos.position')
      .limit(limit)
      .execute();
    const byStory = new Map<number, number[]>();
    for (const row of rows) byStory.set(row.articleId, [...(byStory.get(row.articleId) ?? []), row.videoId]);
    return [...byStory].map(([articleId, videoIds]) => ({ articleId, videoIds }));
  }
}
