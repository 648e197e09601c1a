// Staff and roles (administrators): invite people, change roles, issue password-reset links, sign
// someone out everywhere, deactivate and reactivate; and admin-API tokens: create (shown once, with
// an expiry), revoke.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '../../newsroom/permissions.ts';
import type { AccountService } from '../account-service.ts';
import { TOKEN_LIFETIMES, type TokenService } from '../token-service.ts';
import { notFound, type FieldError } from '../../platform/errors.ts';
import { Csrf, ErrorSummary, Field, attempt, formFields } from '../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';

export interface StaffDeps {
  accounts: AccountService;
  tokens: TokenService;
  pages: NewsroomPages;
}

function RoleSelect({ value, id }: { value: string; id: string }) {
  return (
    <select id={id} name="role">
      {ROLES.map((role) => (
        <option key={role} value={role} selected={role === value}>
          {role}
        </option>
      ))}
    </select>
  );
}

/** The id in the address: an Id by the route's schema (platform/schemas.ts). */
function idParam(request: FastifyRequest): number {
  return (request.params as { id: number }).id;
}

export function registerStaffRoutes(app: FastifyInstance, deps: StaffDeps): void {
  const { accounts, tokens, pages } = deps;
  const staffOnly = { permission: 'canManageStaff' as const };
  const tokensOnly = { permission: 'canManageTokens' as const };

  const staffPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { link?: string; notice?: string; errors?: FieldError[]; form?: Record<string, string>; status?: number } = {},
  ) => {
    const users = await accounts.listUsers();
    const errors = extra.errors ?? [];
    const notice = extra.notice ?? staffNotice(request.query);
    return pages.send(request, reply, { title: 'Staff', status: extra.status }, ({ csrf }) => (
      <>
        <h1>Staff and roles</h1>
        {extra.link && (
          <div class="notice">
            <p>Send this one-time link to the person (it works once, for 24 hours):</p>
            <p class="secret">{extra.link}</p>
          </div>
        )}
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <ErrorSummary errors={errors} />
        <table>
          <caption class="skip">Staff members</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.name}
                  {u.deactivated_at && <span class="muted"> (deactivated)</span>}
                </td>
                <td>{u.email}</td>
                <td>
                  <form class="inline" method="post" action={`/newsroom/staff/${u.id}/role`}>
                    <Csrf token={csrf} />
                    <label class="skip" for={`role-${u.id}`}>{`Role of ${u.name}`}</label>
                    <RoleSelect id={`role-${u.id}`} value={u.role} />
                    <button class="quiet" type="submit">Change role</button>
                  </form>
                </td>
                <td class="inline">
                  <form method="post" action={`/newsroom/staff/${u.id}/password-link`}>
                    <Csrf token={csrf} />
                    <button class="quiet" type="submit">{u.password_hash ? 'Password reset link' : 'New invitation link'}</button>
                  </form>
                  <form method="post" action={`/newsroom/staff/${u.id}/sign-out`}>
                    <Csrf token={csrf} />
                    <button class="quiet" type="submit">Sign out everywhere</button>
                  </form>
                  <form method="post" action={`/newsroom/staff/${u.id}/${u.deactivated_at ? 'reactivate' : 'deactivate'}`}>
                    <Csrf token={csrf} />
                    <button class={u.deactivated_at ? 'quiet' : 'danger'} type="submit" aria-label={`${u.deactivated_at ? 'Reactivate' : 'Deactivate'} ${u.name}`}>
                      {u.deactivated_at ? 'Reactivate' : 'Deactivate'}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Invite someone</h2>
        <form class="stack" method="post" action="/newsroom/staff" novalidate>
          <Csrf token={csrf} />
          <Field name="name" label="Name" value={extra.form?.name} errors={errors} />
          <Field name="email" label="Email" type="email" value={extra.form?.email} errors={errors} required />
          <div>
            <label for="role">Role</label>
            <RoleSelect id="role" value={extra.form?.role ?? 'author'} />
          </div>
          <div>
            <button type="submit">Invite</button>
          </div>
        </form>
      </>
    ));
  };

  app.get('/newsroom/staff', { config: staffOnly }, (request, reply) => staffPage(request, reply));

  app.post('/newsroom/staff', { config: staffOnly }, async (request, reply) => {
    const form = formFields(request.body);
    const result = await attempt(() => accounts.addUser(request.staff!, form));
    if ('errors' in result) return staffPage(request, reply, { errors: result.errors, form, status: result.status });
    return staffPage(request, reply, { link: result.ok.link, status: 201 });
  });

  app.post('/newsroom/staff/:id/role', { config: staffOnly }, async (request, reply) => {
    const id = idParam(request);
    const result = await attempt(() => accounts.changeRole(request.staff!, id, formFields(request.body).role));
    if ('errors' in result) return staffPage(request, reply, { errors: result.errors, status: result.status });
    return reply.redirect(`/newsroom/staff?done=role&tokens=${result.ok.revokedTokens}`, 303);
  });

  app.post('/newsroom/staff/:id/deactivate', { config: staffOnly }, async (request, reply) => {
    const result = await attempt(() => accounts.deactivate(request.staff!, idParam(request)));
    if ('errors' in result) return staffPage(request, reply, { errors: result.errors, status: result.status });
    return reply.redirect(`/newsroom/staff?done=deactivated&tokens=${result.ok.revokedTokens}`, 303);
  });

  app.post('/newsroom/staff/:id/reactivate', { config: staffOnly }, async (request, reply) => {
    await accounts.reactivate(request.staff!, idParam(request));
    return reply.redirect('/newsroom/staff?done=reactivated', 303);
  });

  app.post('/newsroom/staff/:id/password-link', { config: staffOnly }, async (request, reply) => {
    const user = await accounts.userById(idParam(request));
    if (!user) throw notFound('There is no such staff member.');
    const result = await attempt(() => accounts.issuePasswordLink(request.staff!, user.email));
    if ('errors' in result) return staffPage(request, reply, { errors: result.errors, status: result.status });
    return staffPage(request, reply, { link: result.ok });
  });

  app.post('/newsroom/staff/:id/sign-out', { config: staffOnly }, async (request, reply) => {
    await accounts.signOutEverywhere(idParam(request), request.staff!);
    return reply.redirect('/newsroom/staff', 303);
  });

  const tokensPage = async (request: FastifyRequest, reply: FastifyReply, extra: { token?: string; errors?: FieldError[]; form?: Record<string, string>; status?: number } = {}) => {
    const list = await tokens.list();
    const errors = extra.errors ?? [];
    return pages.send(request, reply, { title: 'API tokens', status: extra.status }, ({ csrf }) => (
      <>
        <h1>Admin-API tokens</h1>
        <p class="muted">A token acts with the permissions of its role on /api/admin/v1. It is shown once; keep it secret.</p>
        {extra.token && (
          <div class="notice">
            <p>The new token (copy it now — it will not be shown again):</p>
            <p class="secret">{extra.token}</p>
          </div>
        )}
        <ErrorSummary errors={errors} />
        <table>
          <caption class="skip">Tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.role}</td>
                <td>{`${t.createdAt.slice(0, 16).replace('T', ' ')} by ${t.createdBy}`}</td>
                <td>{t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : 'never'}</td>
                <td>{t.expiresAt ? t.expiresAt.slice(0, 16).replace('T', ' ') : 'never'}</td>
                <td>
                  {t.revokedAt ? 'revoked' : t.expired ? 'expired' : <a href={`/newsroom/tokens/${t.id}/revoke`} aria-label={`Revoke ${t.name}`}>Revoke…</a>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Create a token</h2>
        <form class="stack" method="post" action="/newsroom/tokens" novalidate>
          <Csrf token={csrf} />
          <Field name="name" label="Name" hint="What uses it, e.g. wire importer." value={extra.form?.name} errors={errors} required />
          <div>
            <label for="role">Role</label>
            <RoleSelect id="role" value={extra.form?.role ?? 'editor'} />
          </div>
          <div>
            <label for="expires">Expires</label>
            <p class="hint" id="expires-hint">
              A token stops working at its expiry; one made by an administrator is also revoked if they stop being one.
            </p>
            <select id="expires" name="expires" aria-describedby="expires-hint">
              {TOKEN_LIFETIMES.map((days) => (
                <option key={days} value={String(days)} selected={(extra.form?.expires ?? '90') === String(days)}>
                  {`after ${days} days`}
                </option>
              ))}
              <option value="never" selected={extra.form?.expires === 'never'}>
                never (until revoked)
              </option>
            </select>
          </div>
          <div>
            <button type="submit">Create token</button>
          </div>
        </form>
      </>
    ));
  };

  app.get('/newsroom/tokens', { config: tokensOnly }, (request, reply) => tokensPage(request, reply));

  app.post('/newsroom/tokens', { config: tokensOnly }, async (request, reply) => {
    const form = formFields(request.body);
    const result = await attempt(() => tokens.create(request.staff!, form));
    if ('errors' in result) return tokensPage(request, reply, { errors: result.errors, form, status: result.status });
    return tokensPage(request, reply, { token: result.ok.token, status: 201 });
  });

  // Revoking cannot be undone, so it takes a confirmation page (no script needed for it).
  app.get('/newsroom/tokens/:id/revoke', { config: tokensOnly }, async (request, reply) => {
    const id = idParam(request);
    const token = (await tokens.list()).find((t) => t.id === id && !t.revokedAt);
    if (!token) throw notFound('There is no such active token.');
    return pages.send(request, reply, { title: 'Revoke token' }, ({ csrf }) => (
      <>
        <h1>{`Revoke the token "${token.name}"?`}</h1>
        <p>Anything using it ({token.role} rights) stops working at once. This cannot be undone.</p>
        <form class="inline" method="post" action={`/newsroom/tokens/${id}/revoke`}>
          <Csrf token={csrf} />
          <button class="danger" type="submit">Revoke the token</button>
          <a href="/newsroom/tokens">Keep it</a>
        </form>
      </>
    ));
  });

  app.post('/newsroom/tokens/:id/revoke', { config: tokensOnly }, async (request, reply) => {
    await tokens.revoke(request.staff!, idParam(request));
    return reply.redirect('/newsroom/tokens', 303);
  });
}

/** The confirmation after a redirect: what was done, and how many tokens went with it. */
function staffNotice(query: unknown): string | undefined {
  const q = query as Record<string, string | undefined>;
  const count = Number(q.tokens);
  const tokens = Number.isInteger(count) && count > 0 ? ` ${count === 1 ? 'One API token' : `${count} API tokens`} they made ${count === 1 ? 'was' : 'were'} revoked.` : '';
  if (q.done === 'role') return `Role changed; they were signed out everywhere.${tokens}`;
  if (q.done === 'deactivated') return `Account deactivated: they cannot sign in, and were signed out everywhere.${tokens}`;
  if (q.done === 'reactivated') return 'Account reactivated: they can sign in again with their password.';
  return undefined;
}
