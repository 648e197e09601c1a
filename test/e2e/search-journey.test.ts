// A reader searches from the site header with JavaScript switched off, in a real Chromium against
// the built server: the form is a plain GET, the results page marks the words, "Did you mean"
// fixes a typo, and the filters form narrows the results, all without a script.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

describe('search without JavaScript', { skip }, () => {
  let run: ServerAndChromium;
  before(async () => {
    run = await startServerAndChromium();
    await seedDemo(run.server.testApp.services);
  });
  after(() => run?.close());

  test('the header box, a typo corrected, then a section filter', async () => {
    const context = await run.chrome.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${run.server.url}/`);
      await page.fill('#site-search-q', 'flood barrier');
      await page.press('#site-search-q', 'Enter');
      await page.waitForURL(/\/search\?q=flood\+barrier$/);
      assert.match((await page.textContent('.search-status')) ?? '', /\d+ stor(y|ies) matched “flood barrier”/);
      assert.ok((await page.locator('.search-results mark').count()) > 0, 'the matching words are marked');

      await page.fill('#search-q', 'flod barrier');
      await page.press('#search-q', 'Enter');
      await page.waitForURL(/q=flod\+barrier/);
      assert.match((await page.textContent('.search-suggestion')) ?? '', /Showing results for flood barrier/);
      assert.ok((await page.locator('.search-results li').count()) > 0);

      await page.fill('#search-q', 'the');
      await page.selectOption('#search-section', 'national');
      await page.click('.search-form button[type=submit]');
      await page.waitForURL(/section=national/);
      const kickers = await page.locator('.search-results .kicker').allTextContents();
      assert.ok(kickers.length > 0);
      assert.ok(kickers.every((k) => k === 'National'), kickers.join());
    } finally {
      await context.close();
    }
  });
});
