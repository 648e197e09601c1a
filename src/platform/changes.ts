// Change feed: every write that affects what readers see records the cache tags it touched, in the
// same transaction as the write. This process applies its own changes at once; other processes
// (the CLI, other web nodes, the other web processes of a cluster) hear of them through a channel
// when there is one (PostgreSQL NOTIFY, sent in the writing transaction so it fires on commit; the
// cluster's primary relaying between the processes on one SQLite file), and in any case by polling
// the change_log table: the backstop for a notice lost while a listener was reconnecting.
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type ChangeLogTable = {
  change_log: { id: import('kysely').Generated<number>; tags: string; created_at: string };
};

const RESCAN_MS = 5000;

/** A recorded change: its change-log id (null when it touched nothing) and its tags. */
export interface Change {
  id: number | null;
  tags: readonly string[];
}

export type ChangeListener = (tags: readonly string[]) => void;

/** Runs inside the writing transaction with the change just recorded (PostgreSQL's NOTIFY, the edge-cache purge queue). */
export type RecordHook = (trx: Db, change: Change & { id: number }) => Promise<void>;

/** Hands a committed change of this process to the other processes (the cluster relay on SQLite). */
export type ChangeRelay = (change: Change & { id: number }) => void;

export class ChangeFeed {
  private readonly db;
  private readonly listeners: ChangeListener[] = [];
  private lastSeenId = 0;
  /** Ids applied recently, with when; kept while they can still turn up in the rescan window. */
  private readonly seen = new Map<number, number>();
  private readonly recordHooks: RecordHook[] = [];
  private readonly relays: ChangeRelay[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    db: Db,
    private readonly pollMs: number,
    /** Change times and the rescan window follow it, so both read the same clock. */
    private readonly clock: Clock,
  ) {
    this.db = db.withTables<ChangeLogTable>();
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Work that must commit or roll back with every change (a notice to other nodes, a purge queued). */
  onRecord(hook: RecordHook): void {
    this.recordHooks.push(hook);
  }

  /** Where this process's own committed changes go besides its listeners. */
  relayTo(relay: ChangeRelay): void {
    this.relays.push(relay);
  }

  /** Records the tags inside the caller's transaction; pass the result to `applied` after it commits. */
  async record(trx: Db, tags: Iterable<string>): Promise<Change> {
    const list = [...new Set(tags)];
    if (list.length === 0) return { id: null, tags: list };
    const row = await trx
      .withTables<ChangeLogTable>()
      .insertInto('change_log')
      .values({ tags: JSON.stringify(list), created_at: this.clock.now().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const change = { id: Number(row.id), tags: list };
    for (const hook of this.recordHooks) await hook(trx, change);
    return change;
  }

  /**
   * Tells this process's listeners (the page cache) about a committed change, and remembers its id
   * so the poll does not apply it a second time. (Only after the commit: a rolled-back id may be
   * handed to another process's change.)
   */
  applied(change: Change): void {
    if (change.id !== null) {
      // This process's own listener may have heard the commit's NOTIFY already.
      if (this.seen.has(change.id)) return;
      // Only a watching process meets its own ids again; one that never polls (a CLI import of
      // 100,000 stories) would only pile them up.
      if (this.timer) this.seen.set(change.id, this.clock.now().getTime());
      for (const relay of this.relays) relay({ id: change.id, tags: change.tags });
    }
    this.notify(change.tags);
  }

  /**
   * A change another process committed, heard through a channel (NOTIFY, the cluster relay):
   * applied once, whichever of the channel and the poll brings it first.
   */
  receive(change: { id: number; tags: readonly string[] }): void {
    if (this.seen.has(change.id)) return;
    this.seen.set(change.id, this.clock.now().getTime());
    this.notify(change.tags);
  }

  /** The tags of one change, for a notice too long to carry them (PostgreSQL's 8000-byte payload). */
  async tagsOf(id: number): Promise<string[]> {
    const row = await this.db.selectFrom('change_log').select('tags').where('id', '=', id).executeTakeFirst();
    return row ? parseTags(row.tags) : [];
  }

  private notify(tags: readonly string[]): void {
    if (tags.length === 0) return;
    for (const listener of this.listeners) listener(tags);
  }

  async start(): Promise<void> {
    const row = await this.db
      .selectFrom('change_log')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    this.lastSeenId = Number(row?.max ?? 0);
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Applies changes recorded by other processes since the last poll. On PostgreSQL a transaction
   * can commit after a later id is already visible, so the last few seconds are looked at again
   * and ids already applied are skipped.
   */
  async poll(now = this.clock.now().getTime()): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const recent = new Date(now - RESCAN_MS).toISOString();
      const rows = await this.db
        .selectFrom('change_log')
        .select(['id', 'tags'])
        .where((eb) => eb.or([eb('id', '>', this.lastSeenId), eb('created_at', '>=', recent)]))
        .orderBy('id')
        .limit(5000)
        .execute();
      for (const row of rows) {
        this.lastSeenId = Math.max(this.lastSeenId, Number(row.id));
        if (this.seen.has(Number(row.id))) continue;
        this.seen.set(Number(row.id), now);
        this.notify(parseTags(row.tags));
      }
      for (const [id, at] of this.seen) if (at < now - 2 * RESCAN_MS) this.seen.delete(id);
    } catch {
      // A failed poll (database busy or restarting) is retried on the next tick.
    } finally {
      this.polling = false;
    }
  }

  /**
   * How far this process is behind the change log: changes recorded (by any process) that it has
   * not applied yet, and the age of the oldest of them, in seconds (0 when it is up to date).
   */
  async lag(now = this.clock.now().getTime()): Promise<{ behind: number; seconds: number }> {
    const row = await this.db
      .selectFrom('change_log')
      .select((eb) => [eb.fn.countAll<number | string>().as('behind'), eb.fn.min('created_at').as('oldest')])
      .where('id', '>', this.lastSeenId)
      .executeTakeFirst();
    const behind = Number(row?.behind ?? 0);
    // A process that does not poll (a CLI command) applies nothing and is never "behind".
    if (!this.timer || behind === 0 || !row?.oldest) return { behind: 0, seconds: 0 };
    return { behind, seconds: Math.max(0, (now - Date.parse(String(row.oldest))) / 1000) };
  }

  /** Drops entries older than a day; every process has polled them long before. */
  async prune(now = this.clock.now()): Promise<void> {
    const cutoff = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
    await this.db.deleteFrom('change_log').where('created_at', '<', cutoff).execute();
  }
}

/** A change_log row's tags (a JSON list; anything else reads as none). */
export function parseTags(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
