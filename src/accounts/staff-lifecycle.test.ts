// Rights end when a person's do: the tokens an administrator made are revoked when they are demoted
// or deactivated; tokens can expire; a deactivated account cannot sign in or keep a session; and
// the owner of an account locked by failed sign-ins is told on their next visit. All audited.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { Browser, staff } from '../../test/helpers/newsroom.ts';
import { LOCK_AFTER_FAILURES, LOCK_MINUTES } from './account-service.ts';

const PASSWORD = 'correct horse battery staple';
let t: TestApp;
let now = new Date('2026-12-02T09:00:00Z');

before(async () => {
  t = await buildTestApp({}, { clock: { now: () => now } });
});
after(() => t.close());

const probe = (token: string) => t.app.inject({ method: 'POST', url: '/api/admin/v1/sections', headers: { authorization: `Bearer ${token}` }, payload: { name: `Probe ${Math.random()}` } });
const asActor = (person: { id: number }, role: 'administrator') => ({ kind: 'user' as const, id: person.id, role, name: 'Maker' });

async function tokenMadeInNewsroom(admin: { browser: Browser }, name: string, role = 'administrator', expires = 'never'): Promise<string> {
  await admin.browser.get('/newsroom/tokens');
  const res = await admin.browser.post('/newsroom/tokens', { name, role, expires });
  assert.equal(res.statusCode, 201, res.body);
  return /<p class="secret">(bt_[^<]+)<\/p>/.exec(res.body)![1]!;
}

test('demoting an administrator revokes the tokens they made (audited, said on the staff screen); other tokens keep working', async () => {
  const head = await staff(t, 'administrator');
  const maker = await staff(t, 'administrator');
  const theirs = await tokenMadeInNewsroom(maker, 'their importer');
  const headsOwn = await tokenMadeInNewsroom(head, 'head importer');
  const fromCli = (await t.services.tokens.create('cli', { name: 'cli token', role: 'editor' })).token;
  assert.equal((await probe(theirs)).statusCode, 201, 'works before the demotion');

  await head.browser.get('/newsroom/staff');
  const demoted = await head.browser.post(`/newsroom/staff/${maker.id}/role`, { role: 'contributor' });
  assert.equal(demoted.statusCode, 303);
  const screen = await head.browser.get(String(demoted.headers.location));
  assert.match(screen.body, /Role changed; they were signed out everywhere\. One API token they made was revoked\./);

  assert.equal((await probe(theirs)).statusCode, 401, 'the demoted maker’s token no longer works');
  assert.equal((await probe(headsOwn)).statusCode, 201);
  assert.notEqual((await probe(fromCli)).statusCode, 401);
  const entries = await t.services.audit.recent(10);
  const revoke = entries.find((e) => e.action === 'token.revoke')!;
  assert.equal(revoke.detail.reason, 'maker’s role changed to contributor');
  assert.match(revoke.actor, new RegExp(`^user:${head.id} `));
  assert.ok(entries.some((e) => e.action === 'user.role' && e.target === `user:${maker.id}`));
});

test('a change between roles that may manage tokens keeps them; the service says how many were revoked', async () => {
  const maker = await staff(t, 'administrator');
  const made = await t.services.tokens.create(asActor(maker, 'administrator'), { name: 'kept', role: 'editor' });
  const head = await staff(t, 'administrator');
  assert.deepEqual(await t.services.accounts.changeRole(asActor(head, 'administrator'), maker.id, 'administrator'), { revokedTokens: 0 });
  assert.deepEqual(await t.services.accounts.changeRole(asActor(head, 'administrator'), maker.id, 'editor'), { revokedTokens: 1 });
  assert.equal((await probe(made.token)).statusCode, 401);
});

test('tokens can expire: refused after the time, shown as expired; a bad lifetime is refused with a message', async () => {
  const admin = await staff(t, 'administrator');
  const token = await tokenMadeInNewsroom(admin, 'short-lived', 'editor', '30');
  assert.equal((await probe(token)).statusCode, 201);
  const listed = (await t.services.tokens.list()).find((x) => x.name === 'short-lived')!;
  assert.equal(listed.expiresAt, new Date(now.getTime() + 30 * 86400_000).toISOString());

  now = new Date(now.getTime() + 31 * 86400_000);
  assert.equal((await probe(token)).statusCode, 401);
  const later = await staff(t, 'administrator'); // the first one's session has ended by now
  const page = await later.browser.get('/newsroom/tokens');
  assert.match(page.body, /<td>expired<\/td>/);

  for (const expires of ['0', '-5', 'soon', '99999', '3651']) {
    await assert.rejects(t.services.tokens.create('cli', { name: 'bad', role: 'editor', expires }), (error: { details: { field: string; message: string }[] }) => {
      assert.deepEqual(error.details, [{ field: 'expires', message: 'A token expires after 1 to 3650 days, or never.' }]);
      return true;
    });
  }
  const bad = await later.browser.post('/newsroom/tokens', { name: 'bad', role: 'editor', expires: 'soon' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /A token expires after 1 to 3650 days, or never\./);
});

test('deactivating: no sign-in (the same answer as a wrong password), sessions and tokens end; reactivating lets them back in', async () => {
  const head = await staff(t, 'administrator');
  const person = await staff(t, 'administrator', PASSWORD);
  const token = await tokenMadeInNewsroom(person, 'their bot');
  await head.browser.get('/newsroom/staff');
  const res = await head.browser.post(`/newsroom/staff/${person.id}/deactivate`);
  assert.equal(res.statusCode, 303);
  const screen = await head.browser.get(String(res.headers.location));
  assert.match(screen.body, /Account deactivated: they cannot sign in, and were signed out everywhere\. One API token they made was revoked\./);
  assert.match(screen.body, /\(deactivated\)/);

  assert.equal((await person.browser.get('/newsroom')).statusCode, 303, 'their session ended');
  assert.equal((await probe(token)).statusCode, 401);
  const signIn = await new Browser(t).post('/newsroom/sign-in', { email: person.email, password: PASSWORD });
  assert.equal(signIn.statusCode, 401);
  assert.match(signIn.body, /The email or password is not right/);
  const link = await head.browser.post(`/newsroom/staff/${person.id}/password-link`);
  assert.equal(link.statusCode, 409);
  assert.match(link.body, /account is deactivated; reactivate it first/);

  await head.browser.get('/newsroom/staff');
  assert.equal((await head.browser.post(`/newsroom/staff/${person.id}/reactivate`)).statusCode, 303);
  assert.equal((await new Browser(t).post('/newsroom/sign-in', { email: person.email, password: PASSWORD })).statusCode, 303);
  assert.equal((await probe(token)).statusCode, 401, 'revoked tokens stay revoked');
  const actions = (await t.services.audit.recent(20)).filter((e) => e.target === `user:${person.id}`).map((e) => e.action);
  assert.ok(actions.includes('user.deactivate') && actions.includes('user.reactivate'), actions.join());
});

test('who may NOT: deactivate oneself, the last active administrator; non-administrators reach neither route', async () => {
  const only = await buildTestApp();
  try {
    const admin = await staff(only, 'administrator');
    await assert.rejects(only.services.accounts.deactivate(asActor(admin, 'administrator'), admin.id), /cannot deactivate your own account/);
    const other = await staff(only, 'administrator');
    await only.services.accounts.deactivate(asActor(other, 'administrator'), admin.id);
    const third = await staff(only, 'editor');
    await assert.rejects(only.services.accounts.deactivate({ kind: 'user', id: third.id, role: 'administrator', name: 'x' }, other.id), /only active administrator/);
    for (const role of ['editor', 'author', 'contributor', 'moderator'] as const) {
      const person = await staff(only, role);
      await person.browser.get('/newsroom');
      assert.equal((await person.browser.post(`/newsroom/staff/${third.id}/deactivate`)).statusCode, 403, role);
    }
    assert.equal((await only.services.accounts.userById(third.id))!.deactivated_at, null);
  } finally {
    await only.close();
  }
});

test('a lock by failed sign-ins is audited, and its owner is told on their next visit until they dismiss it', async () => {
  const owner = await staff(t, 'editor', PASSWORD);
  const stranger = new Browser(t);
  for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await stranger.post('/newsroom/sign-in', { email: owner.email, password: 'guess' });
  const locked = (await t.services.audit.recent(5)).find((e) => e.action === 'user.locked')!;
  assert.equal(locked.target, `user:${owner.id}`);
  assert.equal(locked.actor, 'sign-in');
  // And by mail at once (no SMTP_URL here: the outbox). The stranger's answer said nothing of it.
  const outbox = path.join(t.dataDir, 'outbox');
  let mails: string[] = [];
  for (let i = 0; i < 100 && mails.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    mails = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
  }
  assert.equal(mails.length, 1);
  const mail = await simpleParser(fs.readFileSync(path.join(outbox, mails[0]!)));
  assert.equal(mail.subject, 'Your Test Gazette newsroom account was locked');
  assert.equal(mail.to && 'text' in mail.to ? mail.to.text : '', owner.email);
  assert.match(mail.text!, new RegExp(`locked for ${LOCK_MINUTES} minutes after repeated failed sign-in attempts`));

  now = new Date(now.getTime() + (LOCK_MINUTES + 1) * 60_000);
  const back = new Browser(t);
  assert.equal((await back.post('/newsroom/sign-in', { email: owner.email, password: PASSWORD })).statusCode, 303);
  const page = await back.get('/newsroom/stories');
  assert.match(page.body, /role="alert"><p>Your account was locked on \d{4}-\d\d-\d\d \d\d:\d\d UTC after repeated failed sign-in attempts\./);
  assert.match((await back.get('/newsroom')).body, /Your account was locked/, 'on every screen until dismissed');
  assert.equal((await back.post('/newsroom/account/lock-notice')).statusCode, 303);
  assert.doesNotMatch((await back.get('/newsroom')).body, /Your account was locked/);
});
