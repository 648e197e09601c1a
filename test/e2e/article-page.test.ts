// The seed story, imported through the real `bulletin import` command and read in a real Chromium
// over a real socket: every part in reading order, no furniture that later issues will bring,
// Back to top by mouse and keyboard, axe on desktop and mobile, and the request budget. Then axe on
// the other reader pages of the demo site (front, section, author, a demo story, 404).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { demoReaderPages, type ReaderPage } from './_reader-pages.ts';
import { axeViolations, describeViolations, hasChromium, launchChromium, startTestServer, type LaunchedBrowser, type TestServer } from '../helpers/browser.ts';
import { sameOnEveryEngine } from '../helpers/build-test-app.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = 'test/fixtures/captures/seed.txt';
const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

const HEADLINE = 'Trump talks with Putin as he considers selling long-range missiles to Ukraine';
const CREDIT = 'AP writers Fatima Hussein, Chris Megerian and Didi Tang contributed to this report.';
const SUBHEADINGS = ['Trump evaluates Tomahawks for Ukraine', 'Signs of White House interest in new sanctions against Russia'];
const VIDEO_TITLES = [
  'Trump suggests he will supply Tomahawk missiles to Ukraine if Russia does not end the war',
  'Large parts of kyiv plunged into darkness after Russian attack as Ukraine hits back against oil and gas sector',
  'Are Russia and Ukraine trying to make the coming winter colder by attacking infrastructure?',
  'Putin will ‘abandon’ Ukraine war if oil prices fall, Trump says: ‘He won’t have a choice’',
];
// Text on the captured page that belongs to features of later issues (alerts, related) or is drawn by
// a feature of its own (the comment form under the story): none of it may come in with the body.
const FURNITURE = ['Leave a Reply', 'Related Articles', 'sign up to receive breaking news alerts', 'Get the latest national news'];
/** Furniture the page now draws itself, outside the story: its comment form. */
const DRAWN_BY_FEATURES = ['Leave a Reply'];
/** Furniture drawn inside the story by its feature's own rule (the alerts box), once. */
const PLACED_IN_STORY = ['sign up to receive breaking news alerts', 'Get the latest national news'];

/** Runs the real CLI against the test app's database, as an editor would on the server. */
async function importSeed(env: Record<string, string>): Promise<{ url: string; headline: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_TEST_CONTEXT; // the child is a CLI run, not a test file reporting to us
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/bulletin.js', 'import', SEED, '--publish', '--json'], {
    cwd: ROOT,
    env: childEnv,
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { url: string; headline: string };
}

describe('seed article page in Chromium', { skip, timeout: 180_000 }, () => {
  let server: TestServer;
  let chrome: LaunchedBrowser;
  let articleUrl: string;
  const contexts: BrowserContext[] = [];

  async function open(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await chrome.browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    return page;
  }

  before(async () => {
    server = await startTestServer({ SITE_NAME: 'Technical News' });
    // House creatives fill the ad slots (with none, ArticlePage renders no slots at all).
    for (const n of [1, 2, 3]) {
      await server.testApp.services.ads.create({ name: `House ${n}`, headline: `Subscribe to Technical News ${n}`, body: 'Independent reporting, every day.', linkUrl: '/', sponsor: 'Technical News' });
    }
    const imported = await importSeed(server.testApp.env);
    assert.equal(imported.headline, HEADLINE);
    articleUrl = server.url + imported.url;
    chrome = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await chrome?.close();
    await server?.close();
  });

  test('first load stays within the budget: ≤ 5 requests, none failing, no console errors', async () => {
    const page = await open();
    const requests: string[] = [];
    const failures: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failures.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && failures.push(`${r.url()}: HTTP ${r.status()}`));
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    const response = await page.goto(articleUrl, { waitUntil: 'networkidle' });
    assert.equal(response?.status(), 200);
    assert.ok(requests.length <= 5, `${requests.length} requests:\n${requests.join('\n')}`);
    assert.deepEqual(failures, []);
    assert.deepEqual(consoleErrors, []);
  });

  test('a repeat visit is answered by the page cache fast path', async () => {
    await (await open()).goto(articleUrl); // renders and stores the page, if no earlier test did
    // A fresh context has an empty HTTP cache: a full GET, not a revalidation (304).
    const response = await (await open()).goto(articleUrl);
    assert.equal(response?.status(), 200);
    assert.equal(response?.headers()['x-cache'], 'HIT');
  });

  test('the skip link is the first Tab stop, shows on focus and moves focus to the content', async () => {
    const page = await open();
    await page.goto(articleUrl);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    assert.ok(await skip.evaluate((el) => el === document.activeElement), 'first Tab stop');
    const box = await skip.boundingBox();
    assert.ok(box && box.y >= 0 && box.height > 0, 'visible in the viewport while focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  });

  test('every part of the story is there, in reading order', async () => {
    const page = await open();
    await page.goto(articleUrl);
    const story = page.locator('main article');
    const parts = {
      skipLink: page.getByRole('link', { name: 'Skip to content' }),
      siteName: page.getByRole('banner').getByRole('link', { name: 'Technical News', exact: true }),
      sectionNav: page.getByRole('navigation', { name: 'Sections' }),
      sectionLabel: story.locator('header').getByRole('link', { name: 'National', exact: true }),
      headline: page.getByRole('heading', { level: 1 }),
      byline: story.locator('.byline'),
      published: story.locator('time[datetime]').first(),
      body: story.locator('.story-body'),
      credit: story.locator('.story-body > :last-child'),
      backToTop: page.getByRole('link', { name: 'Back to top', exact: true }),
    };
    for (const [name, locator] of Object.entries(parts)) assert.equal(await locator.count(), 1, `${name} appears once`);

    assert.equal(await parts.skipLink.getAttribute('href'), '#main');
    assert.equal(await page.locator('#main').count(), 1, 'the skip link has a target');
    assert.ok(await parts.sectionNav.getByRole('link', { name: 'National', exact: true }).isVisible());
    assert.equal((await parts.headline.innerText()).trim(), HEADLINE);
    assert.match((await parts.byline.innerText()).trim(), /^By \S/);
    for (const time of await story.locator('time').all()) {
      const datetime = await time.getAttribute('datetime');
      assert.ok(datetime && !Number.isNaN(Date.parse(datetime)), `<time> has a machine-readable datetime (${datetime})`);
    }
    assert.deepEqual(await parts.body.locator(':scope > h2').allInnerTexts(), SUBHEADINGS);
    assert.equal((await parts.credit.innerText()).trim(), CREDIT);

    // Reading order is document order: each part follows the one before it.
    const handles = await Promise.all(Object.values(parts).map((l) => l.elementHandle()));
    const inOrder = await page.evaluate(
      (els) => els.slice(1).map((el, i) => Boolean(els[i]!.compareDocumentPosition(el!) & Node.DOCUMENT_POSITION_FOLLOWING)),
      handles,
    );
    const names = Object.keys(parts);
    inOrder.forEach((ok, i) => assert.ok(ok, `${names[i + 1]} comes after ${names[i]}`));
  });

  test('the alerts box sits mid-story between two paragraphs, never beside an ad slot', async () => {
    const page = await open();
    await page.goto(articleUrl);
    const box = page.locator('.story-body > aside.alerts-box');
    assert.equal(await box.count(), 1);
    const facts = await box.evaluate((el) => {
      const blocks = [...el.parentElement!.children];
      return {
        at: blocks.indexOf(el) / blocks.length,
        neighbours: [el.previousElementSibling, el.nextElementSibling].map((n) => (n ? n.tagName.toLowerCase() : 'none')),
      };
    });
    assert.deepEqual(facts.neighbours, ['p', 'p'], 'a paragraph on each side (no ad slot, heading or video)');
    assert.ok(facts.at > 0.25 && facts.at < 0.75, `mid-story (at ${Math.round(facts.at * 100)} % of the body)`);
  });

  test('ad slots are labelled, keep their space, and sit only between paragraphs', async () => {
    const page = await open();
    await page.goto(articleUrl);
    const slots = page.locator('.story-body > *', { hasText: 'Story continues below advertisement' });
    const facts = await slots.evaluateAll((els) =>
      els.map((el) => ({
        height: el.getBoundingClientRect().height,
        neighbours: [el.previousElementSibling, el.nextElementSibling].map((n) => (n ? `${n.tagName.toLowerCase()}.${n.className}` : 'none')),
      })),
    );
    assert.ok(facts.length >= 3, `found ${facts.length} ad slots`);
    for (const slot of facts) {
      assert.ok(slot.height > 0, 'the slot reserves height');
      for (const n of slot.neighbours) assert.doesNotMatch(n, /^(h[1-6]|figure)/, `ad slot next to ${n}`);
    }
  });

  test('the four videos show their titles, and no later-issue furniture appears', async () => {
    const page = await open();
    await page.goto(articleUrl);
    const videos = page.locator('.story-body figure');
    assert.equal(await videos.count(), 4);
    for (const [i, title] of VIDEO_TITLES.entries()) {
      assert.ok((await videos.nth(i).innerText()).includes(title), `video ${i + 1} shows "${title}"`);
    }
    // textContent, not innerText: hidden furniture (e.g. a collapsed comment form) counts too.
    const text = (await page.evaluate(() => document.body.textContent ?? '')).toLowerCase();
    const story = (await page.evaluate(() => document.querySelector('article.story')?.textContent ?? '')).toLowerCase();
    for (const phrase of FURNITURE) {
      if (PLACED_IN_STORY.includes(phrase)) assert.equal(story.split(phrase.toLowerCase()).length - 1, 1, `"${phrase}" once, in the story`);
      else if (DRAWN_BY_FEATURES.includes(phrase)) assert.ok(!story.includes(phrase.toLowerCase()), `"${phrase}" must not be in the story`);
      else assert.ok(!text.includes(phrase.toLowerCase()), `"${phrase}" must not be on the page`);
    }
    // The comment form is the feature's own: once, after the story.
    assert.equal(text.split('leave a reply').length - 1, 1);
  });

  test('JSON-LD describes a NewsArticle in National', async () => {
    const page = await open();
    await page.goto(articleUrl);
    const scripts = await page.locator('script[type="application/ld+json"]').allTextContents();
    const data = scripts.map((s) => JSON.parse(s) as Record<string, unknown>).find((d) => d['@type'] === 'NewsArticle');
    assert.ok(data, 'a NewsArticle block is present');
    assert.equal(data.headline, HEADLINE);
    assert.equal(data.articleSection, 'National');
  });

  test('Back to top returns to the top by mouse and by keyboard', async () => {
    const page = await open();
    await page.goto(articleUrl);
    const toBottom = () => page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' }));
    // html has scroll-behavior:smooth, so the jump back is animated: poll, with a bound.
    const backAtTop = async (how: string) => {
      try {
        await page.waitForFunction(() => window.scrollY < 2, null, { timeout: 5_000, polling: 50 });
      } catch {
        const state = await page.evaluate(() => ({ scrollY: window.scrollY, hash: location.hash, focus: document.activeElement?.outerHTML.slice(0, 80) }));
        assert.fail(`${how}: not back at the top after 5 s: ${JSON.stringify(state)}`);
      }
    };

    await toBottom();
    assert.ok((await page.evaluate(() => window.scrollY)) > 500, 'the page scrolled down');
    await page.getByRole('link', { name: 'Back to top', exact: true }).click();
    await backAtTop('mouse');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    // Keyboard, as a reader would: Tab until the control has focus (it must be in the tab order);
    // focusing it scrolls it into view, smoothly, so let that settle before pressing Enter (a second
    // scroll started mid-animation would race it).
    const back = page.getByRole('link', { name: 'Back to top', exact: true });
    let focused = false;
    for (let i = 0; i < 200 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await back.evaluate((el) => el === document.activeElement);
    }
    assert.ok(focused, 'Back to top is reachable with Tab');
    const tag = await back.evaluate((el) => el.tagName);
    assert.ok(tag === 'A' || tag === 'BUTTON', `a real link or button (${tag})`);
    await page.waitForFunction(
      () => {
        const w = window as unknown as { lastY?: number };
        const settled = w.lastY === window.scrollY;
        w.lastY = window.scrollY;
        return settled;
      },
      null,
      { timeout: 5_000, polling: 200 },
    );
    assert.ok((await page.evaluate(() => window.scrollY)) > 500, 'focusing the control scrolled down to it');
    await page.keyboard.press('Enter');
    await backAtTop('keyboard');
  });

  for (const viewport of [{ width: 1280, height: 900 }, { width: 412, height: 823 }]) {
    test(`axe: 0 violations at ${viewport.width}×${viewport.height}`, async () => {
      const page = await open(viewport);
      await page.goto(articleUrl);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `axe violations:\n${describeViolations(violations)}`);
    });
  }
});

// The demo site is seeded by `start()` in src/main.ts, which buildTestApp does not call: seed it here.
describe('demo site reader pages pass axe in Chromium', { skip: skip || sameOnEveryEngine('Reader pages’ markup'), timeout: 180_000 }, () => {
  let server: TestServer;
  let chrome: LaunchedBrowser;
  let pages: ReaderPage[] = [];

  before(async () => {
    server = await startTestServer({ SITE_NAME: 'Technical News' });
    await seedDemo(server.testApp.services);
    pages = await demoReaderPages(server.testApp.services);
    chrome = await launchChromium();
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
  });

  test('front, section, author, demo story and 404: 0 axe violations each', async () => {
    const failures: string[] = [];
    for (const { name, path, status } of pages) {
      const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        const response = await page.goto(server.url + path);
        assert.equal(response?.status(), status, `${name} (${path}) answers ${status}`);
        const violations = await axeViolations(page);
        if (violations.length) failures.push(`${name} (${path}):\n${describeViolations(violations)}`);
      } finally {
        await context.close();
      }
    }
    assert.equal(failures.length, 0, `axe violations:\n${failures.join('\n')}`);
  });
});
