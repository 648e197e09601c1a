// A reader meets Related Articles in a real Chromium against the built server, with JavaScript
// off: the seed story's row is about the same news, computed by the server's own job worker after
// the stories were published; a card leads to its story; axe (with JavaScript, as it needs) finds nothing on the page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { CaptureImporter } from '../../src/importers/capture-import.ts';
import { projectFile } from '../../src/platform/paths.ts';
import { sameOnEveryEngine } from '../helpers/build-test-app.ts';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

describe('Related Articles on the built site', { skip: skip || sameOnEveryEngine('The Related Articles cards in the browser (the seed’s list, on real content, is checked on PostgreSQL by src/search/related.test.ts)') }, () => {
  let run: ServerAndChromium;
  let seedPath = '';
  before(async () => {
    run = await startServerAndChromium();
    const { services } = run.server.testApp;
    await seedDemo(services);
    const importer = new CaptureImporter({ articles: services.articles, videos: services.videos });
    const dir = projectFile('test/fixtures/related');
    for (const file of fs.readdirSync(dir).sort()) {
      const imported = await importer.importText(fs.readFileSync(`${dir}/${file}`, 'utf8'), { fileName: file, publish: true });
      if (file.startsWith('seed-')) seedPath = imported.url;
    }
  });
  after(() => run?.close());

  test('the seed story shows cards about Russia and Ukraine; a card opens its story; axe: 0 violations', async () => {
    const context = await run.chrome.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      // The server's worker computes the lists after the publishes (bounded wait; the time is not the point).
      for (let i = 0; i < 60; i++) {
        await page.goto(`${run.server.url}${seedPath}`);
        if ((await page.locator('section.related li').count()) >= 4) break;
        await sleep(500);
      }
      const cards = page.locator('section.related li');
      assert.equal(await page.textContent('#related-heading'), 'Related Articles');
      const count = await cards.count();
      assert.ok(count >= 4 && count <= 6, `${count} cards`);
      const headlines = await page.locator('section.related h3').allTextContents();
      assert.ok(headlines.slice(0, 4).every((h) => /Zelenskyy|Kyiv|Kremlin|Russian/.test(h)), headlines.join(' | '));
      assert.ok(!headlines.some((h) => /ballroom|parking/i.test(h)));
      for (let i = 0; i < count; i++) {
        assert.ok((await cards.nth(i).locator('time').getAttribute('datetime'))?.startsWith('20'));
        assert.ok(((await cards.nth(i).locator('.kicker').textContent()) ?? '').length > 0);
      }
      const first = headlines[0]!;
      await page.click(`section.related h3 a >> nth=0`);
      await page.waitForLoadState();
      assert.equal((await page.textContent('h1'))?.trim(), first.trim());
    } finally {
      await context.close();
    }
    // axe runs in the page, so it needs JavaScript: the same page, with it.
    const withScripts = await run.chrome.browser.newContext();
    try {
      const page = await withScripts.newPage();
      await page.goto(`${run.server.url}${seedPath}`);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, describeViolations(violations));
    } finally {
      await withScripts.close();
    }
  });
});
