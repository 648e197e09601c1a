// My account: two-factor sign-in (enrol with a secret shown as text and as an otpauth:// URI,
// confirm with a code, turn off with a code) and signing out of every device.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, sessionCookie } from '../http.ts';
import type { AccountService } from '../account-service.ts';
import { totpUri } from '../two-factor.ts';
import type { FieldError } from '../../platform/errors.ts';
import { Csrf, ErrorSummary, Field, attempt, formFields } from '../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';

export interface AccountDeps {
  accounts: AccountService;
  /** The site's name names the site in the two-factor app. */
  settings: { get(): Promise<{ siteName: string }> };
  pages: NewsroomPages;
  secureCookies: boolean;
}

export function registerAccountRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const { accounts, pages } = deps;
  const anyStaff = { permission: 'canUseNewsroom' as const };

  app.get('/newsroom/account', { config: anyStaff }, (request, reply) => {
    const staff = request.staff!;
    return pages.send(request, reply, { title: 'My account' }, ({ csrf }) => (
      <>
        <h1>My account</h1>
        <p>
          {staff.name} · {staff.email} · {staff.role}
        </p>
        <h2>Two-factor sign-in</h2>
        <p>
          {staff.totpEnabled ? 'On: signing in asks for a code from your app.' : 'Off.'} <a href="/newsroom/account/two-factor">Manage two-factor sign-in</a>
        </p>
        <h2>Devices</h2>
        <form method="post" action="/newsroom/account/sign-out-everywhere">
          <Csrf token={csrf} />
          <p>Signs you out on every browser and device, this one included.</p>
          <button class="danger" type="submit">Sign out everywhere</button>
        </form>
      </>
    ));
  });

  app.post('/newsroom/account/lock-notice', { config: anyStaff }, async (request, reply) => {
    await accounts.dismissLockNotice(request.staff!.id);
    return reply.redirect('/newsroom', 303);
  });

  app.post('/newsroom/account/sign-out-everywhere', { config: anyStaff }, async (request, reply) => {
    await accounts.signOutEverywhere(request.staff!.id, request.staff!);
    reply.clearCookie(SESSION_COOKIE, sessionCookie(deps.secureCookies));
    return reply.redirect('/newsroom/sign-in', 303);
  });

  const twoFactorPage = async (request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], status = 200) => {
    const staff = request.staff!;
    const required = await accounts.twoFactorRequired();
    const pending = staff.totpEnabled ? null : await accounts.pendingTwoFactor(staff.id);
    const { siteName } = await deps.settings.get();
    return pages.send(request, reply, { title: 'Two-factor sign-in', status }, ({ csrf }) => (
      <>
        <h1>Two-factor sign-in</h1>
        {required && !staff.totpEnabled && <p class="notice">This site requires two-factor sign-in. Set it up to continue.</p>}
        <ErrorSummary errors={errors} />
        {staff.totpEnabled ? (
          <form class="stack" method="post" action="/newsroom/account/two-factor/disable" novalidate>
            <Csrf token={csrf} />
            <p>Two-factor sign-in is on.{required && ' The site requires it, so it cannot be turned off.'}</p>
            {!required && (
              <>
                <Field name="code" label="Code from your app, to turn it off" errors={errors} autocomplete="one-time-code" inputMode="numeric" />
                <div>
                  <button class="danger" type="submit">Turn off two-factor sign-in</button>
                </div>
              </>
            )}
          </form>
        ) : pending ? (
          <form class="stack" method="post" action="/newsroom/account/two-factor/confirm" novalidate>
            <Csrf token={csrf} />
            <p>Add this key to your authenticator app (type it in, or open the link on the device with the app):</p>
            <p class="secret" id="totp-secret">{pending.replace(/(.{4})/g, '$1 ').trim()}</p>
            <p>
              <a href={totpUri(pending, siteName, staff.email)}>Open in an authenticator app</a>
            </p>
            <Field name="code" label="The 6-digit code the app now shows" errors={errors} autocomplete="one-time-code" inputMode="numeric" required />
            <div>
              <button type="submit">Turn on two-factor sign-in</button>
            </div>
          </form>
        ) : (
          <form method="post" action="/newsroom/account/two-factor/begin">
            <Csrf token={csrf} />
            <p>After your password, sign-in will also ask for a code from an authenticator app on your phone.</p>
            <button type="submit">Set up two-factor sign-in</button>
          </form>
        )}
      </>
    ));
  };

  app.get('/newsroom/account/two-factor', { config: anyStaff }, (request, reply) => twoFactorPage(request, reply));

  app.post('/newsroom/account/two-factor/begin', { config: anyStaff }, async (request, reply) => {
    if (!request.staff!.totpEnabled) await accounts.beginTwoFactor(request.staff!.id);
    return reply.redirect('/newsroom/account/two-factor', 303);
  });

  app.post('/newsroom/account/two-factor/confirm', { config: anyStaff }, async (request, reply) => {
    const result = await attempt(() => accounts.confirmTwoFactor(request.staff!.id, formFields(request.body).code));
    if ('errors' in result) return twoFactorPage(request, reply, result.errors, result.status);
    return reply.redirect('/newsroom/account', 303);
  });

  app.post('/newsroom/account/two-factor/disable', { config: anyStaff }, async (request, reply) => {
    const result = await attempt(() => accounts.disableTwoFactor(request.staff!, formFields(request.body).code));
    if ('errors' in result) return twoFactorPage(request, reply, result.errors, result.status);
    return reply.redirect('/newsroom/account', 303);
  });
}
