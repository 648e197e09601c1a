// Job kinds follow one scheme, `feature.action`: rows queued under the old names keep running.
import { sql, type Kysely } from 'kysely';

const RENAMES: [from: string, to: string][] = [
  ['publish-scheduled', 'articles.publish-scheduled'],
  ['image.avif', 'media.image-avif'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [from, to] of RENAMES) {
    await sql`UPDATE jobs SET kind = ${to} WHERE kind = ${from}`.execute(db);
    await sql`UPDATE jobs SET dedupe_key = ${`${to}:`} || substr(dedupe_key, ${from.length + 2})
      WHERE dedupe_key LIKE ${`${from}:%`}`.execute(db);
  }
}
