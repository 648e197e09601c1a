// "Ada is also editing this story": each open editor sends a heartbeat; people seen within the
// last PRESENCE_WINDOW_MS are present. Kept in the database so every node sees every editor.
import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db.ts';

type PresenceTables = {
  story_presence: { article_id: number; user_id: number; display_name: string; seen_at: string };
};

export const PRESENCE_WINDOW_MS = 45_000;

export interface Editor {
  userId: number;
  name: string;
  seenAt: string;
}

export class PresenceService {
  private readonly db: Kysely<PresenceTables>;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.db = db.withTables<PresenceTables>();
  }

  /** Records that `userId` has the story open, and returns the OTHER people who have it open. */
  async heartbeat(articleId: number, userId: number, name: string): Promise<Editor[]> {
    const now = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('story_presence').where('article_id', '=', articleId).where('user_id', '=', userId).execute();
      await trx.insertInto('story_presence').values({ article_id: articleId, user_id: userId, display_name: name, seen_at: now }).execute();
    });
    return (await this.present(articleId)).filter((e) => e.userId !== userId);
  }

  /** Called when an editor closes the story (best effort: the window expires it anyway). */
  async leave(articleId: number, userId: number): Promise<void> {
    await this.db.deleteFrom('story_presence').where('article_id', '=', articleId).where('user_id', '=', userId).execute();
  }

  async present(articleId: number): Promise<Editor[]> {
    const since = new Date(this.now().getTime() - PRESENCE_WINDOW_MS).toISOString();
    const rows = await this.db
      .selectFrom('story_presence')
      .select(['user_id', 'display_name', 'seen_at'])
      .where('article_id', '=', articleId)
      .where('seen_at', '>=', since)
      .orderBy('seen_at', 'desc')
      .execute();
    return rows.map((r) => ({ userId: r.user_id, name: r.display_name, seenAt: r.seen_at }));
  }

  /** Drops rows long past the window (run now and then; reads ignore them anyway). */
  async prune(): Promise<void> {
    const before = new Date(this.now().getTime() - 10 * PRESENCE_WINDOW_MS).toISOString();
    await this.db.deleteFrom('story_presence').where('seen_at', '<', before).execute();
  }
}

/** "Ada is also editing this story." / "Ada and Ben are also editing this story." */
export function presenceMessage(others: Editor[]): string {
  if (others.length === 0) return '';
  const names = others.map((e) => e.name);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${list} ${names.length === 1 ? 'is' : 'are'} also editing this story.`;
}
