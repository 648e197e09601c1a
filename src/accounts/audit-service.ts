// The audit log: who did what, when, to what. Features call `audit.record(trx, …)` inside the
// transaction of the change they log, so the change and its record commit (or fail) together.
import type { Generated, Kysely } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import type { Actor } from '../newsroom/permissions.ts';

/** Who did something the audit log records: a person or token, the CLI, or first-run setup. */
export type AuditActor = Actor | 'cli' | 'setup';

type AuditTables = {
  audit_log: { id: Generated<number>; at: string; actor: string; action: string; target: string; detail: string };
};

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

/** How an actor is written in the log: readable, and stable enough to search for. */
export function actorLabel(actor: Actor | 'cli' | 'setup' | 'scheduler' | 'sign-in'): string {
  if (typeof actor === 'string') return actor;
  return `${actor.kind}:${actor.id} ${actor.name}`;
}

/** The one audit log of the site, built before the features that write to it. */
export function auditLog(platform: { db: Db; clock: Clock }): AuditService {
  return new AuditService(platform.db, platform.clock);
}

export class AuditService {
  private readonly db: Kysely<AuditTables>;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.db = db.withTables<AuditTables>();
  }

  /** Writes one entry; pass the transaction of the change being logged. */
  async record(
    // Any feature's transaction: the entry is written beside whatever that feature changed.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    trx: Kysely<any>,
    entry: { actor: Actor | 'cli' | 'setup' | 'scheduler' | 'sign-in'; action: string; target: string; detail?: Record<string, unknown> },
  ): Promise<void> {
    await (trx as Kysely<AuditTables>)
      .insertInto('audit_log')
      .values({
        at: this.clock.now().toISOString(),
        actor: actorLabel(entry.actor),
        action: entry.action,
        target: entry.target,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .execute();
  }

  /** The newest entries first. */
  async recent(limit = 100): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ ...r, detail: parseDetail(r.detail) }));
  }

  /** Shorthand for a change that has no transaction of its own to join. */
  write(entry: Parameters<AuditService['record']>[1]): Promise<void> {
    return this.record(this.db, entry);
  }
}

function parseDetail(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
