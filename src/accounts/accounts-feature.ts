// Staff accounts: people, sessions, one-time links, API tokens and the audit log; the gate every
// /newsroom and /api/admin/v1 route passes (mounted first, so it sees every route); and the screens
// for signing in, one's own account, staff, tokens and the audit log.
import type { NewsroomShell } from '../newsroom/newsroom-shell.ts';
import type { Feature } from '../platform/feature.ts';
import type { Platform } from '../platform/platform.ts';
import { auditLog, type AuditService } from './audit-service.ts';
import { lockMail } from './lock-mail.ts';
import { installAuth } from './http.ts';
import { registerAccountRoutes } from './newsroom/account-routes.tsx';
import { registerAuditRoutes } from './newsroom/audit-routes.tsx';
import { registerSignInRoutes } from './newsroom/sign-in-routes.tsx';
import { registerStaffRoutes } from './newsroom/staff-routes.tsx';
import { AccountRepository } from './account-repository.ts';
import { AccountService } from './account-service.ts';
import { TokenService } from './token-service.ts';

export interface AccountsApi {
  accounts: AccountService;
  tokens: TokenService;
  audit: AuditService;
}

const HOUR = 3600_000;

/** The services alone: what `bulletin user` and `bulletin token` need. */
export function accountServices(
  platform: Platform,
  audit: AuditService = auditLog(platform),
  siteName: () => Promise<string> = async () => platform.config.siteName,
): AccountsApi {
  const { db, clock, config, mailer } = platform;
  const repository = new AccountRepository(db);
  const notifyLock = lockMail(mailer, { siteUrl: config.siteUrl, siteName });
  return { accounts: new AccountService(repository, audit, clock, config.siteUrl, notifyLock), tokens: new TokenService(repository, audit, clock), audit };
}

export function accountsFeature(
  platform: Platform,
  deps: { newsroom: NewsroomShell; settings: { get(): Promise<{ siteName: string }> }; audit: AuditService },
): Feature<AccountsApi> {
  const api = accountServices(platform, deps.audit, async () => (await deps.settings.get()).siteName);
  const { accounts, tokens, audit } = api;
  const { pages } = deps.newsroom;
  const secureCookies = platform.config.siteUrl.startsWith('https:');
  return {
    name: 'accounts',
    api,
    nav: [
      { href: '/newsroom/staff', label: 'Staff', permission: 'canManageStaff', order: 50 },
      { href: '/newsroom/tokens', label: 'API tokens', permission: 'canManageTokens', order: 60 },
      { href: '/newsroom/audit', label: 'Audit log', permission: 'canViewAuditLog', order: 80 },
      { href: '/newsroom/account', label: 'My account', permission: 'canUseNewsroom', order: 90 },
    ],
    maintenance: [{ name: 'accounts.prune', everyMs: HOUR, run: () => accounts.prune() }],
    async routes(app) {
      await installAuth(app, { accounts, tokens, secureCookies, forbiddenPage: (request, reply) => pages.forbidden(request, reply) });
      registerSignInRoutes(app, { accounts, pages, secureCookies });
      registerAccountRoutes(app, { accounts, settings: deps.settings, pages, secureCookies });
      registerStaffRoutes(app, { accounts, tokens, pages });
      registerAuditRoutes(app, { audit, pages });
    },
  };
}
