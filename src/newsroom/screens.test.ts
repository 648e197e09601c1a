import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { staff, type Browser } from '../../test/helpers/newsroom.ts';

let t: TestApp;
let admin: { id: number; browser: Browser };
before(async () => {
  t = await buildTestApp();
  admin = await staff(t, 'administrator');
});
after(() => t.close());

test('staff screen: invite with a one-time link; bad input is explained', async () => {
  const b = admin.browser;
  const page = await b.get('/newsroom/staff');
  assert.equal(page.headers['cache-control'], 'private, no-store');
  assert.match(page.headers['content-security-policy'] as string, /style-src 'self' 'sha256-/);
  assert.doesNotMatch(page.body, /<script/);
  const bad = await b.post('/newsroom/staff', { name: '', email: 'nope', role: 'overlord' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /There is a problem/);
  assert.match(bad.body, /like name@example.com/);
  assert.match(bad.body, /Choose a role/);
  const empty = await b.post('/newsroom/staff', { email: '', role: 'author' });
  assert.match(empty.body, /Enter an email address\./);
  const ok = await b.post('/newsroom/staff', { name: 'Sam Sub', email: 'sam@news.test', role: 'contributor' });
  assert.equal(ok.statusCode, 201);
  assert.match(ok.body, /http:\/\/news\.test\/newsroom\/password\?token=/);
  const dup = await b.post('/newsroom/staff', { email: 'sam@news.test', role: 'author' });
  assert.equal(dup.statusCode, 409);
});

test('role changes are audited, end the person\'s sessions, and keep one administrator', async () => {
  const author = await staff(t, 'author');
  await admin.browser.get('/newsroom/staff');
  const unknown = await admin.browser.post(`/newsroom/staff/${author.id}/role`, { role: 'overlord' });
  assert.equal(unknown.statusCode, 400);
  const res = await admin.browser.post(`/newsroom/staff/${author.id}/role`, { role: 'editor' });
  assert.equal(res.statusCode, 303);
  assert.equal((await t.services.accounts.userById(author.id))?.role, 'editor');
  assert.equal((await author.browser.get('/newsroom')).statusCode, 303, 'the old session ended');
  const [entry] = await t.services.audit.recent(1);
  assert.equal(entry!.action, 'user.role');
  assert.equal(entry!.target, `user:${author.id}`);
  assert.deepEqual(entry!.detail, { from: 'author', to: 'editor' });
  assert.match(entry!.actor, new RegExp(`^user:${admin.id} `));
  const last = await admin.browser.post(`/newsroom/staff/${admin.id}/role`, { role: 'editor' });
  assert.equal(last.statusCode, 409);
  assert.match(last.body, /only administrator/);
  assert.equal((await admin.browser.post('/newsroom/staff/999/role', { role: 'editor' })).statusCode, 404);
});

test('settings: saved, audited, shown to readers; bad input is explained and nothing is written', async () => {
  await admin.browser.get('/newsroom/settings');
  const bad = await admin.browser.post('/newsroom/settings', { siteName: ' ', tagline: 'x'.repeat(201), adsTxt: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /The site name is 1 to 80 characters/);
  assert.match(bad.body, /at most 200 characters/);
  assert.equal((await t.services.settings.get()).siteName, 'Test Gazette');
  const ok = await admin.browser.post('/newsroom/settings', { siteName: 'The Harbour Herald', tagline: 'Local news', adsTxt: 'example.com, pub-1, DIRECT\r\n' });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /Settings saved/);
  const adsTxt = await t.app.inject('/ads.txt');
  assert.match(adsTxt.body, /example\.com, pub-1, DIRECT/);
  const [entry] = await t.services.audit.recent(1);
  assert.equal(entry!.action, 'settings.update');
});

test('sections and authors: created by editors, bad input explained', async () => {
  const editor = await staff(t, 'editor');
  await editor.browser.get('/newsroom/sections');
  const bad = await editor.browser.post('/newsroom/sections', { name: '', slug: 'Bad Slug!' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /A section name is 1 to 60 characters/);
  const ok = await editor.browser.post('/newsroom/sections', { name: 'Harbour', description: 'Ships and tides' });
  assert.equal(ok.statusCode, 201);
  assert.ok(await t.services.articles.sectionBySlug('harbour'));
  const dup = await editor.browser.post('/newsroom/sections', { name: 'Harbour' });
  assert.equal(dup.statusCode, 409);
  const noName = await editor.browser.post('/newsroom/authors/new', { name: '  ', bio: '' });
  assert.equal(noName.statusCode, 400);
  assert.match(noName.body, /An author name is 1 to 100 characters/);
  const author = await editor.browser.post('/newsroom/authors/new', { name: 'Mara Lind', bio: 'Covers the port.' });
  assert.equal(author.statusCode, 303);
  assert.equal((await t.services.articles.authorBySlug('mara-lind'))?.bio, 'Covers the port.');
});

test('tokens screen: the token is shown once, revoking asks first, both are audited', async () => {
  await admin.browser.get('/newsroom/tokens');
  const bad = await admin.browser.post('/newsroom/tokens', { name: '', role: 'editor' });
  assert.equal(bad.statusCode, 400);
  const created = await admin.browser.post('/newsroom/tokens', { name: 'newsletter', role: 'author' });
  assert.equal(created.statusCode, 201);
  const token = /(bt_[A-Za-z0-9_-]{43})/.exec(created.body)![1]!;
  const list = await admin.browser.get('/newsroom/tokens');
  assert.ok(!list.body.includes(token), 'never shown again');
  const id = (await t.services.tokens.list()).find((x) => x.name === 'newsletter')!.id;
  const confirm = await admin.browser.get(`/newsroom/tokens/${id}/revoke`);
  assert.match(confirm.body, /cannot be undone/);
  assert.equal((await admin.browser.post(`/newsroom/tokens/${id}/revoke`)).statusCode, 303);
  assert.equal(await t.services.tokens.authenticate(token), undefined);
  const actions = (await t.services.audit.recent(5)).map((e) => e.action);
  assert.ok(actions.includes('token.create') && actions.includes('token.revoke'));
  assert.equal((await admin.browser.get('/newsroom/audit')).statusCode, 200);
});

test('a role without the permission sees a 403 page and no link to the screen', async () => {
  const moderator = await staff(t, 'moderator');
  const home = await moderator.browser.get('/newsroom');
  assert.equal(home.statusCode, 200);
  assert.doesNotMatch(home.body, /href="\/newsroom\/settings"/);
  assert.match(home.body, /href="\/newsroom\/account"/);
  const refused = await moderator.browser.get('/newsroom/settings');
  assert.equal(refused.statusCode, 403);
  assert.match(refused.body, /Not allowed/);
  assert.equal(refused.headers['cache-control'], 'private, no-store');
});

test('the dashboard lists stories published today', async () => {
  await seedBasics(t.services);
  await t.services.articles.save(storyInput({ headline: 'Tide gauge breaks record' }));
  const res = await admin.browser.get('/newsroom');
  assert.match(res.body, /Published today \(1\)/);
  assert.match(res.body, /Tide gauge breaks record/);
});
