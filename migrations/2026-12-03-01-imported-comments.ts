// Comments brought from another system (a WordPress import) carry the key they had there
// ('wordpress:<comment id>'), so a second run finds them and adds nothing twice. Native comments
// have none (NULL: both engines let any number of rows share it under a unique index). When an
// imported commenter's comments are erased (privacy), their source keys stay behind, and nothing
// else: a later run of the import must not bring them back.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('source_key', 'text').execute();
  await db.schema.createIndex('comments_source_key').on('comments').column('source_key').unique().execute();
  await db.schema.createTable('comment_erased_sources').addColumn('source_key', 'text', (c) => c.primaryKey()).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('comment_erased_sources').execute();
  await db.schema.dropIndex('comments_source_key').execute();
  await db.schema.alterTable('comments').dropColumn('source_key').execute();
}
