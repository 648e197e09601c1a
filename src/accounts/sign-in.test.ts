import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { Browser, staff, tokenOf } from '../../test/helpers/newsroom.ts';
import { SESSION_COOKIE } from './http.ts';
import { LOCK_AFTER_FAILURES } from './account-service.ts';
import { totpCode } from './two-factor.ts';

const PASSWORD = 'a long enough password';

describe('sign-in, lockout, rate limit, CSRF, sign-out', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('the right password opens a session in an HttpOnly, SameSite=Lax cookie', async () => {
    const { email } = await staff(t, 'editor', PASSWORD);
    const b = new Browser(t);
    await b.get('/newsroom/sign-in');
    const res = await b.post('/newsroom/sign-in', { email: email.toUpperCase(), password: PASSWORD, next: '/newsroom/account' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/newsroom/account');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, new RegExp(`${SESSION_COOKIE}=[^;]+;.*HttpOnly`));
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/, 'plain-http sites cannot use Secure cookies');
    const home = await b.get('/newsroom');
    assert.equal(home.statusCode, 200);
    assert.equal(home.headers['cache-control'], 'private, no-store');
    assert.match(home.body, /editor \d+ \(editor\)/);
  });

  test('a wrong password or unknown email is refused with one message, and bad input is named', async () => {
    const { email } = await staff(t, 'author', PASSWORD);
    const b = new Browser(t);
    for (const fields of [{ email, password: 'wrong password!' }, { email: 'nobody@news.test', password: PASSWORD }]) {
      const res = await b.post('/newsroom/sign-in', fields);
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /The email or password is not right/);
      assert.equal(b.session, undefined);
    }
    const empty = await b.post('/newsroom/sign-in', { email: '', password: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Enter an email address\./);
    assert.match(empty.body, /Enter your password\./);
    const bad = await b.post('/newsroom/sign-in', { email: 'not-an-email', password: 'x' });
    assert.match(bad.body, /like name@example.com/);
  });

  test('an off-site "next" is ignored', async () => {
    const { email } = await staff(t, 'author', PASSWORD);
    const b = new Browser(t);
    const res = await b.post('/newsroom/sign-in', { email, password: PASSWORD, next: '//evil.example/newsroom' });
    assert.equal(res.headers.location, '/newsroom');
  });

  test('a "next" with control characters (a header injection) is ignored: the dashboard, not a 500', async () => {
    const { email } = await staff(t, 'author', PASSWORD);
    for (const next of ['/newsroom/\r\nSet-Cookie:x=1', '/newsroom/a\tb', '/newsroom/\u0000']) {
      const b = new Browser(t);
      const res = await b.post('/newsroom/sign-in', { email, password: PASSWORD, next });
      assert.equal(res.statusCode, 303, next);
      assert.equal(res.headers.location, '/newsroom', next);
      assert.equal(res.headers['set-cookie']?.toString().includes('x=1'), false);
    }
  });

  test('repeated failures lock the account (in the database), even against the right password', async () => {
    const { id, email } = await staff(t, 'editor', PASSWORD);
    const b = new Browser(t);
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await b.post('/newsroom/sign-in', { email, password: `wrong ${i} attempt` });
    const row = await t.services.accounts.userById(id);
    assert.ok(row?.locked_until, 'the lock is stored, so every process sees it');
    const res = await b.post('/newsroom/sign-in', { email, password: PASSWORD });
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /locked/);
    assert.equal(b.session, undefined);
  });

  test('a locked account and an unknown email get the same answer (the page does not tell which emails exist)', async () => {
    const { email } = await staff(t, 'author', PASSWORD);
    const locker = new Browser(t);
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await locker.post('/newsroom/sign-in', { email, password: `wrong ${i} attempt` });
    const messageOf = (body: string) => /<div class="errors"[\s\S]*?<\/div>/.exec(body)?.[0];
    const known = await new Browser(t).post('/newsroom/sign-in', { email, password: PASSWORD });
    const unknown = await new Browser(t).post('/newsroom/sign-in', { email: 'nobody-at-all@news.test', password: PASSWORD });
    assert.deepEqual([known.statusCode, unknown.statusCode], [401, 401]);
    assert.ok(messageOf(known.body));
    assert.equal(messageOf(known.body), messageOf(unknown.body));
  });

  test('sign-in attempts are rate limited per address and email', async () => {
    const b = new Browser(t);
    await b.get('/newsroom/sign-in');
    let status = 0;
    for (let i = 0; i < 30 && status !== 429; i++) {
      status = (await b.post('/newsroom/sign-in', { email: 'flood@news.test', password: 'whatever password' })).statusCode;
    }
    assert.equal(status, 429);
    // Another email from the same address has its own budget.
    const other = await b.post('/newsroom/sign-in', { email: 'other@news.test', password: 'whatever password' });
    assert.equal(other.statusCode, 401);
  });

  test('a form without a valid CSRF token is refused', async () => {
    const { email } = await staff(t, 'editor', PASSWORD);
    const b = new Browser(t);
    await b.get('/newsroom/sign-in');
    const missing = await b.post('/newsroom/sign-in', { email, password: PASSWORD, _csrf: '' });
    assert.equal(missing.statusCode, 403);
    const forged = await b.post('/newsroom/sign-in', { email, password: PASSWORD, _csrf: 'forged-token' });
    assert.equal(forged.statusCode, 403);
    assert.equal(b.session, undefined);
    const signedIn = (await staff(t, 'administrator')).browser;
    const noToken = await signedIn.post('/newsroom/settings', { siteName: 'Hijacked', _csrf: '' });
    assert.equal(noToken.statusCode, 403);
    assert.equal((await t.services.settings.get()).siteName, 'Test Gazette');
  });

  test('sign-out ends this session; sign-out everywhere ends them all', async () => {
    const { id, browser: first } = await staff(t, 'author');
    const second = new Browser(t);
    second.cookies.set(SESSION_COOKIE, await t.services.accounts.sessionFor(id));
    await first.get('/newsroom');
    const out = await first.post('/newsroom/sign-out');
    assert.equal(out.headers.location, '/newsroom/sign-in');
    assert.equal((await first.get('/newsroom')).statusCode, 303);
    assert.equal((await second.get('/newsroom')).statusCode, 200);

    const third = new Browser(t);
    third.cookies.set(SESSION_COOKIE, await t.services.accounts.sessionFor(id));
    await second.get('/newsroom/account');
    assert.equal((await second.post('/newsroom/account/sign-out-everywhere')).statusCode, 303);
    assert.equal((await second.get('/newsroom')).statusCode, 303);
    assert.equal((await third.get('/newsroom')).headers.location, '/newsroom/sign-in?next=%2Fnewsroom');
  });
});

test('behind https the session cookie is Secure', async () => {
  const t = await buildTestApp({ SITE_URL: 'https://news.test' });
  try {
    const { email } = await staff(t, 'author', PASSWORD);
    const res = await new Browser(t).post('/newsroom/sign-in', { email, password: PASSWORD });
    assert.match(String(res.headers['set-cookie']), /bulletin_session=[^;]+;.*Secure/);
  } finally {
    await t.close();
  }
});

describe('two-factor sign-in', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T12:00:00Z');
  before(async () => {
    t = await buildTestApp({}, { clock: { now: () => now } });
  });
  after(() => t.close());

  test('enrol with the shown secret, then sign in with password and code; wrong and replayed codes fail', async () => {
    const { email, browser } = await staff(t, 'editor', PASSWORD);
    await browser.get('/newsroom/account/two-factor');
    await browser.post('/newsroom/account/two-factor/begin');
    const page = await browser.get('/newsroom/account/two-factor');
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(page.body)![1]!.replace(/ /g, '');
    assert.match(page.body, /href="otpauth:\/\/totp\//);
    const wrong = await browser.post('/newsroom/account/two-factor/confirm', { code: '000000' === totpCode(secret, now) ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /That code is not right/);
    const ok = await browser.post('/newsroom/account/two-factor/confirm', { code: totpCode(secret, now) });
    assert.equal(ok.statusCode, 303);

    now = new Date(now.getTime() + 60_000);
    const b = new Browser(t);
    const first = await b.post('/newsroom/sign-in', { email, password: PASSWORD });
    assert.match(String(first.headers.location), /^\/newsroom\/sign-in\/code/);
    assert.equal((await b.get('/newsroom')).statusCode, 303, 'half signed in is not signed in');
    await b.get('/newsroom/sign-in/code');
    const bad = await b.post('/newsroom/sign-in/code', { code: 'abcdef' });
    assert.equal(bad.statusCode, 400);
    const code = totpCode(secret, now);
    const good = await b.post('/newsroom/sign-in/code', { code });
    assert.equal(good.statusCode, 303);
    assert.equal((await b.get('/newsroom')).statusCode, 200);

    // The same code cannot be used twice.
    const again = new Browser(t);
    await again.post('/newsroom/sign-in', { email, password: PASSWORD });
    await again.get('/newsroom/sign-in/code');
    assert.equal((await again.post('/newsroom/sign-in/code', { code })).statusCode, 400);
  });

  test('when administrators require two-factor, staff without it are sent to set it up', async () => {
    const admin = await staff(t, 'administrator');
    await admin.browser.get('/newsroom/settings');
    const bad = await admin.browser.post('/newsroom/settings/security', { requireTwoFactor: 'maybe' });
    assert.equal(bad.statusCode, 400);
    await admin.browser.post('/newsroom/settings/security', { requireTwoFactor: 'on' });
    const author = await staff(t, 'author');
    const res = await author.browser.get('/newsroom');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/newsroom/account/two-factor');
    assert.equal((await author.browser.get('/newsroom/account/two-factor')).statusCode, 200);
    assert.equal((await author.browser.post('/newsroom/account/two-factor/begin')).statusCode, 303);
    await admin.browser.post('/newsroom/settings/security', { requireTwoFactor: 'off' });
    const audit = await t.services.audit.recent();
    assert.ok(audit.some((e) => e.action === 'settings.two-factor' && e.detail.required === true));
  });
});

describe('setup and password links', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T12:00:00Z');
  before(async () => {
    t = await buildTestApp({}, { clock: { now: () => now } });
  });
  after(() => t.close());

  test('setup needs a valid token, validates its form, works once', async () => {
    assert.equal((await new Browser(t).get('/newsroom/setup')).statusCode, 403);
    assert.equal((await new Browser(t).get('/newsroom/setup?token=guess')).statusCode, 403);
    const link = await t.services.accounts.issueSetupLink();
    assert.match(link, /^http:\/\/news\.test\/newsroom\/setup\?token=/);
    const b = new Browser(t);
    assert.equal((await b.get(link.slice('http://news.test'.length))).statusCode, 200);
    const bad = await b.post('/newsroom/setup', { token: tokenOf(link), name: '', email: 'nope', password: 'short', confirm: 'short' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter a name/);
    assert.match(bad.body, /like name@example.com/);
    assert.match(bad.body, /at least 12 characters/);
    const mismatch = await b.post('/newsroom/setup', { token: tokenOf(link), name: 'Ada', email: 'ada@news.test', password: PASSWORD, confirm: `${PASSWORD}!` });
    assert.match(mismatch.body, /do not match/);
    const ok = await b.post('/newsroom/setup', { token: tokenOf(link), name: 'Ada', email: 'ada@news.test', password: PASSWORD, confirm: PASSWORD });
    assert.equal(ok.headers.location, '/newsroom/sign-in?done=setup');
    const twice = await b.post('/newsroom/setup', { token: tokenOf(link), name: 'Eve', email: 'eve@news.test', password: PASSWORD, confirm: PASSWORD });
    assert.equal(twice.statusCode, 403);
    assert.equal(await t.services.accounts.userByEmail('eve@news.test'), undefined);
    assert.equal(await t.services.accounts.needsSetup(), false);
    const signIn = await b.post('/newsroom/sign-in', { email: 'ada@news.test', password: PASSWORD });
    assert.equal(signIn.headers.location, '/newsroom');
  });

  test('invitation links expire after 24 hours and work once; a new password ends old sessions', async () => {
    const { link } = await t.services.accounts.addUser('cli', { email: 'late@news.test', role: 'author' });
    now = new Date(now.getTime() + 25 * 3600_000);
    const b = new Browser(t);
    assert.equal((await b.get(`/newsroom/password?token=${tokenOf(link)}`)).statusCode, 403);

    const fresh = await t.services.accounts.issuePasswordLink('cli', 'late@news.test');
    const old = new Browser(t);
    const user = await t.services.accounts.userByEmail('late@news.test');
    old.cookies.set(SESSION_COOKIE, await t.services.accounts.sessionFor(user!.id));
    assert.equal((await b.get(`/newsroom/password?token=${tokenOf(fresh)}`)).statusCode, 200);
    const short = await b.post('/newsroom/password', { token: tokenOf(fresh), password: 'short', confirm: 'short' });
    assert.equal(short.statusCode, 400);
    const ok = await b.post('/newsroom/password', { token: tokenOf(fresh), password: PASSWORD, confirm: PASSWORD });
    assert.equal(ok.headers.location, '/newsroom/sign-in?done=password');
    assert.equal((await b.post('/newsroom/password', { token: tokenOf(fresh), password: PASSWORD, confirm: PASSWORD })).statusCode, 403);
    assert.equal((await old.get('/newsroom')).statusCode, 303);
    assert.equal((await b.post('/newsroom/sign-in', { email: 'late@news.test', password: PASSWORD })).statusCode, 303);
  });

  test('expired sessions and links are pruned', async () => {
    const { id } = await t.services.accounts.addUser('cli', { email: 'gone@news.test', role: 'author' });
    const session = await t.services.accounts.sessionFor(id);
    now = new Date(now.getTime() + 15 * 86400_000);
    await t.services.accounts.prune();
    const rows = t.database.db.withTables<{ sessions: { user_id: number }; one_time_links: { user_id: number | null } }>();
    assert.equal((await rows.selectFrom('sessions').select('user_id').where('user_id', '=', id).execute()).length, 0);
    assert.equal((await rows.selectFrom('one_time_links').select('user_id').where('user_id', '=', id).execute()).length, 0);
    assert.equal(await t.services.accounts.session(session), undefined);
  });
});
