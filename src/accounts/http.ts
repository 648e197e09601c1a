// The newsroom and admin-API gate. Every route under /newsroom or /api/admin/v1 declares
// `config: { permission }` (a name from permissions.ts, or 'public'); one global preHandler checks
// it — cookie sessions for people, Bearer tokens for the API — and a route that declares nothing is
// refused to everyone. The routes are also listed (staffRoutes) so a test can walk all of them.
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { sendJsonErrors, wantsJson } from '../platform/http-errors.ts';
import { allows, isPermission, type Actor, type Permission, type RouteAccess } from '../newsroom/permissions.ts';
import type { AccountService, SessionUser } from './account-service.ts';
import type { TokenService } from './token-service.ts';

export const SESSION_COOKIE = 'bulletin_session';
export const NEWSROOM_PREFIX = '/newsroom';
export const ADMIN_API_PREFIX = '/api/admin/v1';
/** Pages a person who owes the site a second factor may still reach. */
const ENROLMENT_PATHS = /^\/newsroom\/(account\/two-factor(\/|$)|sign-out$)/;

export interface StaffRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call a /newsroom or /api/admin/v1 route; see src/accounts/permissions.ts. */
    permission?: RouteAccess;
  }
  interface FastifyRequest {
    /** The signed-in person (newsroom) — set by the gate, undefined when nobody is. */
    staff?: SessionUser;
    /** Whoever acts: the signed-in person or the API token. */
    actor?: Actor;
  }
  interface FastifyInstance {
    staffRoutes: StaffRoute[];
  }
}

export function isStaffPath(url: string): boolean {
  return url === NEWSROOM_PREFIX || url.startsWith(`${NEWSROOM_PREFIX}/`) || url.startsWith(`${ADMIN_API_PREFIX}/`) || url === ADMIN_API_PREFIX;
}

export interface AuthOptions {
  accounts: AccountService;
  tokens: TokenService;
  secureCookies: boolean;
  /** The page shown to a signed-in person who may not open a newsroom page. */
  forbiddenPage(request: FastifyRequest, reply: FastifyReply): Promise<string>;
}

export async function installAuth(app: FastifyInstance, options: AuthOptions): Promise<void> {
  const { accounts, tokens } = options;
  app.decorate('staffRoutes', [] as StaffRoute[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!isStaffPath(route.url)) return;
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.staffRoutes.push({ method, url: route.url, access: route.config?.permission });
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 1_048_576 });
  await app.register(fastifyCsrf, {
    cookieKey: 'bulletin_csrf',
    cookieOpts: { path: NEWSROOM_PREFIX, httpOnly: true, sameSite: 'lax', secure: options.secureCookies },
  });
  // Off by default; sign-in, setup and password routes turn it on per route (see signInRateLimit).
  await app.register(fastifyRateLimit, { global: false, hook: 'preHandler' });

  // preValidation, not preHandler: who may call a route is settled before its input is checked, so
  // an anonymous caller learns nothing about a route's schema (and gets 401, not 400).
  app.addHook('preValidation', async (request, reply) => {
    const url = request.routeOptions.url;
    if (!url || !isStaffPath(url)) return;
    const access = request.routeOptions.config.permission;
    if (url.startsWith(ADMIN_API_PREFIX)) return apiGate(request, reply, access);

    const staff = await accounts.session(request.cookies[SESSION_COOKIE]);
    if (staff?.stage === 'full') {
      request.staff = staff;
      request.actor = staff;
    }
    if (access !== 'public') {
      // Scripts on newsroom pages (autosave, uploads) ask for JSON and get JSON refusals.
      const json = wantsJson(request);
      if (!request.staff) {
        if (json) return sendJsonErrors(reply, 401, [{ message: 'Your session has ended; sign in again.' }]);
        return reply.code(303).header('location', signInLocation(request)).send();
      }
      if (!isPermission(access) || !allows(request.staff, access)) {
        if (json) return sendJsonErrors(reply, 403, [{ message: 'Your role may not do this.' }]);
        return reply.code(403).type('text/html; charset=utf-8').send(await options.forbiddenPage(request, reply));
      }
      if (!request.staff.totpEnabled && !ENROLMENT_PATHS.test(url) && (await accounts.twoFactorRequired())) {
        return reply.code(303).header('location', '/newsroom/account/two-factor').send();
      }
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && !csrfPassed(app, request, reply)) return reply;
  });

  async function apiGate(request: FastifyRequest, reply: FastifyReply, access: RouteAccess | undefined) {
    if (access === 'public') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await tokens.authenticate(match[1]!) : undefined;
    if (!actor) {
      reply.header('www-authenticate', 'Bearer');
      return sendJsonErrors(reply, 401, [{ message: 'Send a valid API token: Authorization: Bearer <token>.' }]);
    }
    if (!isPermission(access) || !allows(actor, access)) {
      return sendJsonErrors(reply, 403, [{ message: `The token's role (${actor.role}) may not do this.` }]);
    }
    request.actor = actor;
  }

  // Staff pages and API answers are personal: never stored by browsers, shared caches (CDN, Varnish) or our page cache.
  // Decided by the route that answered (what the gate checked), not the raw URL, which may spell the
  // same path with percent-encoding; the raw path too, for answers no route gave (404s).
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url;
    if ((route && isStaffPath(route)) || isStaffPath(request.url.split('?')[0]!)) reply.header('cache-control', 'private, no-store');
    return payload;
  });
}

/** True when the form carried a valid CSRF token; otherwise the plugin has already answered 403. */
function csrfPassed(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): boolean {
  let passed = false;
  // csrfProtection calls back synchronously on success and sends a 403 error otherwise.
  app.csrfProtection(request, reply, () => {
    passed = true;
  });
  return passed;
}

function signInLocation(request: FastifyRequest): string {
  const next = request.method === 'GET' ? request.url : '/newsroom';
  return `/newsroom/sign-in?next=${encodeURIComponent(next)}`;
}

/** Per-route rate limit for forms that take secrets: bounded per client address and email. */
export function signInRateLimit(max = 10) {
  return {
    max,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase().slice(0, 254) : '';
      return `${request.ip}|${email}`;
    },
  };
}

/** The cookie options for the session cookie. */
export function sessionCookie(secure: boolean, maxAgeSeconds?: number) {
  return { path: NEWSROOM_PREFIX, httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeSeconds };
}

/**
 * A route-level guard for a route that wants to state its permission in its own preHandler too.
 * It trusts what the gate above found (cookie session or Bearer token), so on a /newsroom or
 * /api/admin/v1 route it never sees a request the gate refused; anywhere else it refuses everyone
 * without an actor.
 */
export function requirePermission(permission: Permission): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    if (allows(request.actor, permission)) return;
    if (request.actor) throw new AppError('forbidden', 'Your role may not do this.');
    if (wantsJson(request)) return sendJsonErrors(reply, 401, [{ message: 'Sign in, or send a valid API token.' }]);
    return reply.code(303).header('location', signInLocation(request)).send();
  };
}
