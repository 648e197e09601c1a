// Video in a real browser, on the built bundle: an editor uploads a clip in the media library with
// progress (resumably: a broken connection is taken up again), the server's job converts it, the editor inserts it with the story editor's picker and
// the story is published; on the story page no player code loads before the click, and clicking
// "Click to play video: '…'" plays it (currentTime advances) with the captions listed; 0 axe violations.
// Debian's Chromium decodes H.264 and AAC (through Media Source Extensions too), so the HLS
// ladder itself is what plays here, through hls.js.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storyInput } from '../../src/articles/story-input.ts';
import { hasFfmpeg, makeClip } from '../../src/media/video/video-test-clips.ts';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { signedInSession } from '../helpers/newsroom-session.ts';

const skip = !hasChromium() ? 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped' : !hasFfmpeg() ? 'ffmpeg is not installed: video e2e skipped' : false;

describe('video in Chromium', { skip, timeout: 240_000 }, () => {
  let e2e: ServerAndChromium;

  before(async () => {
    e2e = await startServerAndChromium();
    await seedBasics(e2e.server.testApp.services);
  });
  after(() => e2e?.close());

  test('upload → ready → insert with the picker → publish → click plays; no player script before the click', async () => {
    const { server } = e2e;
    const { articles, videos } = server.testApp.services;
    const { page, consoleErrors, close } = await signedInSession(e2e.chrome.browser, server, { email: 'vera@news.test', name: 'Vera Video', role: 'editor' });

    // Upload in the library's Videos tab, with progress, resumably (tus): the first piece's
    // connection is cut, and the upload asks how far it got and goes on.
    const resumable: string[] = [];
    await page.route('**/newsroom/media/videos/uploads**', async (route) => {
      const method = route.request().method();
      resumable.push(method);
      if (method === 'PATCH' && resumable.filter((m) => m === 'PATCH').length === 1) return route.abort('connectionreset');
      return route.continue();
    });
    await page.goto(`${server.url}/newsroom/media/videos`);
    await page.fill('#title', 'Gulls over the breakwater');
    await page.setInputFiles('#file', { name: 'gulls.mp4', mimeType: 'video/mp4', buffer: makeClip({ width: 640, height: 360, seconds: 4 }) });
    await page.click('form[data-video-upload] button[type=submit]');
    await page.waitForFunction(() => /Uploaded “Gulls over the breakwater”/.test(document.querySelector('[data-upload-status]')?.textContent ?? ''));
    assert.deepEqual(resumable, ['POST', 'PATCH', 'HEAD', 'PATCH']);
    await page.unroute('**/newsroom/media/videos/uploads**');
    const listed = page.locator('[data-video-list] li').first();
    assert.equal(await listed.locator('a.media-name').textContent(), 'Gulls over the breakwater');
    // The server's own job converts it; the list follows the state.
    await page.waitForFunction(() => document.querySelector('[data-video-list] li .video-state')?.textContent === 'Ready', null, { timeout: 120_000 });
    const clip = (await videos.browse({ limit: 1, search: 'Gulls' })).videos[0]!;
    assert.equal(clip.status, 'ready');
    await videos.putCaption(clip.id, { lang: 'en', label: 'English', bytes: Buffer.from('WEBVTT\n\n00:00.000 --> 00:03.500\nGulls wheel over the breakwater.\n') });
    const libraryViolations = await axeViolations(page);
    assert.equal(libraryViolations.length, 0, describeViolations(libraryViolations));

    // Insert it with the editor's picker.
    const draft = await articles.save({ headline: 'Gulls return', sectionSlug: 'national', status: 'draft', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Opening line.' }] }] } });
    await page.goto(`${server.url}/newsroom/stories/${draft.id}/edit`);
    await page.click('.editor-surface p');
    await page.keyboard.press('End');
    await page.click('[data-editor-toolbar] button[data-command="video"]');
    await page.fill('[data-video-search]', 'gulls');
    await page.waitForSelector('[data-video-results]:not([aria-busy])');
    await page.locator('[data-video-results] button', { hasText: 'Gulls over the breakwater' }).click();
    await page.click('[data-command="insert-video"]');
    await page.waitForSelector('.editor-surface figure[data-video]');
    let saved = await articles.findById(draft.id);
    for (let i = 0; i < 100 && !saved!.body.content.some((b) => b.type === 'video'); i++) {
      await page.waitForTimeout(100);
      saved = await articles.findById(draft.id);
    }
    assert.deepEqual(saved!.body.content.filter((b) => b.type === 'video').map((b) => b.attrs.videoId), [clip.id]);
    // The one connection the test cut is the only error the browser logged.
    assert.deepEqual(consoleErrors.filter((e) => !/ERR_CONNECTION_RESET/.test(e)), []);
    assert.equal(consoleErrors.length, 1, consoleErrors.join('\n'));
    await close();

    // Publish, then read it as a reader.
    const story = await articles.save({ ...storyInput(saved!), status: 'published' }, { id: saved!.id, expectedVersion: saved!.version });
    const reader = await e2e.chrome.browser.newContext();
    const readerPage = await reader.newPage();
    const requests: string[] = [];
    readerPage.on('request', (request) => requests.push(new URL(request.url()).pathname));
    const errors: string[] = [];
    readerPage.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await readerPage.goto(`${server.url}/national/${story.slug}`);
    await readerPage.waitForLoadState('networkidle');
    const button = readerPage.getByRole('button', { name: "Click to play video: 'Gulls over the breakwater'" });
    assert.equal(await button.count(), 1);
    assert.ok(requests.some((p) => /^\/assets\/video-facade-/.test(p)), requests.join('\n'));
    assert.ok(!requests.some((p) => /video-player-|\.m3u8$|\.ts$|\.mp4$/.test(p)), `no player code or media before the click:\n${requests.join('\n')}`);
    const storyViolations = await axeViolations(readerPage);
    assert.equal(storyViolations.length, 0, describeViolations(storyViolations));

    await button.click();
    try {
      await readerPage.waitForFunction(() => ((document.querySelector('video.video-player') as HTMLVideoElement | null)?.currentTime ?? 0) > 0.5, null, { timeout: 30_000 });
    } catch (error) {
      const state = await readerPage.evaluate(() => {
        const v = document.querySelector('video.video-player') as HTMLVideoElement | null;
        return v && { src: v.currentSrc, paused: v.paused, readyState: v.readyState, networkState: v.networkState, error: v.error?.message, time: v.currentTime };
      });
      throw new Error(`the clip did not play: ${JSON.stringify(state)}\nconsole: ${errors.join('\n')}\nrequests:\n${requests.join('\n')}`, { cause: error });
    }
    assert.equal(await readerPage.evaluate(() => document.activeElement?.tagName), 'VIDEO', 'focus moves to the player');
    assert.ok(requests.some((p) => /^\/assets\/video-player-/.test(p)), 'the player chunk loads on the click');
    assert.ok(requests.some((p) => /master\.m3u8$/.test(p)) && requests.some((p) => /\/r\d+\/seg-\d+\.ts$/.test(p)), `HLS played:\n${requests.join('\n')}`);
    const tracks = await readerPage.evaluate(() => [...(document.querySelector('video.video-player') as HTMLVideoElement).querySelectorAll('track')].map((t) => `${t.kind}:${t.srclang}`));
    assert.deepEqual(tracks, ['captions:en']);
    assert.deepEqual(errors, []);
    await reader.close();
  });
});
