// All SQL of topics: which stories carry them, kinds, descriptions, aliases (every spelling's key,
// the topic's own name included, so a variant finds its topic), and the topics index.
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { TopicKind } from './topic-kinds.ts';
import { nameKey } from './topic-names.ts';
import type { Topic } from '../model.ts';

type TopicTables = {
  // kind and description have defaults: a topic named in a story starts as neither.
  topics: { id: Generated<number>; slug: string; name: string; kind: ColumnType<string, string | undefined, string>; description: ColumnType<string, string | undefined, string> };
  topic_aliases: { alias_key: string; topic_id: number; alias: string };
  article_topics: { article_id: number; topic_id: number; position: number };
  articles: { id: number; status: string; published_at: string | null };
};

export interface TopicProfile {
  id: number;
  slug: string;
  name: string;
  kind: TopicKind;
  description: string;
  /** Other spellings, the name itself left out. */
  aliases: string[];
}

export class TopicRepository {
  private readonly db: Kysely<TopicTables>;

  constructor(rawDb: Db) {
    this.db = rawDb.withTables<TopicTables>();
  }

  transaction<T>(fn: (repo: TopicRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new TopicRepository(trx as unknown as Db), trx as unknown as Db));
  }

  async bySlug(slug: string): Promise<Topic | undefined> {
    return this.db.selectFrom('topics').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  }

  /** Topics at least one visible story carries, by slug, after `afterSlug`: the others are unpublished scoops. */
  async inUse(now: string, afterSlug: string, limit: number): Promise<Topic[]> {
    return this.db
      .selectFrom('topics')
      // The public fields only: a topic's spelling key and aliases are the newsroom's.
      .select(['id', 'slug', 'name'])
      .where('slug', '>', afterSlug)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('article_topics')
            .innerJoin('articles', 'articles.id', 'article_topics.article_id')
            .select('article_topics.article_id')
            .whereRef('article_topics.topic_id', '=', 'topics.id')
            .where('articles.status', '=', 'published')
            .where('articles.published_at', '<=', now),
        ),
      )
      .orderBy('slug')
      .limit(limit)
      .execute();
  }

  /**
   * The topics of these names: by slug, else by any spelling of an existing topic ("Zelensky" is
   * "Volodymyr Zelenskyy" once that is an alias), else new (with its name's spelling key). Each
   * topic once, in the order first named.
   */
  async ensure(topics: { slug: string; name: string }[]): Promise<Topic[]> {
    const found = new Map<number, Topic>();
    for (const topic of topics) {
      let existing = (await this.bySlug(topic.slug)) ?? (await this.byNameKey(nameKey(topic.name)));
      if (!existing) {
        existing = await this.db.insertInto('topics').values(topic).returning(['id', 'slug', 'name']).executeTakeFirstOrThrow();
        await this.addSpellings(existing.id, [topic.name]);
      }
      if (!found.has(existing.id)) found.set(existing.id, { id: existing.id, slug: existing.slug, name: existing.name });
    }
    return [...found.values()];
  }

  /** A story's topics, in order (replacing what it had). */
  async setForArticle(articleId: number, topicIds: number[]): Promise<void> {
    await this.db.deleteFrom('article_topics').where('article_id', '=', articleId).execute();
    if (topicIds.length === 0) return;
    await this.db
      .insertInto('article_topics')
      .values(topicIds.map((topic_id, position) => ({ article_id: articleId, topic_id, position })))
      .execute();
  }

  /** The topic a spelling names (its name or an alias), by key. */
  async byNameKey(key: string): Promise<{ id: number; slug: string; name: string } | undefined> {
    return this.db
      .selectFrom('topic_aliases as a')
      .innerJoin('topics as t', 't.id', 'a.topic_id')
      .select(['t.id', 't.slug', 't.name'])
      .where('a.alias_key', '=', key)
      .executeTakeFirst();
  }

  /** Records spellings of a topic; one another topic holds already stays that topic's. */
  async addSpellings(topicId: number, spellings: string[]): Promise<void> {
    // One row per key, the first spelling given ("Zelenskiy" after "Zelensky" is the same key).
    const byKey = new Map<string, string>();
    for (const spelling of spellings) if (nameKey(spelling) && !byKey.has(nameKey(spelling))) byKey.set(nameKey(spelling), spelling);
    const rows = [...byKey].map(([alias_key, alias]) => ({ alias_key, alias, topic_id: topicId }));
    if (rows.length) await this.db.insertInto('topic_aliases').values(rows).onConflict((oc) => oc.column('alias_key').doNothing()).execute();
  }

  async profiles(ids?: number[]): Promise<TopicProfile[]> {
    if (ids && ids.length === 0) return [];
    let query = this.db.selectFrom('topics').select(['id', 'slug', 'name', 'kind', 'description']).orderBy('name');
    if (ids) query = query.where('id', 'in', ids);
    const topics = await query.execute();
    const aliases = await this.db.selectFrom('topic_aliases').select(['topic_id', 'alias', 'alias_key']).execute();
    const byTopic = new Map<number, { alias: string; alias_key: string }[]>();
    for (const a of aliases) byTopic.set(a.topic_id, [...(byTopic.get(a.topic_id) ?? []), a]);
    return topics.map((t) => ({
      id: t.id,
      slug: t.slug,
      name: t.name,
      kind: t.kind as TopicKind,
      description: t.description,
      aliases: (byTopic.get(t.id) ?? []).filter((a) => a.alias_key !== nameKey(t.name)).map((a) => a.alias).sort(),
    }));
  }

  /** Topics made before spellings were kept get their own name's key (a no-op once done). */
  async keyNames(): Promise<void> {
    const missing = await this.db
      .selectFrom('topics')
      .select(['id', 'name'])
      .where('id', 'not in', (eb) => eb.selectFrom('topic_aliases').select('topic_id'))
      .execute();
    for (const topic of missing) await this.addSpellings(topic.id, [topic.name]);
  }

  async update(id: number, fields: { kind?: TopicKind; description?: string }): Promise<void> {
    if (fields.kind === undefined && fields.description === undefined) return;
    await this.db.updateTable('topics').set(fields).where('id', '=', id).execute();
  }

  async removeAlias(topicId: number, key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('topic_aliases').where('topic_id', '=', topicId).where('alias_key', '=', key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Topics readers can see (with at least one visible story), by name, with their story counts. */
  async visibleIndex(now: string): Promise<{ slug: string; name: string; kind: TopicKind; stories: number }[]> {
    const rows = await this.db
      .selectFrom('topics as t')
      .innerJoin('article_topics as at', 'at.topic_id', 't.id')
      .innerJoin('articles as a', 'a.id', 'at.article_id')
      .select(['t.slug', 't.name', 't.kind', sql<number | string>`count(*)`.as('stories')])
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', now)
      .groupBy(['t.id', 't.slug', 't.name', 't.kind'])
      .orderBy('t.name')
      .execute();
    return rows.map((r) => ({ slug: r.slug, name: r.name, kind: r.kind as TopicKind, stories: Number(r.stories) }));
  }
}
