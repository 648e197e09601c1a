// What a newcomer meets after `npm install && npm start`: the bundle npm start builds, started as its
// own process with nothing but a data folder and a port (the demo content and every other default as
// they ship). A new administrator comes in through the printed setup link and walks every newsroom
// screen; the walk fails on any 5xx answer, any island script that does not load, any failed request,
// any browser console error, and any error the server logs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page, Response } from 'playwright-core';
import { sampleImage } from '../../src/media/image-test-samples.ts';
import { hasChromium, launchChromium, type LaunchedBrowser } from '../helpers/browser.ts';
import { dropTestSchema, testDatabaseUrl } from '../helpers/build-test-app.ts';
import { freePort, startBuiltServer, type BuiltServer } from '../helpers/built-server.ts';
import { browserSession, onServer, openScreen, signIn, type BrowserSession } from '../helpers/newsroom-session.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';
const ADMIN = { name: 'Nia Newcomer', email: 'nia@example.org', password: 'a long first password' };

describe('npm start, as a new administrator finds it', { skip, timeout: 300_000 }, () => {
  let server: BuiltServer;
  let chrome: LaunchedBrowser;
  let admin: BrowserSession;
  let dataDir: string;
  const env: Record<string, string> = {};
  /** Every answer of 500 or more, every failed request, and every script that did not load. */
  const broken: string[] = [];
  const scripts: string[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-smoke-'));
    Object.assign(env, { DATA_DIR: dataDir, PORT: String(await freePort()) });
    if (testDatabaseUrl) Object.assign(env, { DATABASE_URL: testDatabaseUrl, DATABASE_SCHEMA: `t_smoke_${process.pid}` });
    server = await startBuiltServer(env, { waitFor: /\/newsroom\/setup\?token=/ });
    chrome = await launchChromium();
    admin = await browserSession(chrome.browser);
    admin.page.on('response', (response: Response) => {
      if (response.status() >= 500) broken.push(`${response.url()}: HTTP ${response.status()}`);
      if (response.request().resourceType() === 'script') {
        scripts.push(new URL(response.url()).pathname);
        if (response.status() !== 200) broken.push(`script ${response.url()}: HTTP ${response.status()}`);
      }
    });
    admin.page.on('requestfailed', (request) => {
      // A request cut off because the page moved on (a favicon while the next screen opens) is no failure.
      const reason = request.failure()?.errorText;
      if (reason !== 'net::ERR_ABORTED') broken.push(`${request.url()}: ${reason}`);
    });
  });

  after(async () => {
    await chrome?.close();
    await server?.stop();
    await dropTestSchema(env);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens a screen through the navigation and checks it drew its heading. */
  async function screen(page: Page, label: string, pathname: string, heading: RegExp) {
    await openScreen(page, server.url, label, pathname);
    assert.match((await page.textContent('main h1')) ?? '', heading, pathname);
  }

  test('the printed setup link makes the administrator, who signs in', async () => {
    const link = /(https?:\/\/\S+\/newsroom\/setup\?token=\S+)/.exec(server.stdout())![1]!;
    // Printed with the site's default address (localhost and the port); opened on the same server.
    assert.ok(link.startsWith(`http://localhost:${env.PORT}/newsroom/setup?token=`), link);
    const { page } = admin;
    await page.goto(onServer(server.url, link));
    await page.fill('#name', ADMIN.name);
    await page.fill('#email', ADMIN.email);
    await page.fill('#password', ADMIN.password);
    await page.fill('#confirm', ADMIN.password);
    await Promise.all([page.waitForURL(/\/newsroom\/sign-in\?done=setup$/), page.click('main button[type=submit]')]);
    await signIn(page, server.url, ADMIN.email, ADMIN.password);
  });

  test('a demo story opens in the Tiptap editor, takes an edit and autosaves it', async () => {
    const { page } = admin;
    await screen(page, 'Stories', '/newsroom/stories', /Stories/);
    const first = page.locator('main table a[href$="/edit"]').first();
    const headline = (await first.textContent())!;
    await Promise.all([page.waitForURL(/\/newsroom\/stories\/\d+\/edit$/), first.click()]);
    assert.equal(await page.inputValue('#headline'), headline);
    // The island replaced the plain field with the editor, holding the story's paragraphs.
    await page.waitForSelector('.editor-surface p');
    assert.ok((await page.locator('.editor-surface p').count()) > 3);
    await page.click('.editor-surface p >> nth=0');
    await page.keyboard.type('Edited by the newcomer. ');
    await page.waitForFunction(() => document.querySelector('[data-editor-status]')?.textContent?.startsWith('Saved'));
    await page.reload();
    assert.match((await page.textContent('.editor-surface p >> nth=0')) ?? '', /Edited by the newcomer\. /);

    await page.goto(`${server.url}/newsroom/stories/new`);
    assert.equal(await page.textContent('main h1'), 'New story');
  });

  test('an image uploads in the media library, with the island showing its progress', async () => {
    const { page } = admin;
    await screen(page, 'Media', '/newsroom/media', /Media/);
    await page.setInputFiles('#file', { name: 'newcomer.jpg', mimeType: 'image/jpeg', buffer: await sampleImage('jpeg', 1200, 800) });
    await page.click('form[data-media-upload] button[type=submit]');
    await page.waitForFunction(() => document.activeElement?.textContent === 'newcomer.jpg', undefined, { timeout: 60_000 });
    await Promise.all([page.waitForURL(/\/newsroom\/media\/\d+$/), page.keyboard.press('Enter')]);
    await page.fill('#alt', 'A test card of colour bars');
    await Promise.all([page.waitForURL(/done=saved/), page.click('button:has-text("Save")')]);
  });

  test('authors, an author with the image field, sections, staff, tokens and the audit log all open', async () => {
    const { page } = admin;
    await screen(page, 'Authors', '/newsroom/authors', /Author/);
    await Promise.all([page.waitForURL(/\/newsroom\/authors\/\d+$/), page.locator('main a[href^="/newsroom/authors/"]:not([href$="/new"])').first().click()]);
    await page.waitForSelector('button:has-text("Choose photo…")'); // drawn by the image field island
    await screen(page, 'Sections', '/newsroom/sections', /Sections/);
    await screen(page, 'Staff', '/newsroom/staff', /Staff/);
    await screen(page, 'API tokens', '/newsroom/tokens', /token/i);
    await screen(page, 'Audit log', '/newsroom/audit', /Audit/);
    await screen(page, 'My account', '/newsroom/account', /account/i);
    await screen(page, 'Dashboard', '/newsroom', /Good to see you/);
  });

  test('a setting changes, and readers see it', async () => {
    const { page } = admin;
    await screen(page, 'Settings', '/newsroom/settings', /settings/i);
    await page.waitForSelector('button:has-text("Choose logo…")');
    await page.fill('#tagline', 'News for newcomers');
    await page.click('button:has-text("Save settings")');
    await page.waitForSelector('text=Settings saved.');
    const reader = await browserSession(chrome.browser);
    await reader.page.goto(`${server.url}/`);
    assert.match((await reader.page.textContent('body')) ?? '', /News for newcomers/);
    assert.deepEqual(reader.consoleErrors, []);
    await reader.close();
  });

  test('the API description serves from the bundle, with the version of the package', async () => {
    const version = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    const spec = await fetch(`${server.url}/api/docs/json`);
    assert.equal(spec.status, 200);
    assert.equal(((await spec.json()) as { info: { version: string } }).info.version, version);
    const { page } = admin;
    await page.goto(`${server.url}/api/docs`);
    assert.match((await page.textContent('h1')) ?? '', /API/);
  });

  test('nothing broke on the way: no 5xx, every island loaded, no console errors, no logged errors', () => {
    assert.deepEqual(broken, []);
    const islands = new Set(scripts.filter((p) => p.startsWith('/assets/')).map((p) => /^\/assets\/([a-z-]+)-/.exec(p)?.[1]));
    assert.deepEqual([...islands].sort(), ['editor', 'image-field', 'media']);
    assert.deepEqual(admin.consoleErrors, []);
    const logged = server
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((entry) => entry.level >= 50);
    assert.deepEqual(logged, []);
  });
});
