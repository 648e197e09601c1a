// Video becomes real: a clip reference gains its uploaded media (status, progress, the files'
// folder, dimensions, renditions, poster and progressive MP4), captions per language, and the
// articles feature's record of which stories show which clip (so "may a reader fetch this clip's
// files?" is one indexed look-up, as article_images is for pictures).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { withId } from './_engine.ts';

type Row = { id: number; body: string };

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite adds a single column per ALTER TABLE.
  const add = (name: string, type: 'text' | 'integer') => db.schema.alterTable('videos').addColumn(name, type).execute();
  // 'reference' (named in a story, nothing uploaded) | 'processing' | 'ready' | 'failed'
  await db.schema.alterTable('videos').addColumn('status', 'text', (c) => c.notNull().defaultTo('reference')).execute();
  await db.schema.alterTable('videos').addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('videos').addColumn('credit', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('videos').addColumn('alt', 'text', (c) => c.notNull().defaultTo('')).execute();
  await add('error', 'text');
  // "<id>-<16 hex>" under DATA_DIR/media/videos/, set with the upload.
  await add('folder', 'text');
  await add('filename', 'text');
  await add('source_bytes', 'integer');
  await add('width', 'integer');
  await add('height', 'integer');
  // JSON: the ladder's rungs, the poster files, the progressive MP4 (see video-repository.ts).
  await add('renditions', 'text');
  await add('poster', 'text');
  await add('mp4', 'text');
  // The moment the editor chose for the poster, in milliseconds; null: the first bright frame near 10 %.
  await add('poster_at_ms', 'integer');
  await add('created_by', 'integer');
  await add('updated_at', 'text');

  await withId(db, db.schema.createTable('video_captions'))
    .addColumn('video_id', 'integer', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    // A BCP 47 tag such as "en" or "pt-BR".
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    // Always WebVTT (SRT is converted when uploaded).
    .addColumn('vtt', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('video_captions_lang').on('video_captions').columns(['video_id', 'lang']).unique().execute();

  await db.schema
    .createTable('article_videos')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('video_id', 'integer', (c) => c.notNull())
    // Order in the body: 0 is the story's lead clip (the feed's enclosure).
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_videos_pk', ['article_id', 'video_id'])
    .execute();
  await db.schema.createIndex('article_videos_video').on('article_videos').column('video_id').execute();

  let after = 0;
  for (;;) {
    const { rows } = await sql<Row>`SELECT id, body FROM articles WHERE id > ${after} ORDER BY id LIMIT 500`.execute(db);
    if (rows.length === 0) break;
    const values = rows.flatMap((row) => videoIdsOf(row.body).map((videoId, position) => ({ article_id: row.id, video_id: videoId, position })));
    for (let i = 0; i < values.length; i += 300) {
      await (db as Kysely<{ article_videos: { article_id: number; video_id: number; position: number } }>).insertInto('article_videos').values(values.slice(i, i + 300)).execute();
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('article_videos').execute();
  await db.schema.dropTable('video_captions').execute();
  for (const column of ['updated_at', 'created_by', 'poster_at_ms', 'mp4', 'poster', 'renditions', 'height', 'width', 'source_bytes', 'filename', 'folder', 'error', 'alt', 'credit', 'progress', 'status']) {
    await db.schema.alterTable('videos').dropColumn(column).execute();
  }
}

/** The body's top-level video blocks, read here rather than through the app's body code (migrations stay as written). */
function videoIdsOf(text: string): number[] {
  let body: { content?: { type?: string; attrs?: { videoId?: unknown } }[] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // A body that is not JSON shows no clip.
  }
  const ids = new Set<number>();
  for (const block of body.content ?? []) {
    const id = block.type === 'video' ? block.attrs?.videoId : undefined;
    if (typeof id === 'number' && Number.isInteger(id) && id > 0) ids.add(id);
  }
  return [...ids];
}
