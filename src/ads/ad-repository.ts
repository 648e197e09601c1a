// SQL for house ad creatives.
import type { Generated, Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type AdTables = {
  ad_creatives: {
    id: Generated<number>;
    name: string;
    headline: string;
    body: string;
    link_url: string;
    sponsor: string;
    active: number;
    created_at: string;
  };
};

export interface Creative {
  id: number;
  name: string;
  headline: string;
  body: string;
  linkUrl: string;
  sponsor: string;
  active: boolean;
}

export class AdRepository {
  private readonly db: Kysely<AdTables>;

  constructor(db: Db) {
    this.db = db.withTables<AdTables>();
  }

  async active(): Promise<Creative[]> {
    const rows = await this.db.selectFrom('ad_creatives').selectAll().where('active', '=', 1).orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      headline: r.headline,
      body: r.body,
      linkUrl: r.link_url,
      sponsor: r.sponsor,
      active: r.active === 1,
    }));
  }

  async insert(trx: Db, creative: Omit<Creative, 'id'>, now: string): Promise<number> {
    const row = await trx
      .withTables<AdTables>()
      .insertInto('ad_creatives')
      .values({
        name: creative.name,
        headline: creative.headline,
        body: creative.body,
        link_url: creative.linkUrl,
        sponsor: creative.sponsor,
        active: creative.active ? 1 : 0,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(trx as unknown as Db));
  }
}
