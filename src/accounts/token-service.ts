// Admin-API tokens: created by administrators (newsroom or CLI), shown once, stored hashed, revocable,
// and acting with the permissions of their role.
import type { Clock } from '../platform/clock.ts';
import { notFound, type FieldError } from '../platform/errors.ts';
import type { AuditService } from './audit-service.ts';
import type { Db } from '../platform/db.ts';
import type { Actor, Role } from '../newsroom/permissions.ts';
import type { AccountRepository, TokenRow } from './account-repository.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { AuditActor } from './audit-service.ts';
import { checkRole, throwIf } from './validate.ts';

/** A recognisable prefix, so a leaked token is easy to spot in logs and secret scanners. */
export const TOKEN_PREFIX = 'bt_';

export interface ApiToken {
  id: number;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  /** Null: it works until revoked. */
  expiresAt: string | null;
  /** Past its expiry now (it no longer authenticates). */
  expired: boolean;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** The lifetimes the token form offers, in days ('never' as well); any whole number up to MAX works elsewhere. */
export const TOKEN_LIFETIMES = [30, 90, 365] as const;
const MAX_TOKEN_DAYS = 3650;
const DAY = 86400_000;

/**
 * `expires`: days from now ("90"), or "never" / nothing for a token that lasts until revoked.
 * Returns the expiry time, or null.
 */
export function tokenExpiry(raw: unknown, now: Date, errors: FieldError[]): string | null {
  if (raw === undefined || raw === null || raw === '' || raw === 'never') return null;
  const days = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    errors.push({ field: 'expires', message: `A token expires after 1 to ${MAX_TOKEN_DAYS} days, or never.` });
    return null;
  }
  return new Date(now.getTime() + days * DAY).toISOString();
}

/**
 * Revokes the tokens a person made, in the caller's transaction, writing each to the audit log:
 * a token must not keep rights its maker has lost (demoted below administrator, or deactivated).
 */
export async function revokeTokensMadeBy(
  repo: AccountRepository,
  audit: AuditService,
  trx: Db,
  entry: { actor: AuditActor; userId: number; now: string; reason: string },
): Promise<number> {
  const revoked = await repo.revokeTokensMadeBy(entry.userId, entry.now);
  for (const token of revoked) {
    await audit.record(trx, { actor: entry.actor, action: 'token.revoke', target: `token:${token.id}`, detail: { name: token.name, reason: entry.reason } });
  }
  return revoked.length;
}

export class TokenService {
  constructor(
    private readonly repo: AccountRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Returns the token itself: the only time it exists outside the caller's hands. */
  async create(actor: AuditActor, input: Record<string, unknown>): Promise<{ id: number; token: string }> {
    const errors: FieldError[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name || name.length > 80) errors.push({ field: 'name', message: 'Name the token (1 to 80 characters), e.g. "wire importer".' });
    const role = checkRole(input.role, errors);
    const expiresAt = tokenExpiry(input.expires, this.clock.now(), errors);
    throwIf(errors);
    const token = newSecret(TOKEN_PREFIX);
    const now = this.clock.now().toISOString();
    const createdBy = typeof actor === 'string' ? actor : `${actor.kind}:${actor.id} ${actor.name}`;
    const makerId = typeof actor !== 'string' && actor.kind === 'user' ? actor.id : null;
    const id = await this.repo.transaction(async (repo, trx) => {
      const id = await repo.insertToken({ name, role, tokenHash: hashSecret(token), createdBy, makerId, now, expiresAt });
      await this.audit.record(trx, { actor, action: 'token.create', target: `token:${id}`, detail: { name, role, expiresAt } });
      return id;
    });
    return { id, token };
  }

  async revoke(actor: AuditActor, id: number): Promise<void> {
    await this.repo.transaction(async (repo, trx) => {
      const row = await repo.revokeToken(id, this.clock.now().toISOString());
      if (!row) throw notFound('There is no such token.');
      await this.audit.record(trx, { actor, action: 'token.revoke', target: `token:${id}`, detail: { name: row.name } });
    });
  }

  async list(): Promise<ApiToken[]> {
    const now = this.clock.now().toISOString();
    return (await this.repo.listTokens()).map((row) => toApiToken(row, now));
  }

  /** The actor behind a Bearer token, or undefined when it is unknown, revoked or expired. */
  async authenticate(token: string): Promise<Actor | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const row = await this.repo.activeTokenByHash(hashSecret(token), this.clock.now().toISOString());
    if (!row) return undefined;
    await this.repo.touchToken(row.id, this.clock.now().toISOString());
    return { kind: 'token', id: row.id, role: row.role as Role, name: row.name };
  }
}

function toApiToken(row: TokenRow, now: string): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    expired: row.expires_at !== null && row.expires_at <= now,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
