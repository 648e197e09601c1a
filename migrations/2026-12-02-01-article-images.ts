// Which library images each story shows (lead, social card, body), so "is this image on a live
// page?" is one indexed look-up instead of a scan of every body. Kept by the articles repository
// on every insert and update; filled here for the stories that exist.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

type Row = { id: number; body: string; lead_image_id: number | null; social_image_id: number | null };

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('article_images')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('image_id', 'integer', (c) => c.notNull())
    // 'lead' | 'social' | 'body'
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_images_pk', ['article_id', 'image_id', 'role'])
    .execute();
  await db.schema.createIndex('article_images_image').on('article_images').column('image_id').execute();

  let after = 0;
  for (;;) {
    const { rows } = await sql<Row>`SELECT id, body, lead_image_id, social_image_id FROM articles WHERE id > ${after} ORDER BY id LIMIT 500`.execute(db);
    if (rows.length === 0) break;
    const values = rows.flatMap((row) => usesOf(row).map((use) => ({ article_id: row.id, ...use })));
    // A few hundred rows at a time: SQLite caps the variables of one statement.
    for (let i = 0; i < values.length; i += 300) {
      await (db as Kysely<{ article_images: { article_id: number; image_id: number; role: string } }>)
        .insertInto('article_images')
        .values(values.slice(i, i + 300))
        .execute();
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('article_images').execute();
}

/** The body's top-level image blocks, read here rather than through the app's body code (migrations stay as written). */
function usesOf(row: Row): { image_id: number; role: string }[] {
  const uses: { image_id: number; role: string }[] = [];
  if (row.lead_image_id) uses.push({ image_id: row.lead_image_id, role: 'lead' });
  if (row.social_image_id) uses.push({ image_id: row.social_image_id, role: 'social' });
  let body: { content?: { type?: string; attrs?: { imageId?: unknown } }[] } = {};
  try {
    body = JSON.parse(row.body) as typeof body;
  } catch {
    // A body that is not JSON shows no library image.
  }
  const ids = new Set<number>();
  for (const block of body.content ?? []) {
    const id = block.type === 'image' ? block.attrs?.imageId : undefined;
    if (typeof id === 'number' && Number.isInteger(id) && id > 0) ids.add(id);
  }
  for (const id of ids) uses.push({ image_id: id, role: 'body' });
  return uses;
}
