// Admin-API tokens: created by administrators (newsroom or CLI), shown once, stored hashed, revocable,
// and acting with the permissions of their role.
import type { Clock } from '../platform/clock.ts';
import { notFound, type FieldError } from '../platform/errors.ts';
import type { AuditService } from './audit-service.ts';
import type { Actor, Role } from '../newsroom/permissions.ts';
import type { AccountRepository, TokenRow } from './account-repository.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { AuditActor } from './account-service.ts';
import { checkRole, throwIf } from './validate.ts';

/** A recognisable prefix, so a leaked token is easy to spot in logs and secret scanners. */
export const TOKEN_PREFIX = 'bt_';

export interface ApiToken {
  id: number;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
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
    throwIf(errors);
    const token = newSecret(TOKEN_PREFIX);
    const now = this.clock.now().toISOString();
    const createdBy = typeof actor === 'string' ? actor : `${actor.kind}:${actor.id} ${actor.name}`;
    const id = await this.repo.transaction(async (repo, trx) => {
      const id = await repo.insertToken({ name, role, tokenHash: hashSecret(token), createdBy, now });
      await this.audit.record(trx, { actor, action: 'token.create', target: `token:${id}`, detail: { name, role } });
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
    return (await this.repo.listTokens()).map(toApiToken);
  }

  /** The actor behind a Bearer token, or undefined when it is unknown or revoked. */
  async authenticate(token: string): Promise<Actor | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const row = await this.repo.activeTokenByHash(hashSecret(token));
    if (!row) return undefined;
    await this.repo.touchToken(row.id, this.clock.now().toISOString());
    return { kind: 'token', id: row.id, role: row.role as Role, name: row.name };
  }
}

function toApiToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
