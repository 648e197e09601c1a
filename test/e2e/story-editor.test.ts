// The story editor in a real browser: an editor writes a story with a sub-heading in the Tiptap
// editor, the autosave reports "Saved", the story is published and shows on the front; the edit
// screen has 0 axe violations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { signedInSession } from '../helpers/newsroom-session.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { sampleImage } from '../../src/media/image-test-samples.ts';
import { sameOnEveryEngine } from '../helpers/build-test-app.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

describe('the story editor in Chromium', { skip: skip || sameOnEveryEngine('The editor’s screens in the browser (its saves and autosaves are checked on PostgreSQL by src/articles’ tests)'), timeout: 180_000 }, () => {
  let e2e: ServerAndChromium;
  before(async () => {
    e2e = await startServerAndChromium();
    await seedBasics(e2e.server.testApp.services);
  });
  after(() => e2e?.close());

  test('write with a sub-heading, autosave, publish, read it on the front; 0 axe violations', async () => {
    const { server } = e2e;
    const { articles } = server.testApp.services;
    // Console errors include refusals by the Content-Security-Policy (e.g. an inline style).
    const { page, consoleErrors, close } = await signedInSession(e2e.chrome.browser, server, { email: 'eve@news.test', name: 'Eve Editor', role: 'editor' });

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
    await close();
  });

  test('images: pick one from the library into the body with a caption, upload another with progress, choose a lead image', async () => {
    const { server } = e2e;
    const { articles, images } = server.testApp.services;
    const harbour = await images.upload({ bytes: await sampleImage('jpeg', 1600, 1000), filename: 'harbour.jpg' });
    await images.updateMeta(harbour.id, { alt: 'Boats in the harbour at dawn', credit: 'Ada Reporter' });
    const story = await articles.save({ headline: 'Harbour pictures', sectionSlug: 'national', status: 'draft', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Opening line.' }] }] } });

    const { page, consoleErrors, close } = await signedInSession(e2e.chrome.browser, server, { email: 'ian@news.test', name: 'Ian Imagedesk', role: 'editor' });
    await page.goto(`${server.url}/newsroom/stories/${story.id}/edit`);
    await page.click('.editor-surface p');
    await page.keyboard.press('End');
    await page.click('[data-editor-toolbar] button[data-command="image"]');
    await page.locator(`[data-image-results] button[data-pick-image="${harbour.id}"]`).click();
    assert.equal(await page.getAttribute(`[data-pick-image="${harbour.id}"]`, 'aria-pressed'), 'true');
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations with the image picker open:\n${describeViolations(violations)}`);
    await page.fill('[data-image-caption]', 'The harbour before the storm.');
    await page.click('[data-command="insert-image"]');
    await page.waitForSelector(`.editor-surface figure[data-image="${harbour.id}"] img`);
    await page.waitForFunction(() => document.querySelector('[data-editor-status]')?.textContent?.startsWith('Saved'));
    const saved = (await articles.findById(story.id))!;
    assert.deepEqual(
      saved.body.content.find((b) => b.type === 'image'),
      { type: 'image', attrs: { imageId: harbour.id, caption: 'The harbour before the storm.' } },
    );

    // Upload through the picker: progress is shown, the new image is chosen, and it becomes the lead image.
    await page.click('[data-pick-lead]');
    await page.setInputFiles('[data-image-upload]', { name: 'quay.png', mimeType: 'image/png', buffer: await sampleImage('png', 1200, 800) });
    await page.waitForFunction(() => /Uploaded “quay.png”/.test(document.querySelector('[data-image-message]')?.textContent ?? ''), undefined, { timeout: 60_000 });
    const uploaded = (await images.list({ search: 'quay.png' })).images[0]!;
    assert.equal(await page.getAttribute(`[data-pick-image="${uploaded.id}"]`, 'aria-pressed'), 'true');
    await page.click('[data-command="insert-image"]');
    assert.equal(await page.inputValue('#leadImageId'), String(uploaded.id));
    assert.match((await page.textContent('[data-lead-preview]')) ?? '', /quay\.png · needs alt text/);
    // The autosave picks the change up (the status line already said "Saved" from before, so ask the store).
    for (let i = 0; i < 100 && (await articles.findById(story.id))!.leadImage?.imageId !== uploaded.id; i++) await page.waitForTimeout(100);
    assert.equal((await articles.findById(story.id))!.leadImage?.imageId, uploaded.id);

    // The preview shows the body image as readers will see it.
    await page.goto(`${server.url}/newsroom/stories/${story.id}/preview`);
    assert.equal(await page.getAttribute('figure.body-image img', 'alt'), 'Boats in the harbour at dawn');
    assert.match((await page.textContent('figure.body-image figcaption')) ?? '', /The harbour before the storm\./);
    assert.deepEqual(consoleErrors, []);
    await close();
  });

  test('a picture chosen while a search is still loading stays chosen when the answer arrives', async () => {
    const { server } = e2e;
    const { articles, images } = server.testApp.services;
    const pier = await images.upload({ bytes: await sampleImage('jpeg', 800, 500), filename: 'north-pier.jpg' });
    await images.updateMeta(pier.id, { alt: 'The north pier at low tide' });
    const story = await articles.save({ headline: 'Pier pictures', sectionSlug: 'national', status: 'draft', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Opening line.' }] }] } });

    const { page, consoleErrors, close } = await signedInSession(e2e.chrome.browser, server, { email: 'sam@news.test', name: 'Sam Slowlink', role: 'editor' });
    await page.goto(`${server.url}/newsroom/stories/${story.id}/edit`);
    await page.click('.editor-surface p');
    await page.click('[data-editor-toolbar] button[data-command="image"]');
    const choice = page.locator(`[data-image-results] button[data-pick-image="${pier.id}"]`);
    await choice.waitFor();
    await page.waitForSelector('[data-image-results]:not([aria-busy])');

    // A slow network: the search's answer is held back until the editor has clicked in the old list.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/newsroom\/media\/images\.json\?q=/, async (route) => {
      await held;
      await route.continue();
    });
    await page.fill('[data-image-search]', 'pier');
    assert.equal(await page.getAttribute('[data-image-results]', 'aria-busy'), 'true', 'the list says it no longer answers the query');
    await choice.click();
    release();
    await page.waitForSelector('[data-image-results]:not([aria-busy])');
    assert.equal(await choice.getAttribute('aria-pressed'), 'true', 'the new list still shows the choice');
    await page.click('[data-command="insert-image"]');
    await page.waitForSelector(`.editor-surface figure[data-image="${pier.id}"] img`);
    assert.deepEqual(consoleErrors, []);
    await close();
  });

  test('video blocks: a clip chosen from the library keeps its reference; a new title makes a block without one', async () => {
    const { server } = e2e;
    const { articles, videos } = server.testApp.services;
    const clip = await videos.ensureReference('Seals return to the north pier', 'Filmed at low tide.');
    await videos.ensureReference('Ferry leaves in the fog', '');
    const story = await articles.save({ headline: 'Seal colony video', sectionSlug: 'national', status: 'draft', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Opening line.' }] }] } });
    const { page, consoleErrors, close } = await signedInSession(e2e.chrome.browser, server, { email: 'vic@news.test', name: 'Vic Video', role: 'editor' });
    await page.goto(`${server.url}/newsroom/stories/${story.id}/edit`);
    await page.click('.editor-surface p');
    await page.keyboard.press('End');
    await page.click('[data-editor-toolbar] button[data-command="video"]');
    await page.fill('[data-video-search]', 'seals');
    await page.waitForSelector('[data-video-results]:not([aria-busy])');
    const choice = page.locator('[data-video-results] button', { hasText: 'Seals return to the north pier' });
    await choice.click();
    assert.equal(await choice.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.inputValue('#video-caption'), 'Filmed at low tide.');
    assert.match((await page.textContent('[data-video-message]')) ?? '', /has no media yet/);
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations with the video picker open:\n${describeViolations(violations)}`);
    await page.click('[data-command="insert-video"]');
    await page.waitForSelector('.editor-surface figure[data-video]');

    await page.click('[data-editor-toolbar] button[data-command="video"]');
    await page.fill('#video-title', 'Harbour master interview');
    await page.click('[data-command="insert-video"]');
    for (let i = 0; i < 100; i++) {
      const body = (await articles.findById(story.id))!.body.content;
      if (body.filter((b) => b.type === 'video').length === 2) break;
      await page.waitForTimeout(100);
    }
    const blocks = (await articles.findById(story.id))!.body.content.filter((b) => b.type === 'video');
    assert.deepEqual(blocks.map((b) => b.attrs), [
      { videoId: clip, title: 'Seals return to the north pier', caption: 'Filmed at low tide.' },
      { videoId: null, title: 'Harbour master interview', caption: '' },
    ]);
    assert.deepEqual(consoleErrors, []);
    await close();
  });
});
