// The media library in a real browser: an author uploads through the island and sees the progress
// element, "Processing…", then the new image at the top of the list with focus on its link; a
// refused file is reported in the alert region; the screens have 0 axe violations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sampleImage, SVG_IMAGE } from '../../src/media/image-test-samples.ts';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { signedInSession } from '../helpers/newsroom-session.ts';
import { sameOnEveryEngine } from '../helpers/build-test-app.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

declare global {
  interface Window {
    uploadLog: string[];
  }
}

describe('the media library in Chromium', { skip: skip || sameOnEveryEngine('The media library in the browser (its routes and queries are checked on PostgreSQL by src/media/newsroom’s tests)'), timeout: 180_000 }, () => {
  let e2e: ServerAndChromium;

  before(async () => {
    e2e = await startServerAndChromium();
  });

  after(() => e2e?.close());

  test('upload with progress, the new image first with focus on it, a refusal announced; 0 axe violations', async () => {
    const { images } = e2e.server.testApp.services;
    await images.upload({ bytes: await sampleImage('jpeg', 600, 400), filename: 'older.jpg' });
    // Console errors include refusals by the Content-Security-Policy (an inline script or style).
    const { page, consoleErrors, close } = await signedInSession(e2e.chrome.browser, e2e.server, { email: 'ann@news.test', name: 'Ann Author', role: 'author' });

    await page.goto(`${e2e.server.url}/newsroom/media`);
    assert.equal(await page.isHidden('[data-upload-progress]'), true, 'no progress bar before an upload');
    // Every change to the status text and the progress bar's visibility, in order, however fast the upload.
    await page.evaluate(() => {
      window.uploadLog = [];
      const status = document.querySelector('[data-upload-status]')!;
      const progress = document.querySelector('[data-upload-progress]')!;
      // One observer for both, so its records keep the order the changes happened in.
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          if (record.type === 'attributes') window.uploadLog.push(record.oldValue === null ? 'progress hidden' : 'progress shown');
          else for (const node of record.addedNodes) window.uploadLog.push(`status: ${node.textContent}`);
        }
      });
      observer.observe(status, { childList: true });
      observer.observe(progress, { attributes: true, attributeFilter: ['hidden'], attributeOldValue: true });
    });

    await page.setInputFiles('#file', { name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: await sampleImage('jpeg', 1600, 1000) });
    await page.click('form[data-media-upload] button[type=submit]');
    await page.waitForFunction(() => document.activeElement?.textContent === 'harbour.jpg');

    const log = await page.evaluate(() => window.uploadLog);
    assert.equal(log[0], 'progress shown');
    assert.equal(log[1], 'status: Uploading… 0 %');
    assert.ok(log.indexOf('status: Processing…') > 1, log.join('\n'));
    assert.deepEqual(log.slice(-2), ['progress hidden', 'status: Uploaded “harbour.jpg”.'], log.join('\n'));
    const uploading = log.filter((entry) => entry.startsWith('status: Uploading…'));
    assert.ok(uploading.every((entry) => /^status: Uploading… \d{1,2} %$/.test(entry)), uploading.join('\n'));

    const created = (await images.list({ limit: 1 })).images[0]!;
    assert.equal(created.filename, 'harbour.jpg');
    const first = page.locator('[data-media-list] > li').first();
    assert.equal(await first.locator('a.media-name').getAttribute('href'), `/newsroom/media/${created.id}`);
    assert.equal(await first.locator('.media-size').textContent(), '1,600 × 1,000 px');
    assert.equal(await first.locator('.media-needs-alt').textContent(), 'Needs alt text');
    await page.waitForFunction(() => (document.querySelector('[data-media-list] > li img') as HTMLImageElement | null)?.naturalWidth === 320);
    assert.equal(await page.locator('[data-media-list] > li').count(), 2);
    assert.equal(await page.isHidden('[data-upload-progress]'), true);

    const library = await axeViolations(page);
    assert.equal(library.length, 0, `axe violations on the library after an upload:\n${describeViolations(library)}`);
    assert.deepEqual(consoleErrors, [], 'no console errors (CSP refusals included)');

    // A refusal: the server's message in the alert region, the field marked, nothing added.
    await page.setInputFiles('#file', { name: 'logo.jpg', mimeType: 'image/jpeg', buffer: SVG_IMAGE });
    await page.click('form[data-media-upload] button[type=submit]');
    await page.waitForSelector('[data-upload-errors] .field-error');
    assert.equal(await page.textContent('[data-upload-errors]'), 'This file is an SVG; upload a JPEG, PNG, WebP, AVIF or GIF.');
    assert.equal(await page.getAttribute('#file', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('[data-upload-errors]', 'role'), 'alert');
    assert.equal(await page.locator('[data-media-list] > li').count(), 2);
    const refused = await axeViolations(page);
    assert.equal(refused.length, 0, `axe violations with an upload error shown:\n${describeViolations(refused)}`);

    // Its link leads to the alt text.
    await page.goto(`${e2e.server.url}/newsroom/media/${created.id}`);
    await page.fill('#alt', 'Cranes unload a ship in the harbour at dusk');
    await page.click('button:has-text("Save")');
    await page.waitForURL(/done=saved/);
    assert.equal((await images.get(created.id)).alt, 'Cranes unload a ship in the harbour at dusk');
    const edit = await axeViolations(page);
    assert.equal(edit.length, 0, `axe violations on the edit screen:\n${describeViolations(edit)}`);
    await close();
  });
});
