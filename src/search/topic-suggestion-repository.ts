// The SQL of topic suggestions: the last ones computed per story (for the version they were made
// for) and the names editors rejected for it.
import type { Kysely } from 'kysely';
import type { Suggestion } from '../articles/topics/topic-extraction.ts';
import type { Db } from '../platform/db.ts';

type SuggestionTables = {
  topic_suggestions: { article_id: number; version: number; suggestions: string; computed_at: string };
  topic_rejections: { article_id: number; name_key: string; name: string; rejected_by: string; rejected_at: string };
};

export class TopicSuggestionRepository {
  private readonly db: Kysely<SuggestionTables>;

  constructor(rawDb: Db) {
    this.db = rawDb.withTables<SuggestionTables>();
  }

  async stored(articleId: number): Promise<{ version: number; suggestions: Suggestion[] } | undefined> {
    const row = await this.db.selectFrom('topic_suggestions').select(['version', 'suggestions']).where('article_id', '=', articleId).executeTakeFirst();
    return row && { version: row.version, suggestions: JSON.parse(row.suggestions) as Suggestion[] };
  }

  async store(articleId: number, version: number, suggestions: Suggestion[], now: string): Promise<void> {
    await this.db
      .insertInto('topic_suggestions')
      .values({ article_id: articleId, version, suggestions: JSON.stringify(suggestions), computed_at: now })
      .onConflict((oc) => oc.column('article_id').doUpdateSet({ version, suggestions: JSON.stringify(suggestions), computed_at: now }))
      .execute();
  }

  async rejected(articleId: number): Promise<Set<string>> {
    const rows = await this.db.selectFrom('topic_rejections').select('name_key').where('article_id', '=', articleId).execute();
    return new Set(rows.map((r) => r.name_key));
  }

  async reject(articleId: number, nameKey: string, name: string, by: string, now: string): Promise<void> {
    await this.db
      .insertInto('topic_rejections')
      .values({ article_id: articleId, name_key: nameKey, name, rejected_by: by, rejected_at: now })
      .onConflict((oc) => oc.columns(['article_id', 'name_key']).doNothing())
      .execute();
  }
}
