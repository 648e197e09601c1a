// Staff pages are personal: never stored anywhere, however their address is spelled. The cache
// policy follows the route that answered, not the raw URL (percent-encoding reaches the same route).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { staff, type Browser } from '../../test/helpers/newsroom.ts';

let t: TestApp;
let admin: Browser;
before(async () => {
  t = await buildTestApp();
  admin = (await staff(t, 'administrator')).browser;
});
after(() => t.close());

test('a staff page spelled with percent-encoding is still no-store', async () => {
  for (const path of ['/newsroom/tokens', '/%6Eewsroom/tokens', '/newsroom/%74okens', '/newsroom/staff']) {
    const res = await admin.get(path);
    assert.equal(res.statusCode, 200, path);
    assert.match(res.body, /<h1>/, path);
    assert.equal(res.headers['cache-control'], 'private, no-store', path);
  }
});
