// The purges owed to caches in front: a row per change, written in the change's transaction (so a
// publish never waits on a CDN, and a purge is never lost to a crash), read in batches by the purge
// job and deleted once every purger accepted them.
import type { Kysely } from 'kysely';
import { parseTags } from '../platform/changes.ts';
import type { Db } from '../platform/db.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type PurgeTables = {
  edge_purges: { id: import('kysely').Generated<number>; tags: string; created_at: string };
};

export interface OwedPurge {
  id: number;
  tags: string[];
}

export class PurgeQueue {
  private readonly db: Kysely<PurgeTables>;

  constructor(db: Db) {
    this.db = db.withTables<PurgeTables>();
  }

  /** Inside the writing transaction. */
  async add(trx: Db, tags: readonly string[], at: Date): Promise<void> {
    await trx.withTables<PurgeTables>().insertInto('edge_purges').values({ tags: JSON.stringify(tags), created_at: at.toISOString() }).execute();
  }

  /** The oldest owed purges. */
  async take(limit: number): Promise<OwedPurge[]> {
    const rows = await this.db.selectFrom('edge_purges').select(['id', 'tags']).orderBy('id').limit(limit).execute();
    return rows.map((row) => ({ id: Number(row.id), tags: parseTags(row.tags) }));
  }

  async done(ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.db.deleteFrom('edge_purges').where('id', 'in', [...ids]).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('edge_purges').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Drops purges older than `before`: a cache in front has let those pages expire by itself. */
  async prune(before: Date): Promise<void> {
    await this.db.deleteFrom('edge_purges').where('created_at', '<', before.toISOString()).execute();
  }
}
