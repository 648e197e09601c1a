// What search engines and link previews show of a story (its own title, description and image),
// and a photo on author profiles. Images are media-library ids; the site settings (logo,
// navigation) are key/value rows and need no schema change.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('seo_title', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('articles').addColumn('seo_description', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('articles').addColumn('social_image_id', 'integer').execute();
  await db.schema.alterTable('authors').addColumn('photo_image_id', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('authors').dropColumn('photo_image_id').execute();
  await db.schema.alterTable('articles').dropColumn('social_image_id').execute();
  await db.schema.alterTable('articles').dropColumn('seo_description').execute();
  await db.schema.alterTable('articles').dropColumn('seo_title').execute();
}
