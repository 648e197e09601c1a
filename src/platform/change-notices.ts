// How a change reaches the other processes at once, instead of at the next change-log poll.
// PostgreSQL: `pg_notify` inside the writing transaction (PostgreSQL delivers it on commit and
// never for a rolled-back one), heard by one LISTEN connection per process. Several processes on
// one SQLite file (WEB_PROCESSES under node:cluster): each hands its committed changes to the
// cluster's primary, which passes them to the others. Either way the poll stays as the backstop:
// a notice sent while a listener was reconnecting is lost, a change-log row is not.
import cluster from 'node:cluster';
import pg from 'pg';
import { sql } from 'kysely';
import type { ChangeFeed } from './changes.ts';
import type { Db } from './db.ts';

/** PostgreSQL refuses payloads of 8000 bytes or more; a longer notice carries the id alone. */
const MAX_PAYLOAD = 7900;
const RECONNECT_MS = 1000;

/** One channel per schema: sites sharing a database (and the tests' schemas) do not hear each other. */
export function changeChannel(schema: string): string {
  return `bulletin_changes_${schema}`.slice(0, 63);
}

/** What a notice says: the change's id and, when they fit, its tags. */
export function noticePayload(change: { id: number; tags: readonly string[] }): string {
  const full = JSON.stringify({ id: change.id, tags: change.tags });
  return Buffer.byteLength(full) < MAX_PAYLOAD ? full : JSON.stringify({ id: change.id });
}

/** A notice as received: input from another process, checked before use. */
export function parseNotice(payload: string | undefined): { id: number; tags?: string[] } | undefined {
  try {
    const value = JSON.parse(payload ?? '') as { id?: unknown; tags?: unknown };
    if (!Number.isSafeInteger(value.id)) return undefined;
    const tags = Array.isArray(value.tags) ? value.tags.filter((t): t is string => typeof t === 'string') : undefined;
    return { id: value.id as number, ...(tags && { tags }) };
  } catch {
    return undefined;
  }
}

export interface NoticeListener {
  close(): Promise<void>;
}

/**
 * Every change recorded through `feed` is sent as a NOTIFY in its transaction: by every process,
 * the CLI's included (a process that never listens still tells the others).
 */
export function sendChangeNotices(feed: ChangeFeed, schema: string): void {
  const channel = changeChannel(schema);
  feed.onRecord(async (trx: Db, change) => {
    await sql`select pg_notify(${channel}, ${noticePayload(change)})`.execute(trx);
  });
}

/**
 * Listens on a connection of its own for everyone's notices (this process's included: the feed
 * applies each id once). A lost connection is opened again, and the change log polled at once for
 * what went by meanwhile.
 */
export async function listenForChanges(feed: ChangeFeed, connection: { url: string; schema: string }, log: { warn(details: object, message: string): void }): Promise<NoticeListener> {
  const channel = changeChannel(connection.schema);
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const onNotice = (message: pg.Notification) => {
    if (message.channel !== channel) return;
    const notice = parseNotice(message.payload);
    if (!notice) return;
    if (notice.tags) return feed.receive({ id: notice.id, tags: notice.tags });
    void feed.tagsOf(notice.id).then((tags) => feed.receive({ id: notice.id, tags }), () => feed.poll());
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: connection.url });
    next.on('notification', onNotice);
    next.on('error', (err) => {
      log.warn({ err }, 'change notices: connection lost; the change-log poll covers the gap');
      reconnect(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN "${channel}"`);
    } catch (error) {
      void next.end().catch(() => undefined);
      throw error;
    }
    if (closed) return void (await next.end().catch(() => undefined));
    client = next;
  };
  const reconnect = (broken: pg.Client) => {
    if (closed || client !== broken) return;
    client = undefined;
    void broken.end().catch(() => undefined);
    scheduleConnect();
  };
  const scheduleConnect = () => {
    if (closed) return;
    retry = setTimeout(() => {
      connect().then(
        () => feed.poll(),
        () => scheduleConnect(),
      );
    }, RECONNECT_MS);
    retry.unref();
  };
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

interface RelayedChange {
  type: 'bulletin:change';
  id: number;
  tags: string[];
}

function isRelayedChange(message: unknown): message is RelayedChange {
  const m = message as Partial<RelayedChange> | null;
  return m?.type === 'bulletin:change' && Number.isSafeInteger(m.id) && Array.isArray(m.tags);
}

/** In a cluster's web process: hands our changes to the primary and applies the others'. */
export function relayThroughPrimary(feed: ChangeFeed): void {
  if (!cluster.isWorker || !process.send) return;
  feed.relayTo((change) => process.send?.({ type: 'bulletin:change', id: change.id, tags: [...change.tags] } satisfies RelayedChange));
  process.on('message', (message: unknown) => {
    if (isRelayedChange(message)) feed.receive({ id: message.id, tags: message.tags });
  });
}

/** In the cluster's primary: passes each web process's changes to every other one. */
export function relayBetweenWorkers(): void {
  cluster.on('message', (from, message: unknown) => {
    if (!isRelayedChange(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) if (worker && worker !== from && worker.isConnected()) worker.send(message);
  });
}
