// Every newsroom screen (every GET route without parameters, signed in as an administrator, plus an
// image's and an author profile's screens), the sign-in page, and forms showing their error
// summaries: 0 axe violations at laptop and tablet sizes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SESSION_COOKIE } from '../../src/accounts/http.ts';
import { sampleImage } from '../../src/media/image-test-samples.ts';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { sameOnEveryEngine } from '../helpers/build-test-app.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 768, height: 1024 },
];

describe('newsroom screens pass axe in Chromium', { skip: skip || sameOnEveryEngine('The newsroom’s markup'), timeout: 180_000 }, () => {
  let e2e: ServerAndChromium;

  before(async () => {
    e2e = await startServerAndChromium();
  });

  after(() => e2e?.close());

  test('every screen, and forms with errors: 0 violations', async () => {
    const { accounts } = e2e.server.testApp.services;
    const { id } = await accounts.addUser('cli', { email: 'admin@news.test', name: 'Ada Admin', role: 'administrator' });
    const screens = e2e.server.testApp.app.staffRoutes
      .filter((r) => r.method === 'GET' && r.url.startsWith('/newsroom') && r.access !== 'public' && !r.url.includes(':') && !r.url.includes('*'))
      .filter((r) => !r.url.endsWith('.json')) // JSON for browser code, not a screen
      .map((r) => r.url);
    // Screens with an id: an image in the media library (with no alt text yet, so its marker shows).
    const image = await e2e.server.testApp.services.images.upload({ bytes: await sampleImage('jpeg', 800, 500), filename: 'harbour.jpg' });
    screens.push(`/newsroom/media/${image.id}`);
    // An author profile with that image as its photo (the field's thumbnail drawn by the server).
    const author = await e2e.server.testApp.services.authors.save({ name: 'Ada Reporter', bio: 'Covers city hall.', photoImageId: image.id });
    screens.push(`/newsroom/authors/${author.id}`);
    assert.ok(screens.length >= 8);
    const failures: string[] = [];
    for (const viewport of VIEWPORTS) {
      const context = await e2e.chrome.browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${e2e.server.url}/newsroom/sign-in`);
      await page.click('button[type=submit]');
      await page.waitForSelector('.errors');
      const signIn = await axeViolations(page);
      if (signIn.length) failures.push(`sign-in with errors @${viewport.width}:\n${describeViolations(signIn)}`);
      await context.addCookies([{ name: SESSION_COOKIE, value: await accounts.sessionFor(id), url: `${e2e.server.url}/newsroom` }]);
      for (const path of screens) {
        const response = await page.goto(e2e.server.url + path);
        assert.equal(response?.status(), 200, path);
        assert.equal(new URL(page.url()).pathname, path, 'signed in, not redirected');
        const violations = await axeViolations(page);
        if (violations.length) failures.push(`${path} @${viewport.width}:\n${describeViolations(violations)}`);
      }
      await page.goto(`${e2e.server.url}/newsroom/staff`);
      await page.click('form[action="/newsroom/staff"] button[type=submit]');
      await page.waitForSelector('.errors');
      const staffErrors = await axeViolations(page);
      if (staffErrors.length) failures.push(`staff form with errors @${viewport.width}:\n${describeViolations(staffErrors)}`);
      await page.goto(`${e2e.server.url}/newsroom/media/${image.id}`);
      await page.fill('#alt', 'x'.repeat(301));
      await page.click('button:has-text("Save")');
      await page.waitForSelector('.errors');
      const imageErrors = await axeViolations(page);
      if (imageErrors.length) failures.push(`image form with errors @${viewport.width}:\n${describeViolations(imageErrors)}`);
      await page.goto(`${e2e.server.url}/newsroom/authors/new`);
      await page.fill('#photoImageId', 'me.jpg');
      await page.click('button:has-text("Create author")');
      await page.waitForSelector('.errors');
      const authorErrors = await axeViolations(page);
      if (authorErrors.length) failures.push(`author form with errors @${viewport.width}:\n${describeViolations(authorErrors)}`);
      await context.close();
    }
    assert.equal(failures.length, 0, `axe violations:\n${failures.join('\n')}`);
  });
});
