// Which library images each story shows (table article_images: lead, social card, body), kept in
// step with every insert and update of a story, so media can ask "which live pages show this
// image?" without reading bodies.
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import { bodyImageIds } from './body.ts';
import type { ArticleRecord, ArticleTables } from './article-rows.ts';

type Role = 'lead' | 'social' | 'body';
type UseTables = ArticleTables & { article_images: { article_id: number; image_id: number; role: Role } };

export interface StoryImageUse {
  articleId: number;
  headline: string;
  status: string;
  role: Role;
}

export class ImageUseRepository {
  private readonly db: Kysely<UseTables>;

  constructor(db: Db) {
    this.db = db.withTables<UseTables>();
  }

  /** Replaces the story's rows with what `record` shows; call in the transaction that writes the story. */
  async set(articleId: number, record: Pick<ArticleRecord, 'leadImage' | 'socialImageId' | 'body'>): Promise<void> {
    const uses: { image_id: number; role: Role }[] = [];
    if (record.leadImage?.imageId) uses.push({ image_id: record.leadImage.imageId, role: 'lead' });
    if (record.socialImageId) uses.push({ image_id: record.socialImageId, role: 'social' });
    for (const id of bodyImageIds(record.body)) uses.push({ image_id: id, role: 'body' });
    await this.db.deleteFrom('article_images').where('article_id', '=', articleId).execute();
    if (uses.length) await this.db.insertInto('article_images').values(uses.map((use) => ({ article_id: articleId, ...use }))).execute();
  }

  /** The stories in `statuses` that show the image, in any role. */
  async storiesShowing(imageId: number, statuses: string[]): Promise<StoryImageUse[]> {
    const rows = await this.db
      .selectFrom('article_images')
      .innerJoin('articles', 'articles.id', 'article_images.article_id')
      .select(['articles.id as articleId', 'articles.headline', 'articles.status', 'article_images.role'])
      .where('article_images.image_id', '=', imageId)
      .where('articles.status', 'in', statuses)
      .orderBy('articles.id')
      .limit(20)
      .execute();
    return rows;
  }

  /** Author profiles whose photo is the image. */
  async authorsShowing(imageId: number): Promise<{ name: string }[]> {
    return this.db.selectFrom('authors').select('name').where('photo_image_id', '=', imageId).orderBy('id').limit(20).execute();
  }
}
