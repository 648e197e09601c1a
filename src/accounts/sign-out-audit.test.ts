// Who can act is audited: ending a person's sessions (they themselves, or an administrator forcing
// it from the staff screen) writes an entry with who did it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { staff } from '../../test/helpers/newsroom.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

test('signing a person out everywhere is audited, by themselves or by an administrator', async () => {
  const admin = await staff(t, 'administrator');
  const author = await staff(t, 'author');
  await admin.browser.get('/newsroom/staff');
  assert.equal((await admin.browser.post(`/newsroom/staff/${author.id}/sign-out`)).statusCode, 303);
  assert.equal((await author.browser.get('/newsroom')).statusCode, 303, 'the author was signed out');

  const editor = await staff(t, 'editor');
  await editor.browser.get('/newsroom/account');
  assert.equal((await editor.browser.post('/newsroom/account/sign-out-everywhere')).statusCode, 303);

  const entries = (await t.services.audit.recent(50)).filter((e) => e.action === 'user.sign-out-everywhere');
  assert.deepEqual(
    entries.map((e) => [e.target, e.actor.replace(/ .*/, '')]).reverse(),
    [[`user:${author.id}`, `user:${admin.id}`], [`user:${editor.id}`, `user:${editor.id}`]],
  );
});
