// Staff accounts: first-run setup, invitations and password links, sign-in with lockout and an
// optional second factor, sessions, roles and the security policy.
import type { Clock } from '../platform/clock.ts';
import { AppError, conflict, notFound, type FieldError } from '../platform/errors.ts';
import type { AuditService } from './audit-service.ts';
import { allows, type Actor, type Role } from '../newsroom/permissions.ts';
import type { AccountRepository, UserRow } from './account-repository.ts';
import { checkPassword, hashPassword, hashSecret, newSecret } from './secrets.ts';
import type { LockNotifier } from './lock-mail.ts';
import { revokeTokensMadeBy } from './token-service.ts';
import { checkTotp, newTotpSecret } from './two-factor.ts';
import { checkName, checkNewPassword, checkRole, normalEmail, throwIf } from './validate.ts';

export const LINK_HOURS = 24;
export const SESSION_DAYS = 14;
/** How long the half-signed-in state lasts between the password and the two-factor code. */
export const SECOND_FACTOR_MINUTES = 10;
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;

export interface SessionUser extends Actor {
  kind: 'user';
  email: string;
  stage: 'full' | 'totp';
  totpEnabled: boolean;
  /** Set when the account was locked by failed sign-ins and its owner has not yet been told. */
  lockedAt: string | null;
}

import type { AuditActor } from './audit-service.ts';
export type { AuditActor };

/**
 * One answer for every failed sign-in (unknown email, wrong password, locked account), so it does
 * not tell which staff emails exist or which accounts are locked.
 */
const wrongCredentials = () =>
  new AppError('unauthorized', `The email or password is not right. After ${LOCK_AFTER_FAILURES} failed attempts in a row, an account is locked for ${LOCK_MINUTES} minutes.`);
const badLink = () => new AppError('forbidden', 'This link is not valid: it may have been used already or have expired. Ask an administrator for a new one.');

export class AccountService {
  constructor(
    private readonly repo: AccountRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly siteUrl: string,
    /** Tells the owner of an account that failed sign-ins just locked it (by mail). */
    private readonly notifyLock?: LockNotifier,
  ) {}

  private now(offsetMs = 0): string {
    return new Date(this.clock.now().getTime() + offsetMs).toISOString();
  }

  // First run

  async needsSetup(): Promise<boolean> {
    return (await this.repo.countAdministrators()) === 0;
  }

  /** A fresh setup link (earlier unused ones stop working). */
  async issueSetupLink(): Promise<string> {
    const token = newSecret();
    await this.repo.transaction(async (repo) => {
      await repo.retireLinks('setup', null, this.now());
      await repo.insertLink({ tokenHash: hashSecret(token), purpose: 'setup', userId: null, now: this.now(), expiresAt: this.now(LINK_HOURS * 3600_000) });
    });
    return `${this.siteUrl}/newsroom/setup?token=${token}`;
  }

  async linkIsValid(token: string, purpose: 'setup' | 'password'): Promise<boolean> {
    return (await this.repo.validLink(hashSecret(token), purpose, this.now())) !== undefined;
  }

  /** Creates the first administrator; the setup link works once, and only while there is none. */
  async completeSetup(token: string, input: Record<string, unknown>): Promise<number> {
    const errors: FieldError[] = [];
    const email = normalEmail(input.email, errors);
    const name = checkName(input.name, errors);
    const password = checkNewPassword(input.password, input.confirm, errors);
    throwIf(errors);
    const passwordHash = await hashPassword(password);
    return this.repo.transaction(async (repo, trx) => {
      const link = await repo.validLink(hashSecret(token), 'setup', this.now());
      if (!link || (await repo.countAdministrators()) > 0 || !(await repo.useLink(link.id, this.now()))) throw badLink();
      if (await repo.userByEmail(email)) throw conflict('A staff member with this email exists already.', 'email');
      const id = await repo.insertUser({ email, name, role: 'administrator', passwordHash, now: this.now() });
      await this.audit.record(trx, { actor: 'setup', action: 'user.create', target: `user:${id}`, detail: { email, role: 'administrator' } });
      return id;
    });
  }

  // Staff

  listUsers(): Promise<UserRow[]> {
    return this.repo.listUsers();
  }

  userById(id: number): Promise<UserRow | undefined> {
    return this.repo.userById(id);
  }

  userByEmail(email: string): Promise<UserRow | undefined> {
    return this.repo.userByEmail(email.trim().toLowerCase());
  }

  /** Adds a staff member and returns the one-time link that lets them choose a password. */
  async addUser(actor: AuditActor, input: Record<string, unknown>): Promise<{ id: number; link: string }> {
    const errors: FieldError[] = [];
    const email = normalEmail(input.email, errors);
    const role = checkRole(input.role, errors);
    const rawName = typeof input.name === 'string' && input.name.trim() ? input.name : email.split('@')[0];
    const name = checkName(rawName, errors);
    throwIf(errors);
    return this.repo.transaction(async (repo, trx) => {
      if (await repo.userByEmail(email)) throw conflict('A staff member with this email exists already.', 'email');
      const id = await repo.insertUser({ email, name, role, passwordHash: null, now: this.now() });
      await this.audit.record(trx, { actor, action: 'user.create', target: `user:${id}`, detail: { email, role } });
      return { id, link: await this.passwordLink(repo, id) };
    });
  }

  /** A one-time link to set a new password (an invitation for new staff, a reset for others). */
  async issuePasswordLink(actor: AuditActor, email: string): Promise<string> {
    const user = await this.repo.userByEmail(email.trim().toLowerCase());
    if (!user) throw notFound('There is no staff member with this email.');
    if (user.deactivated_at) throw conflict(`${user.name}’s account is deactivated; reactivate it first.`);
    return this.repo.transaction(async (repo, trx) => {
      await this.audit.record(trx, { actor, action: 'user.password-link', target: `user:${user.id}` });
      return this.passwordLink(repo, user.id);
    });
  }

  private async passwordLink(repo: AccountRepository, userId: number): Promise<string> {
    const token = newSecret();
    await repo.retireLinks('password', userId, this.now());
    await repo.insertLink({ tokenHash: hashSecret(token), purpose: 'password', userId, now: this.now(), expiresAt: this.now(LINK_HOURS * 3600_000) });
    return `${this.siteUrl}/newsroom/password?token=${token}`;
  }

  /** Sets the password from a one-time link; signs the person out everywhere and lifts a lockout. */
  async setPasswordWithLink(token: string, input: Record<string, unknown>): Promise<void> {
    const errors: FieldError[] = [];
    const password = checkNewPassword(input.password, input.confirm, errors);
    throwIf(errors);
    const passwordHash = await hashPassword(password);
    await this.repo.transaction(async (repo) => {
      const link = await repo.validLink(hashSecret(token), 'password', this.now());
      if (!link || link.user_id === null || !(await repo.useLink(link.id, this.now()))) throw badLink();
      await repo.updateUser(link.user_id, { password_hash: passwordHash, failed_sign_ins: 0, locked_until: null });
      await repo.deleteSessionsOf(link.user_id);
    });
  }

  /**
   * Changes a person's role. Sessions opened under the old role end; when the new role may not
   * manage tokens, the tokens they made are revoked (a token never keeps rights its maker lost).
   * Returns how many tokens were revoked.
   */
  async changeRole(actor: Actor, userId: number, rawRole: unknown): Promise<{ revokedTokens: number }> {
    const errors: FieldError[] = [];
    const role: Role = checkRole(rawRole, errors);
    throwIf(errors);
    return this.repo.transaction(async (repo, trx) => {
      const user = await repo.userById(userId);
      if (!user) throw notFound('There is no such staff member.');
      if (user.role === role) return { revokedTokens: 0 };
      if (user.role === 'administrator' && !user.deactivated_at && (await repo.countAdministrators()) === 1) {
        throw conflict('This is the only administrator; make someone else an administrator first.', 'role');
      }
      await repo.updateUser(userId, { role });
      await repo.deleteSessionsOf(userId);
      await this.audit.record(trx, { actor, action: 'user.role', target: `user:${userId}`, detail: { from: user.role, to: role } });
      const keepsTokens = allows({ kind: 'user', id: userId, role, name: user.name }, 'canManageTokens');
      const revokedTokens = keepsTokens ? 0 : await revokeTokensMadeBy(repo, this.audit, trx, { actor, userId, now: this.now(), reason: `maker’s role changed to ${role}` });
      return { revokedTokens };
    });
  }

  /**
   * Deactivates an account without deleting it (their stories, bylines and audit entries stay):
   * they cannot sign in, their sessions and open links end, and the tokens they made are revoked.
   */
  async deactivate(actor: Actor, userId: number): Promise<{ revokedTokens: number }> {
    if (actor.kind === 'user' && actor.id === userId) throw conflict('You cannot deactivate your own account; ask another administrator.');
    return this.repo.transaction(async (repo, trx) => {
      const user = await repo.userById(userId);
      if (!user) throw notFound('There is no such staff member.');
      if (user.deactivated_at) return { revokedTokens: 0 };
      if (user.role === 'administrator' && (await repo.countAdministrators()) === 1) {
        throw conflict('This is the only active administrator; make someone else an administrator first.');
      }
      await repo.updateUser(userId, { deactivated_at: this.now() });
      await repo.deleteSessionsOf(userId);
      await repo.retireLinks('password', userId, this.now());
      await this.audit.record(trx, { actor, action: 'user.deactivate', target: `user:${userId}`, detail: { email: user.email, role: user.role } });
      return { revokedTokens: await revokeTokensMadeBy(repo, this.audit, trx, { actor, userId, now: this.now(), reason: 'maker deactivated' }) };
    });
  }

  /** Lets a deactivated person sign in again with their password (tokens revoked then stay revoked). */
  async reactivate(actor: Actor, userId: number): Promise<void> {
    await this.repo.transaction(async (repo, trx) => {
      const user = await repo.userById(userId);
      if (!user) throw notFound('There is no such staff member.');
      if (!user.deactivated_at) return;
      await repo.updateUser(userId, { deactivated_at: null, failed_sign_ins: 0, locked_until: null });
      await this.audit.record(trx, { actor, action: 'user.reactivate', target: `user:${userId}` });
    });
  }

  // Sign-in

  /** Checks the password; returns a session token ('totp' stage when a code is still owed). */
  async signIn(input: Record<string, unknown>): Promise<{ token: string; stage: 'full' | 'totp' }> {
    const errors: FieldError[] = [];
    const email = normalEmail(input.email, errors);
    if (typeof input.password !== 'string' || !input.password) errors.push({ field: 'password', message: 'Enter your password.' });
    throwIf(errors);
    const user = await this.repo.userByEmail(email);
    // The password is checked whatever else is true (a decoy hash for an unknown email), so every
    // refusal takes the same time and reads the same.
    const ok = await checkPassword(user?.password_hash ?? null, input.password as string);
    const locked = Boolean(user?.locked_until && user.locked_until > this.now());
    if (!user || !ok || locked || user.deactivated_at) {
      if (user && !locked && !user.deactivated_at) await this.countFailure(user);
      throw wrongCredentials();
    }
    await this.repo.updateUser(user.id, { failed_sign_ins: 0, locked_until: null });
    const stage = user.totp_secret ? 'totp' : 'full';
    return { token: await this.openSession(user.id, stage), stage };
  }

  /** The second step: a valid code turns the half-open session into a full one (new token). */
  async completeSecondFactor(sessionToken: string, code: unknown): Promise<string> {
    const session = await this.repo.sessionByHash(hashSecret(sessionToken), this.now());
    if (!session || session.stage !== 'totp' || !session.totp_secret) throw new AppError('unauthorized', 'Sign in again: the sign-in took too long.');
    const user = (await this.repo.userById(session.id))!;
    this.refuseIfLocked(user);
    const step = typeof code === 'string' ? checkTotp(session.totp_secret, code, user.totp_last_step, this.clock.now()) : null;
    if (step === null) {
      await this.countFailure(user);
      throw invalidCode();
    }
    await this.repo.updateUser(user.id, { totp_last_step: step, failed_sign_ins: 0 });
    await this.repo.deleteSession(hashSecret(sessionToken));
    return this.openSession(user.id, 'full');
  }

  /** One more failed attempt; the attempt that locks the account is written to the audit log. */
  private async countFailure(user: UserRow): Promise<void> {
    const lockedNow = await this.repo.recordFailure(user.id, LOCK_AFTER_FAILURES, this.now(LOCK_MINUTES * 60_000), this.now());
    if (lockedNow) {
      await this.audit.write({ actor: 'sign-in', action: 'user.locked', target: `user:${user.id}`, detail: { after: LOCK_AFTER_FAILURES, minutes: LOCK_MINUTES } });
      this.notifyLock?.(user, LOCK_MINUTES);
    }
  }

  /** The owner has read the lock notice (shown on every newsroom page until then). */
  async dismissLockNotice(userId: number): Promise<void> {
    await this.repo.updateUser(userId, { locked_at: null });
  }

  private refuseIfLocked(user: UserRow | undefined): void {
    if (user?.locked_until && user.locked_until > this.now()) {
      throw new AppError('unauthorized', `Too many failed attempts: this account is locked for up to ${LOCK_MINUTES} minutes.`);
    }
  }

  private async openSession(userId: number, stage: 'full' | 'totp'): Promise<string> {
    const token = newSecret();
    const life = stage === 'full' ? SESSION_DAYS * 86400_000 : SECOND_FACTOR_MINUTES * 60_000;
    await this.repo.insertSession({ tokenHash: hashSecret(token), userId, stage, now: this.now(), expiresAt: this.now(life) });
    return token;
  }

  /** Opens a full session without a password: for tests and tools that act as a known person. */
  sessionFor(userId: number): Promise<string> {
    return this.openSession(userId, 'full');
  }

  async session(token: string | undefined): Promise<SessionUser | undefined> {
    if (!token) return undefined;
    const row = await this.repo.sessionByHash(hashSecret(token), this.now());
    if (!row) return undefined;
    return {
      kind: 'user',
      id: row.id,
      name: row.name,
      email: row.email,
      role: row.role as Role,
      stage: row.stage === 'full' ? 'full' : 'totp',
      totpEnabled: row.totp_secret !== null,
      lockedAt: row.locked_at,
    };
  }

  /** Housekeeping, hourly: expired sessions and links are deleted. */
  prune(): Promise<void> {
    return this.repo.pruneExpired(this.now());
  }

  signOut(token: string): Promise<void> {
    return this.repo.deleteSession(hashSecret(token));
  }

  /** Ends every session of the person, audited with who did it (they themselves, or an administrator). */
  signOutEverywhere(userId: number, actor: AuditActor): Promise<void> {
    return this.repo.transaction(async (repo, trx) => {
      await repo.deleteSessionsOf(userId);
      await this.audit.record(trx, { actor, action: 'user.sign-out-everywhere', target: `user:${userId}` });
    });
  }

  // Two-factor enrolment

  /** Starts (or restarts) enrolment: a new secret, active once a code from it is confirmed. */
  async beginTwoFactor(userId: number): Promise<string> {
    const secret = newTotpSecret();
    await this.repo.updateUser(userId, { totp_pending_secret: secret });
    return secret;
  }

  async pendingTwoFactor(userId: number): Promise<string | null> {
    return (await this.repo.userById(userId))?.totp_pending_secret ?? null;
  }

  async confirmTwoFactor(userId: number, code: unknown): Promise<void> {
    const user = await this.repo.userById(userId);
    const secret = user?.totp_pending_secret;
    if (!user || !secret) throw new AppError('conflict', 'Start setting up two-factor sign-in first.');
    const step = typeof code === 'string' ? checkTotp(secret, code, 0, this.clock.now()) : null;
    if (step === null) throw invalidCode();
    await this.repo.updateUser(userId, { totp_secret: secret, totp_pending_secret: null, totp_last_step: step });
  }

  async disableTwoFactor(actor: SessionUser, code: unknown): Promise<void> {
    const user = await this.repo.userById(actor.id);
    if (!user?.totp_secret) return;
    if (await this.twoFactorRequired()) throw new AppError('forbidden', 'Two-factor sign-in is required on this site.');
    const step = typeof code === 'string' ? checkTotp(user.totp_secret, code, user.totp_last_step, this.clock.now()) : null;
    if (step === null) throw invalidCode();
    await this.repo.updateUser(actor.id, { totp_secret: null, totp_last_step: step });
  }

  // Security policy

  async twoFactorRequired(): Promise<boolean> {
    return (await this.repo.policy('require_two_factor')) === 'on';
  }

  async setTwoFactorRequired(actor: Actor, required: boolean): Promise<void> {
    if (!allows(actor, 'canManageSettings')) throw new AppError('forbidden', 'Only administrators change the security policy.');
    if (required === (await this.twoFactorRequired())) return;
    await this.repo.transaction(async (repo, trx) => {
      await repo.setPolicy('require_two_factor', required ? 'on' : 'off');
      await this.audit.record(trx, { actor, action: 'settings.two-factor', target: 'policy', detail: { required } });
    });
  }
}

const invalidCode = () => new AppError('invalid_input', 'That code is not right; enter the 6-digit code your app shows now.', [{ field: 'code', message: 'That code is not right; enter the 6-digit code your app shows now.' }]);
