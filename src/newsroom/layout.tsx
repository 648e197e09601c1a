// The newsroom shell every staff screen renders into: site name, navigation for the signed-in
// person's role, who is signed in, and sign-out. Pages are never cached (the gate sets no-store).
import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { projectFile } from '../platform/paths.ts';
import { renderDocument } from '../platform/render.ts';
import { cspHash, securityHeaders } from '../platform/security.ts';
import type { NavEntry } from '../platform/feature.ts';
import { allows, isPermission, type Actor } from './permissions.ts';

/** The signed-in person as the shell draws them; `lockedAt` is a lock by failed sign-ins they have not yet been told of. */
export type ShellStaff = Actor & { lockedAt?: string | null };

export interface PageContext {
  /** The CSRF token every state-changing form carries as `_csrf`. */
  csrf: string;
  staff?: ShellStaff;
}

export class NewsroomPages {
  private readonly css: string;
  private readonly csp: string;

  constructor(
    /** Where the site's name comes from (the site settings). */
    private readonly settings: { get(): Promise<{ siteName: string }> },
    /** The navigation of every mounted feature, in bar order (Platform.nav). */
    private readonly nav: readonly NavEntry[],
  ) {
    this.css = fs.readFileSync(projectFile('src/newsroom/styles.css'), 'utf8').replace(/\n+/g, '').trim();
    this.csp = securityHeaders({ inlineStyleHashes: [cspHash(this.css)] })['content-security-policy']!;
  }

  /** Renders one screen in the shell and sends it. */
  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { title: string; status?: number },
    body: (ctx: PageContext) => VNode,
  ): Promise<FastifyReply> {
    const html = await this.render(request, reply, page.title, body);
    return reply.code(page.status ?? 200).header('content-security-policy', this.csp).type('text/html; charset=utf-8').send(html);
  }

  async render(request: FastifyRequest, reply: FastifyReply, title: string, body: (ctx: PageContext) => VNode): Promise<string> {
    const { siteName } = await this.settings.get();
    const ctx: PageContext = { csrf: reply.generateCsrf(), staff: request.staff };
    const path = request.url.split('?')[0]!;
    const visible = ctx.staff ? this.nav.filter((item) => isPermission(item.permission) && allows(ctx.staff, item.permission)) : [];
    // A badge that cannot be read (database busy) is left off rather than failing the screen.
    const badges = await Promise.all(visible.map((item) => (item.badge ? item.badge.count().catch(() => 0) : Promise.resolve(0))));
    return renderDocument(
      <Shell siteName={siteName} title={title} css={this.css} path={path} ctx={ctx} nav={visible} badges={badges}>
        {body(ctx)}
      </Shell>,
    );
  }

  /** The 403 screen for a signed-in person whose role does not allow the page. */
  forbidden(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    reply.header('content-security-policy', this.csp);
    return this.render(request, reply, 'Not allowed', () => (
      <>
        <h1>Not allowed</h1>
        <p>Your role does not include this screen. If you need it, ask an administrator.</p>
        <p>
          <a href="/newsroom">Back to the dashboard</a>
        </p>
      </>
    ));
  }
}

/**
 * Failed sign-ins locked this account: the owner learns of it on whichever screen they reach first,
 * every screen until they dismiss it (the sign-in form itself says nothing, so it cannot tell a
 * stranger which emails are staff).
 */
function LockNotice({ lockedAt, csrf }: { lockedAt: string; csrf: string }) {
  return (
    <div class="notice" role="alert">
      <p>
        {`Your account was locked on ${lockedAt.slice(0, 16).replace('T', ' ')} UTC after repeated failed sign-in attempts. `}
        If that was not you, someone may be guessing your password: ask an administrator for a new password link, and{' '}
        <a href="/newsroom/account/two-factor">turn on two-factor sign-in</a>.
      </p>
      <form method="post" action="/newsroom/account/lock-notice">
        <input type="hidden" name="_csrf" value={csrf} />
        <button class="quiet" type="submit">Dismiss</button>
      </form>
    </div>
  );
}

function Shell(props: { siteName: string; title: string; css: string; path: string; ctx: PageContext; nav: readonly NavEntry[]; badges: number[]; children: ComponentChildren }) {
  const { staff, csrf } = props.ctx;
  const { nav } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <title>{`${props.title} · ${props.siteName} newsroom`}</title>
        <style dangerouslySetInnerHTML={{ __html: props.css }} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="bar">
          <a class="brand" href="/newsroom">
            {props.siteName} newsroom
          </a>
          {nav.length > 0 && (
            <nav aria-label="Newsroom">
              <ul class="nav">
                {nav.map((item, i) => (
                  <li key={item.href}>
                    <a href={item.href} aria-current={item.href === props.path ? 'page' : undefined}>
                      {item.label}
                      {(props.badges[i] ?? 0) > 0 && (
                        <span class="badge">
                          {' '}
                          {props.badges[i]}
                          <span class="visually-hidden"> {item.badge?.label}</span>
                        </span>
                      )}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {staff && (
            <form class="who" method="post" action="/newsroom/sign-out">
              <span>
                {staff.name} ({staff.role})
              </span>
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">
          {staff?.lockedAt && <LockNotice lockedAt={staff.lockedAt} csrf={csrf} />}
          {props.children}
        </main>
      </body>
    </html>
  );
}
