// Newsroom test helpers: a cookie jar over app.inject, forms posted with their CSRF token, and
// staff members of any role signed in without going through the sign-in form.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/newsroom/permissions.ts';
import { SESSION_COOKIE } from '../../src/accounts/http.ts';
import type { TestApp } from './build-test-app.ts';

export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly t: TestApp) {}

  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.t.app.inject({ method: 'GET', url, headers: { cookie: this.header(), ...headers } }));
  }

  /** Posts a form; the CSRF token from the last page is added unless `_csrf` is given. */
  async post(url: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    if (!this.csrf && !('_csrf' in fields)) await this.get('/newsroom/sign-in');
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields }).toString();
    return this.keep(
      await this.t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: body,
      }),
    );
  }

  /** A request of another method (PATCH, DELETE, HEAD) as browser code sends it: the CSRF token in x-csrf-token. */
  async send(method: 'PATCH' | 'DELETE' | 'HEAD' | 'PUT', url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    if (!this.csrf) await this.get('/newsroom/sign-in');
    return this.keep(await this.t.app.inject({ method, url, headers: { cookie: this.header(), 'x-csrf-token': this.csrf, accept: 'application/json', ...headers } }));
  }

  get session(): string | undefined {
    return this.cookies.get(SESSION_COOKIE);
  }
}

let counter = 0;

/** A staff member with `role` (and optionally a password), and a browser signed in as them. */
export async function staff(t: TestApp, role: Role, password?: string): Promise<{ id: number; email: string; browser: Browser }> {
  const email = `${role}-${++counter}@news.test`;
  const { id, link } = await t.services.accounts.addUser('cli', { email, name: `${role} ${counter}`, role });
  if (password) await t.services.accounts.setPasswordWithLink(new URL(link).searchParams.get('token')!, { password, confirm: password });
  const browser = new Browser(t);
  browser.cookies.set(SESSION_COOKIE, await t.services.accounts.sessionFor(id));
  return { id, email, browser };
}

export function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token')!;
}

/** A story body as the story form's JSON field holds it: one paragraph. */
export const formBody = (text: string) => JSON.stringify({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** The story form as a person fills it in (in the `national` section, bylined Ada Reporter); `overrides` replace fields. */
export const storyForm = (overrides: Record<string, string> = {}) => ({
  headline: 'Harbour crane arrives',
  dek: 'The biggest yet.',
  section: 'national',
  'author-ada-reporter': 'on',
  topics: 'Port, Cranes',
  credit: 'With files from Northwire.',
  body: formBody('The crane came in on the morning tide.'),
  ...overrides,
});

/** Creates a story through the "New story" form as `who`; returns its id. */
export async function createThroughForm(who: Browser, overrides: Record<string, string> = {}): Promise<number> {
  await who.get('/newsroom/stories/new');
  const res = await who.post('/newsroom/stories/new', storyForm(overrides));
  assert.equal(res.statusCode, 303, res.body);
  return Number(/\/newsroom\/stories\/(\d+)\/edit/.exec(String(res.headers.location))![1]);
}

