// The story editor in a real browser: an editor writes a story with a sub-heading in the Tiptap
// editor, the autosave reports "Saved", the story is published and shows on the front; the edit
// screen has 0 axe violations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SESSION_COOKIE } from '../../src/accounts/http.ts';
import { axeViolations, describeViolations, hasChromium, launchChromium, startTestServer, type LaunchedBrowser, type TestServer } from '../helpers/browser.ts';
import { seedBasics } from '../helpers/fixtures.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

describe('the story editor in Chromium', { skip, timeout: 180_000 }, () => {
  let server: TestServer;
  let chrome: LaunchedBrowser;

  before(async () => {
    server = await startTestServer();
    chrome = await launchChromium();
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
  });

  test('write with a sub-heading, autosave, publish, read it on the front; 0 axe violations', async () => {
    const { accounts, articles } = server.testApp.services;
    await seedBasics(server.testApp.services);
    const { id } = await accounts.addUser('cli', { email: 'eve@news.test', name: 'Eve Editor', role: 'editor' });
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: SESSION_COOKIE, value: await accounts.sessionFor(id), url: `${server.url}/newsroom` }]);
    const page = await context.newPage();
    // Console errors include refusals by the Content-Security-Policy (e.g. an inline style).
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });

    await page.goto(`${server.url}/newsroom/stories/new`);
    await page.fill('#headline', 'Seals return to the harbour');
    await page.click('button:has-text("Create draft")');
    await page.waitForURL(/\/newsroom\/stories\/\d+\/edit$/);
    const storyId = Number(/stories\/(\d+)\/edit/.exec(page.url())![1]);

    await page.click('.editor-surface');
    await page.keyboard.type('The colony is back for the first time in years.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Where to see them');
    await page.click('[data-editor-toolbar] button[data-command="h2"]');
    assert.equal(await page.getAttribute('[data-editor-toolbar] button[data-command="h2"]', 'aria-pressed'), 'true');
    await page.waitForFunction(() => document.querySelector('[data-editor-status]')?.textContent?.startsWith('Saved'));

    const saved = (await articles.findById(storyId))!;
    const heading = saved.body.content.find((b) => b.type === 'heading');
    assert.equal(heading?.type === 'heading' && heading.content?.map((n) => ('text' in n ? n.text : '')).join(''), 'Where to see them');

    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations on the edit screen:\n${describeViolations(violations)}`);
    assert.deepEqual(consoleErrors, [], 'no console errors (CSP refusals included) on the edit screen');

    await page.click('button:has-text("Publish now")');
    await page.waitForURL(/done=published/);
    await page.goto(`${server.url}/`);
    assert.ok(await page.isVisible('text=Seals return to the harbour'));
    await context.close();
  });
});
