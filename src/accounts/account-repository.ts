// All SQL for accounts: users, sessions, one-time links, API tokens, the security policy.
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Db } from '../platform/db.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
export type AccountTables = {
  users: {
    id: Generated<number>;
    email: string;
    name: string;
    role: string;
    password_hash: string | null;
    totp_secret: string | null;
    totp_pending_secret: string | null;
    totp_last_step: Generated<number>;
    failed_sign_ins: Generated<number>;
    locked_until: string | null;
    /** When the current or last lock began; cleared once its owner has been told. */
    locked_at: string | null;
    deactivated_at: string | null;
    created_at: string;
  };
  sessions: { id: Generated<number>; token_hash: string; user_id: number; stage: string; created_at: string; expires_at: string };
  one_time_links: {
    id: Generated<number>;
    token_hash: string;
    purpose: string;
    user_id: number | null;
    created_at: string;
    expires_at: string;
    used_at: string | null;
  };
  api_tokens: {
    id: Generated<number>;
    name: string;
    role: string;
    token_hash: string;
    created_by: string;
    /** The person who made it (null for the command line); their demotion or deactivation revokes it. */
    created_by_user_id: number | null;
    created_at: string;
    expires_at: string | null;
    revoked_at: string | null;
    last_used_at: string | null;
  };
  account_policy: { key: string; value: string };
};

export type UserRow = Selectable<AccountTables['users']>;
export type TokenRow = Selectable<AccountTables['api_tokens']>;

export class AccountRepository {
  readonly db: Kysely<AccountTables>;

  constructor(db: Db | Kysely<AccountTables>) {
    this.db = (db as Db).withTables<AccountTables>();
  }

  transaction<T>(fn: (repo: AccountRepository, trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new AccountRepository(trx), trx as unknown as Db));
  }

  // Users

  userByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  userById(id: number): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listUsers(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('name').orderBy('id').execute();
  }

  async countAdministrators(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('role', '=', 'administrator')
      .where('deactivated_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertUser(user: { email: string; name: string; role: string; passwordHash: string | null; now: string }): Promise<number> {
    const row = await this.db
      .insertInto('users')
      .values({ email: user.email, name: user.name, role: user.role, password_hash: user.passwordHash, created_at: user.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updateUser(id: number, patch: Partial<Omit<UserRow, 'id'>>): Promise<void> {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  /** Counts a failed sign-in; locks the account when the count reaches `limit` (true then). Atomic. */
  async recordFailure(id: number, limit: number, lockUntil: string, now: string): Promise<boolean> {
    await this.db
      .updateTable('users')
      .set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) }))
      .where('id', '=', id)
      .execute();
    const locked = await this.db
      .updateTable('users')
      .set({ locked_until: lockUntil, locked_at: now, failed_sign_ins: 0 })
      .where('id', '=', id)
      .where('failed_sign_ins', '>=', limit)
      .executeTakeFirst();
    return Number(locked.numUpdatedRows) === 1;
  }

  // Sessions

  async insertSession(s: { tokenHash: string; userId: number; stage: string; now: string; expiresAt: string }): Promise<void> {
    await this.db.insertInto('sessions').values({ token_hash: s.tokenHash, user_id: s.userId, stage: s.stage, created_at: s.now, expires_at: s.expiresAt }).execute();
  }

  sessionByHash(tokenHash: string, now: string) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as sessionId', 'sessions.stage', 'users.id', 'users.name', 'users.email', 'users.role', 'users.totp_secret', 'users.locked_at'])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
      .where('users.deactivated_at', 'is', null)
      .executeTakeFirst();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteSessionsOf(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  /** Drops expired sessions and links: they no longer open anything. */
  async pruneExpired(now: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('one_time_links').where('expires_at', '<=', now).execute();
  }

  // One-time links

  async insertLink(l: { tokenHash: string; purpose: string; userId: number | null; now: string; expiresAt: string }): Promise<void> {
    await this.db.insertInto('one_time_links').values({ token_hash: l.tokenHash, purpose: l.purpose, user_id: l.userId, created_at: l.now, expires_at: l.expiresAt }).execute();
  }

  validLink(tokenHash: string, purpose: string, now: string) {
    return this.db
      .selectFrom('one_time_links')
      .select(['id', 'user_id'])
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Marks a link used; false when another request used it first (so it works exactly once). */
  async useLink(id: number, now: string): Promise<boolean> {
    const result = await this.db.updateTable('one_time_links').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Retires a person's (or the setup) links that are still open, when a new one is issued. */
  async retireLinks(purpose: string, userId: number | null, now: string): Promise<void> {
    let query = this.db.updateTable('one_time_links').set({ used_at: now }).where('purpose', '=', purpose).where('used_at', 'is', null);
    query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
    await query.execute();
  }

  // API tokens

  async insertToken(t: { name: string; role: string; tokenHash: string; createdBy: string; makerId: number | null; now: string; expiresAt: string | null }): Promise<number> {
    const row = await this.db
      .insertInto('api_tokens')
      .values({ name: t.name, role: t.role, token_hash: t.tokenHash, created_by: t.createdBy, created_by_user_id: t.makerId, created_at: t.now, expires_at: t.expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The token, when it is neither revoked nor expired. */
  activeTokenByHash(tokenHash: string, now: string): Promise<TokenRow | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
  }

  /** Revokes every token the person made that still works; returns them (for the audit log). */
  async revokeTokensMadeBy(userId: number, now: string): Promise<TokenRow[]> {
    const open = await this.db.selectFrom('api_tokens').selectAll().where('created_by_user_id', '=', userId).where('revoked_at', 'is', null).execute();
    if (open.length) await this.db.updateTable('api_tokens').set({ revoked_at: now }).where('id', 'in', open.map((t) => t.id)).execute();
    return open;
  }

  listTokens(): Promise<TokenRow[]> {
    return this.db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc').execute();
  }

  async revokeToken(id: number, now: string): Promise<TokenRow | undefined> {
    await this.db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    return this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async touchToken(id: number, now: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  // Security policy

  async policy(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('account_policy').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async setPolicy(key: string, value: string): Promise<void> {
    await this.db.deleteFrom('account_policy').where('key', '=', key).execute();
    await this.db.insertInto('account_policy').values({ key, value }).execute();
  }
}
