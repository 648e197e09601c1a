// The "Breaking" banner in Chromium, on the build `npm start` runs: a reader with the story already
// open sees it appear when an editor's alert goes out (the server process hears of it through the
// change log), with nothing on the page moving; a page loaded afterwards shows it too (its stream
// starts with the fresh alert); "Dismiss"
// is remembered in that browser; axe finds nothing with it shown; without JavaScript the page is
// simply the story.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { seedBasics, storyInput } from '../helpers/fixtures.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

describe('the breaking-news banner in Chromium', { skip, timeout: 180_000 }, () => {
  let run: ServerAndChromium;
  let storyUrl: string;
  let storyPath: string;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];

  async function open(url: string, options: { javaScriptEnabled?: boolean; context?: BrowserContext } = {}): Promise<Page> {
    const context = options.context ?? (await run.chrome.browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true }));
    if (!options.context) contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    // Layout shifts from the moment the page starts, summed by the page itself.
    await page.addInitScript(() => {
      const w = window as unknown as { shift: number };
      w.shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number })[]) w.shift += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(url);
    return page;
  }

  before(async () => {
    run = await startServerAndChromium();
    const { services } = run.server.testApp;
    await seedBasics(services);
    const story = await services.articles.save(storyInput({ headline: 'Harbour bridge closes after crash' }));
    storyPath = `/${story.section.slug}/${story.slug}`;
    storyUrl = run.server.url + storyPath;
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await run?.close();
  });

  test('an open page shows the alert as it goes out, without moving anything; later pages too; Dismiss is remembered', async (t) => {
    const { services } = run.server.testApp;
    const reading = await open(storyUrl);
    const banner = reading.locator('.breaking-banner');
    await reading.waitForFunction(() => document.querySelector('.breaking-banner') !== null);
    assert.equal(await banner.isHidden(), true, 'no alert yet: nothing shown');
    const headlineBefore = await reading.locator('h1').boundingBox();

    const sentAt = Date.now();
    await services.alerts.send(await services.alerts.check({ title: 'Harbour bridge closed', text: 'A crash closed the bridge both ways.', url: storyPath, sections: '*' }), { by: 'cli' });
    await banner.waitFor({ state: 'visible', timeout: 20_000 });
    t.diagnostic(`banner shown ${Date.now() - sentAt} ms after the send returned (measured properly by npm run bench -- alerts-banner)`);
    assert.equal(await banner.getAttribute('role'), 'status');
    assert.match((await banner.innerText()).replace(/\s+/g, ' '), /^BREAKING Harbour bridge closed A crash closed the bridge both ways\./i);
    assert.equal(await banner.locator('a').getAttribute('href'), storyPath);
    assert.deepEqual(await reading.locator('h1').boundingBox(), headlineBefore, 'the story did not move');
    assert.equal(await reading.evaluate(() => (window as unknown as { shift: number }).shift), 0, 'no layout shift');
    const violations = await axeViolations(reading);
    assert.equal(violations.length, 0, `axe violations with the banner shown:\n${describeViolations(violations)}`);

    // A page loaded now asks for the fresh alert and shows it; Dismiss hides it for this browser.
    const context = await run.chrome.browser.newContext();
    contexts.push(context);
    const later = await open(`${run.server.url}/national`, { context });
    await later.locator('.breaking-banner').waitFor({ state: 'visible' });
    await later.getByRole('button', { name: 'Dismiss the alert “Harbour bridge closed”' }).click();
    assert.equal(await later.locator('.breaking-banner').isHidden(), true);
    const next = await open(storyUrl, { context });
    await next.locator('.breaking-banner[data-last-alert]').waitFor({ state: 'attached' });
    assert.equal(await next.locator('.breaking-banner').isHidden(), true, 'dismissed stays dismissed in this browser');

    // Clicking the banner's link opens the story.
    await Promise.all([reading.waitForURL(storyUrl), banner.locator('a').click()]);
    assert.deepEqual(consoleErrors, []);
  });

  test('without JavaScript the page is the story, with no banner and nothing broken', async () => {
    const page = await open(storyUrl, { javaScriptEnabled: false });
    assert.equal(await page.locator('.breaking-banner').count(), 0);
    assert.equal(await page.locator('h1').innerText(), 'Harbour bridge closes after crash');
  });
});
