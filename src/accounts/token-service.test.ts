import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { staff } from '../../test/helpers/newsroom.ts';
import { runAccountCommand } from './commands.ts';
import { requirePermission } from './http.ts';
import { AccountRepository } from './account-repository.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  t.app.get('/api/admin/v1/probe', { config: { permission: 'canPublish' } }, async (request) => ({ actor: request.actor }));
  t.app.get('/api/admin/v1/undeclared', async () => ({ ok: true }));
  t.app.get('/newsroom/undeclared', async () => 'open');
});
after(() => t.close());

const call = (authorization?: string, url = '/api/admin/v1/probe') =>
  t.app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

async function cli(command: 'user' | 'token', args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await runAccountCommand(command, args, {
    services: async () => ({ accounts: t.services.accounts, tokens: t.services.tokens, close: async () => undefined }),
    out,
    err,
  });
  return { code, stdout, stderr };
}

test('token add prints the token once; it works as its role, and only its hash is stored', async () => {
  const { code, stdout } = await cli('token', ['add', 'wire importer', '--role', 'editor']);
  assert.equal(code, 0);
  const token = /^(bt_\S+)$/m.exec(stdout)![1]!;
  const res = await call(`Bearer ${token}`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'private, no-store');
  assert.deepEqual(res.json().actor, { kind: 'token', id: 1, role: 'editor', name: 'wire importer' });
  const rows = await new AccountRepository(t.database.db).listTokens();
  assert.ok(rows.every((r) => r.token_hash !== token && /^[0-9a-f]{64}$/.test(r.token_hash)));
  assert.ok(rows[0]!.last_used_at);
});

test('missing, malformed, unknown and revoked tokens get 401; the wrong role gets 403', async () => {
  for (const header of [undefined, 'Basic abc', 'Bearer ', 'Bearer bt_unknown']) {
    const res = await call(header);
    assert.equal(res.statusCode, 401, String(header));
    assert.ok(res.json().errors[0].message);
  }
  const author = await t.services.tokens.create('cli', { name: 'blog bot', role: 'author' });
  const refused = await call(`Bearer ${author.token}`);
  assert.equal(refused.statusCode, 403);
  assert.match(refused.json().errors[0].message, /author/);
  const editor = await t.services.tokens.create('cli', { name: 'desk', role: 'editor' });
  assert.equal((await call(`Bearer ${editor.token}`)).statusCode, 200);
  assert.equal((await cli('token', ['revoke', String(editor.id)])).code, 0);
  assert.equal((await call(`Bearer ${editor.token}`)).statusCode, 401);
});

test('routes that declare no permission are refused to everyone, administrators included', async () => {
  const admin = await t.services.tokens.create('cli', { name: 'root', role: 'administrator' });
  assert.equal((await call(`Bearer ${admin.token}`, '/api/admin/v1/undeclared')).statusCode, 403);
  const { browser } = await staff(t, 'administrator');
  assert.equal((await browser.get('/newsroom/undeclared')).statusCode, 403);
});

test('bad CLI input is explained, with a non-zero exit', async () => {
  assert.equal((await cli('token', ['add'])).code, 2);
  const role = await cli('token', ['add', 'x', '--role', 'overlord']);
  assert.equal(role.code, 1);
  assert.match(role.stderr, /Choose a role/);
  const email = await cli('user', ['add', 'not-an-email', '--role', 'editor']);
  assert.equal(email.code, 1);
  assert.match(email.stderr, /like name@example.com/);
  const noRole = await cli('user', ['add', 'x@news.test']);
  assert.match(noRole.stderr, /Choose a role/);
  assert.match((await cli('user', ['reset', 'ghost@news.test'])).stderr, /no staff member/);
  assert.equal((await cli('token', ['revoke', 'abc'])).code, 2);
});

test('user add prints a one-time set-password link; adding the same email again is refused', async () => {
  const first = await cli('user', ['add', 'Reporter@News.test', '--role', 'author', '--name', 'Rita Reporter']);
  assert.equal(first.code, 0);
  assert.match(first.stdout, /http:\/\/news\.test\/newsroom\/password\?token=\S+/);
  const again = await cli('user', ['add', 'reporter@news.test', '--role', 'editor']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists already/);
  const reset = await cli('user', ['reset', 'reporter@news.test']);
  assert.match(reset.stdout, /newsroom\/password\?token=/);
  const audit = await t.services.audit.recent();
  assert.ok(audit.some((e) => e.action === 'user.create' && e.actor === 'cli' && e.detail.email === 'reporter@news.test'));
  assert.ok(audit.some((e) => e.action === 'token.create' && e.detail.name === 'wire importer'));
  assert.ok(audit.some((e) => e.action === 'token.revoke' && e.detail.name === 'desk'));
});

test('newsroom requests that ask for JSON are refused in JSON', async () => {
  const anonymous = await t.app.inject({ method: 'GET', url: '/newsroom/settings', headers: { accept: 'application/json' } });
  assert.equal(anonymous.statusCode, 401);
  assert.ok(anonymous.json().errors[0].message);
  const { browser } = await staff(t, 'author');
  const refused = await browser.get('/newsroom/settings', { accept: 'application/json' });
  assert.equal(refused.statusCode, 403);
  assert.match(refused.json().errors[0].message, /role/);
});

test('requirePermission refuses outside the gated prefixes too', async () => {
  const app = await buildTestApp();
  try {
    app.app.get('/elsewhere', { preHandler: requirePermission('canPublish') }, async () => 'secret');
    const res = await app.app.inject({ url: '/elsewhere', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 401);
    const html = await app.app.inject('/elsewhere');
    assert.equal(html.statusCode, 303);
  } finally {
    await app.close();
  }
});
