// Every way a request can fail gets the same treatment: the security headers, a cache policy, and
// the site's error page for people or {errors:[{code, message}]} for programs; never a raw framework
// answer, never the path or a stack echoed back. Including what fails before routing (a bad
// percent-encoding, a path segment past 100 characters) and before Fastify (headers past Node's limit).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { Browser } from '../../test/helpers/newsroom.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => t.close());

function assertHeaders(headers: Record<string, unknown>, what: string) {
  assert.match(String(headers['content-security-policy']), /default-src 'self'/, `${what}: CSP`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.ok(headers['cache-control'], `${what}: a cache policy`);
}

test('people get the site error page, programs {errors} with a code, with the headers, for every error path', async () => {
  const long = 'a'.repeat(150);
  const cases: [string, { method?: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: string }, number, string][] = [
    ['bad percent-encoding', { url: '/x%ZZ' }, 400, 'invalid_input'],
    ['bad percent-encoding in the API', { url: '/api/admin/v1/articles/%ZZ' }, 400, 'invalid_input'],
    ['a path segment past 100 characters', { url: `/national/${long}` }, 414, 'invalid_input'],
    ['not found', { url: '/no/such/page/here' }, 404, 'not_found'],
    ['a query that is not valid', { url: '/national?page=abc' }, 400, 'invalid_input'],
    ['a body past the limit', { method: 'POST', url: '/api/admin/v1/articles', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ dek: 'x'.repeat(1_100_000) }) }, 413, 'too_large'],
    ['a content type nobody takes', { method: 'POST', url: '/newsroom/sign-in', headers: { 'content-type': 'text/csv' }, payload: 'a,b' }, 415, 'unsupported_type'],
  ];
  for (const [what, request, status, code] of cases) {
    const page = await t.app.inject({ method: request.method ?? 'GET', url: request.url, headers: request.headers, payload: request.payload });
    assert.equal(page.statusCode, status, `${what}: ${page.body.slice(0, 200)}`);
    assertHeaders(page.headers, what);
    const json = request.url.startsWith('/api/') || page.headers['content-type']?.toString().startsWith('application/json');
    if (json) {
      const errors = (page.json() as { errors: { code: string; message: string }[] }).errors;
      assert.equal(errors[0]!.code, code, what);
    } else {
      assert.match(String(page.headers['content-type']), /text\/html/, what);
      assert.match(page.body, /<html lang="en">/, what);
    }
    assert.doesNotMatch(page.body, /FST_ERR|%ZZ|aaaaaaaaaa|at .*\.ts:\d+/, `${what}: nothing echoed`);
  }
});

test('headers past the size Node accepts get the site error page with 431 and the headers', async () => {
  const { port } = t.app.server.address() as AddressInfo;
  const { status, headers, body } = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', headers: { 'x-padding': 'x'.repeat(20_000), 'x-more': 'y'.repeat(20_000) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    request.on('error', reject);
  });
  assert.equal(status, 431);
  assertHeaders(headers, '431');
  assert.match(body, /<html lang="en">/);
  assert.match(body, /headers are too large/);
});

test('too many sign-in attempts: 429 with the page, headers and a heading that says what happened', async () => {
  const b = new Browser(t);
  await b.get('/newsroom/sign-in');
  let last;
  for (let i = 0; i < 12; i++) last = await b.post('/newsroom/sign-in', { email: 'nobody@news.test', password: `wrong ${i}` });
  assert.equal(last!.statusCode, 429);
  assertHeaders(last!.headers, '429');
  assert.match(last!.body, /<h1>Too many requests: wait a minute, then try again<\/h1>/);
});

test('Permissions-Policy always; Strict-Transport-Security only when the site is served over https', async () => {
  const plain = await t.app.inject('/');
  assert.equal(plain.headers['permissions-policy'], 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  assert.equal(plain.headers['strict-transport-security'], undefined);
  const secure = await buildTestApp({ SITE_URL: 'https://news.test' });
  try {
    for (const url of ['/', '/x%ZZ', '/newsroom/sign-in']) {
      assert.equal((await secure.app.inject(url)).headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', url);
    }
  } finally {
    await secure.close();
  }
});
