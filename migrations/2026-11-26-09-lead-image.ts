// A story's lead image can be an image from the media library (its alt text, caption, credit and
// responsive variants come from there when the page renders).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('lead_image_id', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('articles').dropColumn('lead_image_id').execute();
}
