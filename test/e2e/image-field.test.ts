// The image field island in a real browser: an editor chooses an author's photo from the media
// library in the dialog (searching, then uploading another with progress), removes it again, and
// chooses a story's social image, which the autosave keeps. 0 axe violations with the dialog open;
// no console errors (a refusal by the Content-Security-Policy would be one).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sampleImage } from '../../src/media/image-test-samples.ts';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { signedInSession } from '../helpers/newsroom-session.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { sameOnEveryEngine } from '../helpers/build-test-app.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

describe('the image field in Chromium', { skip: skip || sameOnEveryEngine('The image field in the browser (its routes are checked on PostgreSQL by src/media/newsroom’s tests)'), timeout: 180_000 }, () => {
  let e2e: ServerAndChromium;

  before(async () => {
    e2e = await startServerAndChromium();
    await seedBasics(e2e.server.testApp.services);
  });

  after(() => e2e?.close());

  /** A signed-in editor's page, and the console errors it collects. */
  const editorPage = (email: string) => signedInSession(e2e.chrome.browser, e2e.server, { email, name: 'Eve Editor', role: 'editor' });

  test('an author photo: searched and chosen in the dialog, saved, removed; another uploaded with progress', async () => {
    const { articles, authors, images } = e2e.server.testApp.services;
    const portrait = await images.upload({ bytes: await sampleImage('jpeg', 600, 600), filename: 'ada-portrait.jpg' });
    await images.updateMeta(portrait.id, { alt: 'Ada Reporter at her desk' });
    await images.upload({ bytes: await sampleImage('jpeg', 800, 500), filename: 'harbour.jpg' });
    const ada = (await articles.authorBySlug('ada-reporter'))!;
    const { page, consoleErrors, close } = await editorPage('eve@news.test');

    await page.goto(`${e2e.server.url}/newsroom/authors/${ada.id}`);
    assert.equal(await page.isVisible('button:has-text("Choose photo…")'), true, 'the island shows its buttons');
    assert.equal(await page.isHidden('button:has-text("Remove photo")'), true, 'nothing to remove yet');
    await page.click('button:has-text("Choose photo…")');
    const dialog = page.locator('dialog[data-image-dialog="photoImageId"]');
    await dialog.locator(`[data-pick-image="${portrait.id}"]`).waitFor();
    assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open), true);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'photoImageId-library-search', 'focus starts in the search box');
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations with the dialog open:\n${describeViolations(violations)}`);

    await dialog.locator('input[type=search]').fill('portrait');
    await page.waitForFunction(() => document.querySelectorAll('[data-image-dialog] [data-pick-image]').length === 1);
    await dialog.locator(`[data-pick-image="${portrait.id}"]`).click();
    assert.equal(await dialog.locator(`[data-pick-image="${portrait.id}"]`).getAttribute('aria-pressed'), 'true');
    await dialog.locator('button:has-text("Use this image")').click();
    assert.equal(await dialog.evaluate((d: HTMLDialogElement) => d.open), false);
    assert.equal(await page.inputValue('#photoImageId'), String(portrait.id));
    assert.match((await page.textContent('[data-image-field-preview]')) ?? '', /ada-portrait\.jpg/);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Choose photo…', 'focus back on the button');
    await page.click('button:has-text("Save author")');
    await page.waitForURL(/\/newsroom\/authors\?saved=/);
    assert.equal((await authors.byId(ada.id))!.photoImageId, portrait.id);

    // The saved photo is drawn by the server; "Remove photo" empties the field.
    await page.goto(`${e2e.server.url}/newsroom/authors/${ada.id}`);
    assert.match((await page.textContent('[data-image-field-preview]')) ?? '', /ada-portrait\.jpg/);
    await page.click('button:has-text("Remove photo")');
    assert.equal(await page.inputValue('#photoImageId'), '');
    assert.equal(await page.isHidden('[data-image-field-preview]'), true);
    await page.click('button:has-text("Save author")');
    await page.waitForURL(/\/newsroom\/authors\?saved=/);
    assert.equal((await authors.byId(ada.id))!.photoImageId, null);

    // Upload through the dialog: a progress bar, then the new image chosen.
    await page.goto(`${e2e.server.url}/newsroom/authors/new`);
    await page.fill('#name', 'Mara Lind');
    await page.click('button:has-text("Choose photo…")');
    await page.evaluate(() => {
      const progress = document.querySelector<HTMLProgressElement>('[data-image-dialog] progress')!;
      new MutationObserver(() => {
        if (!progress.hidden) document.body.dataset.progressShown = 'yes';
      }).observe(progress, { attributes: true, attributeFilter: ['hidden'] });
    });
    await page.setInputFiles('[data-image-dialog] input[type=file]', { name: 'mara.png', mimeType: 'image/png', buffer: await sampleImage('png', 640, 640) });
    await page.waitForFunction(() => /Uploaded “mara.png”\./.test(document.querySelector('[data-image-dialog] .image-message')?.textContent ?? ''), undefined, { timeout: 60_000 });
    assert.equal(await page.getAttribute('body', 'data-progress-shown'), 'yes', 'the progress bar was shown');
    const uploaded = (await images.list({ search: 'mara.png' })).images[0]!;
    assert.equal(await page.getAttribute(`[data-image-dialog] [data-pick-image="${uploaded.id}"]`, 'aria-pressed'), 'true');
    await page.click('[data-image-dialog] button:has-text("Use this image")');
    await page.click('button:has-text("Create author")');
    await page.waitForURL(/\/newsroom\/authors\?saved=/);
    assert.equal((await articles.authorBySlug('mara-lind'))!.photoImageId, uploaded.id);
    const list = await axeViolations(page);
    assert.equal(list.length, 0, `axe violations on the authors list:\n${describeViolations(list)}`);

    assert.deepEqual(consoleErrors, []);
    await close();
  });

  test('a story’s social image, chosen in the dialog and kept by the autosave; the editor’s own picker still works beside it', async () => {
    const { articles, images } = e2e.server.testApp.services;
    const social = await images.upload({ bytes: await sampleImage('jpeg', 1200, 630), filename: 'social-card.jpg' });
    await images.updateMeta(social.id, { alt: 'Seals on the harbour wall' });
    const story = await articles.save({ headline: 'Seals return', sectionSlug: 'national', status: 'draft', body: { type: 'doc', content: [] } });
    const { page, consoleErrors, close } = await editorPage('ian@news.test');

    await page.goto(`${e2e.server.url}/newsroom/stories/${story.id}/edit`);
    await page.click('button:has-text("Choose social image…")');
    const dialog = page.locator('dialog[data-image-dialog="socialImageId"]');
    await dialog.locator(`[data-pick-image="${social.id}"]`).click();
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations with the dialog open on the story:\n${describeViolations(violations)}`);
    await dialog.locator('button:has-text("Use this image")').click();
    assert.equal(await page.inputValue('#socialImageId'), String(social.id));
    assert.match((await page.textContent('[data-image-field="socialImageId"] [data-image-field-preview]')) ?? '', /social-card\.jpg/);
    // The first change on a fresh page: the status says "Saved" once the autosave has it.
    await page.waitForFunction(() => document.querySelector('[data-editor-status]')?.textContent?.startsWith('Saved'));
    assert.equal((await articles.findById(story.id))!.socialImageId, social.id);

    // The lead image picker (the editor's, sharing the library code) is unaffected.
    await page.click('[data-pick-lead]');
    await page.locator(`[data-image-form] [data-pick-image="${social.id}"]`).click();
    await page.click('[data-command="insert-image"]');
    assert.equal(await page.inputValue('#leadImageId'), String(social.id));

    await page.reload();
    assert.match((await page.textContent('[data-image-field="socialImageId"] [data-image-field-preview]')) ?? '', /social-card\.jpg/, 'drawn by the server');
    assert.deepEqual(consoleErrors, []);
    await close();
  });
});
