// Sign-in (password, then a code when two-factor is on), sign-out, first-run setup and the
// one-time password links. All 'public' routes: they are how people get in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, sessionCookie, signInRateLimit } from '../http.ts';
import { SESSION_DAYS, type AccountService } from '../account-service.ts';
import type { FieldError } from '../../platform/errors.ts';
import { attempt, Csrf, ErrorSummary, Field, formFields } from '../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';

export interface SignInDeps {
  accounts: AccountService;
  pages: NewsroomPages;
  secureCookies: boolean;
}

/**
 * Only newsroom paths on this site (never //evil.example) are followed after sign-in, and never one
 * with a control character (CR/LF would split the Location header).
 */
function safeNext(raw: unknown): string {
  return typeof raw === 'string' && /^\/newsroom(\/[^/\\]|$|\?)/.test(raw) && !raw.includes('//') && !/[\u0000-\u001f\u007f-\u009f]/.test(raw) ? raw : '/newsroom';
}

const query = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const tokenOf = (raw: unknown) => (typeof raw === 'string' && raw.length <= 200 ? raw : '');

export function registerSignInRoutes(app: FastifyInstance, deps: SignInDeps): void {
  const { accounts, pages } = deps;
  const publicRoute = { permission: 'public' as const };
  const limited = { permission: 'public' as const, rateLimit: signInRateLimit() };

  const signInPage = (request: FastifyRequest, reply: FastifyReply, form: Record<string, string>, errors: FieldError[] = [], status = 200) =>
    pages.send(request, reply, { title: 'Sign in', status }, ({ csrf }) => (
      <>
        <h1>Sign in</h1>
        {form.notice && <p class="notice">{form.notice}</p>}
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/sign-in" novalidate>
          <Csrf token={csrf} />
          <input type="hidden" name="next" value={safeNext(form.next)} />
          <Field name="email" label="Email" type="email" value={form.email} errors={errors} autocomplete="username" required />
          <Field name="password" label="Password" type="password" errors={errors} autocomplete="current-password" required />
          <div>
            <button type="submit">Sign in</button>
          </div>
        </form>
      </>
    ));

  app.get('/newsroom/sign-in', { config: publicRoute }, (request, reply) => {
    const q = query(request);
    const notice = q.done === 'setup' ? 'The administrator account is ready. Sign in with it.' : q.done === 'password' ? 'Your password is set. Sign in with it.' : '';
    return signInPage(request, reply, { next: safeNext(q.next), notice });
  });

  app.post('/newsroom/sign-in', { config: limited }, async (request, reply) => {
    const form = formFields(request.body);
    const result = await attempt(() => accounts.signIn(form));
    if ('errors' in result) return signInPage(request, reply, { email: form.email ?? '', next: form.next ?? '' }, result.errors, result.status);
    const { token, stage } = result.ok;
    reply.setCookie(SESSION_COOKIE, token, sessionCookie(deps.secureCookies, stage === 'full' ? SESSION_DAYS * 86400 : undefined));
    const next = safeNext(form.next);
    return reply.redirect(stage === 'full' ? next : `/newsroom/sign-in/code?next=${encodeURIComponent(next)}`, 303);
  });

  const codePage = (request: FastifyRequest, reply: FastifyReply, next: string, errors: FieldError[] = [], status = 200) =>
    pages.send(request, reply, { title: 'Enter your code', status }, ({ csrf }) => (
      <>
        <h1>Enter your code</h1>
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/sign-in/code" novalidate>
          <Csrf token={csrf} />
          <input type="hidden" name="next" value={next} />
          <Field name="code" label="6-digit code" hint="From the authenticator app you set up for this site." errors={errors} autocomplete="one-time-code" inputMode="numeric" required />
          <div>
            <button type="submit">Continue</button>
          </div>
        </form>
      </>
    ));

  app.get('/newsroom/sign-in/code', { config: publicRoute }, (request, reply) => codePage(request, reply, safeNext(query(request).next)));

  app.post('/newsroom/sign-in/code', { config: limited }, async (request, reply) => {
    const form = formFields(request.body);
    const pending = request.cookies[SESSION_COOKIE] ?? '';
    const result = await attempt(() => accounts.completeSecondFactor(pending, form.code));
    if ('errors' in result) {
      if (result.status === 401) return reply.redirect('/newsroom/sign-in', 303);
      return codePage(request, reply, safeNext(form.next), result.errors, result.status);
    }
    reply.setCookie(SESSION_COOKIE, result.ok, sessionCookie(deps.secureCookies, SESSION_DAYS * 86400));
    return reply.redirect(safeNext(form.next), 303);
  });

  app.post('/newsroom/sign-out', { config: publicRoute }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await accounts.signOut(token);
    reply.clearCookie(SESSION_COOKIE, sessionCookie(deps.secureCookies));
    return reply.redirect('/newsroom/sign-in', 303);
  });

  // First run: the setup link printed by `npm start` creates the first administrator.

  const invalidLink = (request: FastifyRequest, reply: FastifyReply) =>
    pages.send(request, reply, { title: 'Link not valid', status: 403 }, () => (
      <>
        <h1>This link is not valid</h1>
        <p>It may have been used already or have expired (links work once, for 24 hours). Ask an administrator for a new one; on a new site, restart it to print a new setup link.</p>
      </>
    ));

  const setupPage = (request: FastifyRequest, reply: FastifyReply, token: string, form: Record<string, string>, errors: FieldError[] = [], status = 200) =>
    pages.send(request, reply, { title: 'Set up the newsroom', status }, ({ csrf }) => (
      <>
        <h1>Create the administrator account</h1>
        <p>This account can invite the rest of the staff and change every setting.</p>
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/setup" novalidate>
          <Csrf token={csrf} />
          <input type="hidden" name="token" value={token} />
          <Field name="name" label="Your name" value={form.name} errors={errors} autocomplete="name" required />
          <Field name="email" label="Email" type="email" value={form.email} errors={errors} autocomplete="username" required />
          <Field name="password" label="Password" type="password" hint="At least 12 characters." errors={errors} autocomplete="new-password" required />
          <Field name="confirm" label="Password again" type="password" errors={errors} autocomplete="new-password" required />
          <div>
            <button type="submit">Create the account</button>
          </div>
        </form>
      </>
    ));

  app.get('/newsroom/setup', { config: publicRoute }, async (request, reply) => {
    const token = tokenOf(query(request).token);
    if (!token || !(await accounts.linkIsValid(token, 'setup')) || !(await accounts.needsSetup())) return invalidLink(request, reply);
    return setupPage(request, reply, token, {});
  });

  app.post('/newsroom/setup', { config: limited }, async (request, reply) => {
    const form = formFields(request.body);
    const token = tokenOf(form.token);
    const result = await attempt(() => accounts.completeSetup(token, form));
    if ('errors' in result) {
      if (result.status === 403) return invalidLink(request, reply);
      return setupPage(request, reply, token, { name: form.name ?? '', email: form.email ?? '' }, result.errors, result.status);
    }
    return reply.redirect('/newsroom/sign-in?done=setup', 303);
  });

  // Invitations and resets: a one-time link to choose a password.

  const passwordPage = (request: FastifyRequest, reply: FastifyReply, token: string, errors: FieldError[] = [], status = 200) =>
    pages.send(request, reply, { title: 'Choose a password', status }, ({ csrf }) => (
      <>
        <h1>Choose a password</h1>
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/password" novalidate>
          <Csrf token={csrf} />
          <input type="hidden" name="token" value={token} />
          <Field name="password" label="New password" type="password" hint="At least 12 characters." errors={errors} autocomplete="new-password" required />
          <Field name="confirm" label="New password again" type="password" errors={errors} autocomplete="new-password" required />
          <div>
            <button type="submit">Set the password</button>
          </div>
        </form>
      </>
    ));

  app.get('/newsroom/password', { config: publicRoute }, async (request, reply) => {
    const token = tokenOf(query(request).token);
    if (!token || !(await accounts.linkIsValid(token, 'password'))) return invalidLink(request, reply);
    return passwordPage(request, reply, token);
  });

  app.post('/newsroom/password', { config: limited }, async (request, reply) => {
    const form = formFields(request.body);
    const token = tokenOf(form.token);
    const result = await attempt(() => accounts.setPasswordWithLink(token, form));
    if ('errors' in result) {
      if (result.status === 403) return invalidLink(request, reply);
      return passwordPage(request, reply, token, result.errors, result.status);
    }
    return reply.redirect('/newsroom/sign-in?done=password', 303);
  });
}
