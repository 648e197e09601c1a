// SQL for author profiles. Profiles are looked up by slug (bylines, author pages) and by id (the
// newsroom's screens).
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';
import type { ArticleTables } from './article-rows.ts';
import type { Author } from './model.ts';

const AUTHOR_COLUMNS = ['id', 'slug', 'name', 'bio', 'photo_image_id as photoImageId'] as const;

export class AuthorRepository {
  private readonly db: Kysely<ArticleTables>;

  constructor(db: Db) {
    this.db = db.withTables<ArticleTables>();
  }

  async bySlugs(slugs: string[]): Promise<Author[]> {
    if (slugs.length === 0) return [];
    return this.db.selectFrom('authors').select(AUTHOR_COLUMNS).where('slug', 'in', slugs).execute();
  }

  /** Every profile, by name. */
  async all(): Promise<Author[]> {
    return this.db.selectFrom('authors').select(AUTHOR_COLUMNS).orderBy('name').execute();
  }

  async bySlug(slug: string): Promise<Author | undefined> {
    return this.db.selectFrom('authors').select(AUTHOR_COLUMNS).where('slug', '=', slug).executeTakeFirst();
  }

  async byId(id: number): Promise<Author | undefined> {
    return this.db.selectFrom('authors').select(AUTHOR_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async withStoryCounts(): Promise<(Author & { stories: number })[]> {
    const rows = await this.db
      .selectFrom('authors')
      .select(AUTHOR_COLUMNS)
      .select((eb) =>
        eb.selectFrom('article_authors').select(eb.fn.countAll().as('n')).whereRef('article_authors.author_id', '=', 'authors.id').as('stories'),
      )
      .orderBy('name')
      .execute();
    // PostgreSQL counts in bigint, which arrives as a string.
    return rows.map((row) => ({ ...row, stories: Number(row.stories ?? 0) }));
  }

  /** Creates or updates the author with this slug; a photo left undefined stays as it is. */
  async upsert(author: Omit<Author, 'id' | 'photoImageId'> & { photoImageId?: number | null }): Promise<Author> {
    const existing = await this.bySlug(author.slug);
    const photo = author.photoImageId === undefined ? {} : { photo_image_id: author.photoImageId };
    if (existing) {
      return this.db
        .updateTable('authors')
        .set({ name: author.name, bio: author.bio, ...photo })
        .where('id', '=', existing.id)
        .returning(AUTHOR_COLUMNS)
        .executeTakeFirstOrThrow();
    }
    return this.db
      .insertInto('authors')
      .values({ slug: author.slug, name: author.name, bio: author.bio, ...photo })
      .returning(AUTHOR_COLUMNS)
      .executeTakeFirstOrThrow();
  }
}
