// Syndication on the build users run (`npm start`'s bundle, its own process, the demo content as
// it ships): the feeds pass the format checks, the Content API answers, the story page's
// structured data passes the testing tool and its preview image loads; and Chromium, on a page of
// another origin, reads the API across origins (CORS), including a conditional request that
// needs a preflight.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hasChromium, launchChromium, type LaunchedBrowser } from '../helpers/browser.ts';
import { dropTestSchema, testDatabaseUrl } from '../helpers/build-test-app.ts';
import { freePort, startBuiltServer, type BuiltServer } from '../helpers/built-server.ts';
import { atomProblems, jsonFeedProblems, rssProblems } from '../helpers/feed-checks.ts';

const require = createRequire(import.meta.url);
const { structuredDataTest } = require('structured-data-testing-tool') as { structuredDataTest(html: string, options: unknown): Promise<{ failed: { test: string }[] }> };
const { Google, SocialMedia } = require('structured-data-testing-tool/presets') as Record<string, unknown>;
const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

describe('syndication on the built server', { skip, timeout: 300_000 }, () => {
  let server: BuiltServer;
  let chrome: LaunchedBrowser;
  let elsewhere: http.Server;
  let dataDir: string;
  const env: Record<string, string> = {};

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-syndication-'));
    const port = String(await freePort());
    Object.assign(env, { DATA_DIR: dataDir, PORT: port, SITE_URL: `http://127.0.0.1:${port}` });
    if (testDatabaseUrl) Object.assign(env, { DATABASE_URL: testDatabaseUrl, DATABASE_SCHEMA: `t_synd_${process.pid}` });
    server = await startBuiltServer(env, { waitFor: /\/newsroom\/setup\?token=/ });
    chrome = await launchChromium();
    // Another origin: a page that is not the site's.
    elsewhere = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Partner</title>'));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await chrome?.close();
    await new Promise((resolve) => elsewhere?.close(resolve));
    await server?.stop();
    await dropTestSchema(env);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the demo site’s feeds pass the checks; the Content API lists and serves its stories', async () => {
    const sections = (await (await fetch(`${server.url}/api/v1/sections`)).json()) as { sections: { slug: string }[] };
    assert.ok(sections.sections.length > 0);
    for (const base of ['', `/${sections.sections[0]!.slug}`]) {
      const self = (file: string) => `${server.url}${base}/${file}`;
      assert.deepEqual(rssProblems(await (await fetch(self('feed.xml'))).text(), self('feed.xml')), []);
      assert.deepEqual(atomProblems(await (await fetch(self('atom.xml'))).text(), self('atom.xml')), []);
      assert.deepEqual(jsonFeedProblems(await (await fetch(self('feed.json'))).text(), self('feed.json')), []);
    }
    const list = (await (await fetch(`${server.url}/api/v1/stories?limit=3`)).json()) as { stories: { api: string; url: string }[]; next: string | null };
    assert.equal(list.stories.length, 3);
    assert.ok(list.next);
    const story = (await (await fetch(list.stories[0]!.api)).json()) as { headline: string; html: string; body: { type: string } };
    assert.equal(story.body.type, 'doc');
    assert.ok(story.html.length > 100);
    const page = await (await fetch(list.stories[0]!.url)).text();
    const result = await structuredDataTest(page, { presets: [Google, SocialMedia] }).catch((error: { res?: { failed: { test: string }[] } }) => error.res ?? { failed: [{ test: String(error) }] });
    assert.deepEqual(result.failed.map((f) => f.test), []);
    const image = /<meta property="og:image" content="([^"]+)"/.exec(page)![1]!;
    const picture = await fetch(image);
    assert.equal(picture.status, 200);
    assert.match(String(picture.headers.get('content-type')), /^image\/(png|jpeg)/);
  });

  test('a page of another origin reads the API in Chromium, with a conditional request', async () => {
    const context = await chrome.browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`);
    const seen = await tab.evaluate(async (api) => {
      const first = await fetch(`${api}/api/v1/stories?limit=2`);
      const body = (await first.json()) as { stories: unknown[] };
      const etag = first.headers.get('etag');
      // If-None-Match is not a simple header: the browser asks first (a preflight), then sends it.
      const again = await fetch(`${api}/api/v1/stories?limit=2`, { headers: { 'If-None-Match': etag ?? '' }, cache: 'no-store' });
      return { status: first.status, stories: body.stories.length, etag, again: again.status };
    }, server.url);
    await context.close();
    assert.equal(seen.status, 200);
    assert.equal(seen.stories, 2);
    assert.match(String(seen.etag), /^W\/"/, 'the ETag is exposed to scripts');
    assert.equal(seen.again, 304);
  });
});
