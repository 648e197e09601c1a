// SQL for the story workflow's own tables: working copies of published stories and the redirects
// left behind when a published story moves.
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type WorkflowTables = {
  article_working_copies: { article_id: number; input: string; updated_at: string };
  article_redirects: { id: import('kysely').Generated<number>; section_slug: string; slug: string; article_id: number; created_at: string };
};

export interface StoredWorkingCopy {
  input: unknown;
  updatedAt: string;
}

export class WorkflowRepository {
  private readonly db: Kysely<WorkflowTables>;

  constructor(db: Db) {
    this.db = db.withTables<WorkflowTables>();
  }

  async workingCopy(articleId: number): Promise<StoredWorkingCopy | undefined> {
    const row = await this.db.selectFrom('article_working_copies').selectAll().where('article_id', '=', articleId).executeTakeFirst();
    return row && { input: JSON.parse(row.input) as unknown, updatedAt: row.updated_at };
  }

  async putWorkingCopy(articleId: number, input: unknown, updatedAt: string): Promise<void> {
    const values = { input: JSON.stringify(input), updated_at: updatedAt };
    await this.db
      .insertInto('article_working_copies')
      .values({ article_id: articleId, ...values })
      .onConflict((oc) => oc.column('article_id').doUpdateSet(values))
      .execute();
  }

  async deleteWorkingCopy(articleId: number): Promise<void> {
    await this.db.deleteFrom('article_working_copies').where('article_id', '=', articleId).execute();
  }

  /** The story an old path now points at. */
  async redirectTarget(sectionSlug: string, slug: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('article_redirects')
      .select('article_id')
      .where('section_slug', '=', sectionSlug)
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row?.article_id;
  }

  /**
   * Points an old path at a story. Redirects name the story, not its next path, so a chain of
   * moves collapses: every old path answers with the story's current one.
   */
  async putRedirect(sectionSlug: string, slug: string, articleId: number, createdAt: string): Promise<void> {
    await this.db
      .insertInto('article_redirects')
      .values({ section_slug: sectionSlug, slug, article_id: articleId, created_at: createdAt })
      .onConflict((oc) => oc.columns(['section_slug', 'slug']).doUpdateSet({ article_id: articleId, created_at: createdAt }))
      .execute();
  }

  /** A path a story lives at again (or a new story took) is no longer a redirect. */
  async deleteRedirect(sectionSlug: string, slug: string): Promise<void> {
    await this.db.deleteFrom('article_redirects').where('section_slug', '=', sectionSlug).where('slug', '=', slug).execute();
  }
}
