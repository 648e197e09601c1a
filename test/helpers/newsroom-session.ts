// Newsroom people in a real browser: each person has a browser context of their own (their own
// cookies, as on their own computer), gets in through the real forms — a one-time link to choose a
// password, then sign-in — and writes stories in the Tiptap editor. Console errors (CSP refusals
// included) and uncaught page errors are collected for the journey to assert on.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/accounts/http.ts';
import type { Role } from '../../src/newsroom/permissions.ts';
import type { AccountService } from '../../src/accounts/account-service.ts';

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** "<page address>: <message>" for every console error and uncaught exception so far. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** A fresh context (no cookies) with one page, collecting console errors. */
export async function browserSession(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<BrowserSession> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  return { context, page, consoleErrors, close: () => context.close() };
}

/** Signs in through the sign-in form and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/newsroom/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${baseUrl}/newsroom`), page.click('main button[type=submit]')]);
}

/** Opens a one-time invitation or reset link and chooses a password; ends on the sign-in page. */
export async function choosePassword(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await page.fill('#password', password);
  await page.fill('#confirm', password);
  await Promise.all([page.waitForURL(/\/newsroom\/sign-in\?done=password$/), page.click('main button[type=submit]')]);
}

/**
 * A link the app printed names the site's public address (SITE_URL); a test server listens on
 * another one. The same path and token, on the server under test.
 */
export function onServer(baseUrl: string, link: string): string {
  const { pathname, search } = new URL(link);
  return baseUrl + pathname + search;
}

/** Opens a newsroom screen through the navigation, as a person would (from any newsroom page). */
export async function openScreen(page: Page, baseUrl: string, label: string, path: string): Promise<void> {
  await Promise.all([page.waitForURL(baseUrl + path), page.locator('nav[aria-label=Newsroom]').getByRole('link', { name: label, exact: true }).click()]);
}

/** Adds a section on the Sections screen; returns the screen's notice. */
export async function addSection(page: Page, baseUrl: string, section: { name: string; description?: string }): Promise<string> {
  await openScreen(page, baseUrl, 'Sections', '/newsroom/sections');
  await page.fill('#name', section.name);
  if (section.description) await page.fill('#description', section.description);
  await page.click('main button:has-text("Add section")');
  await page.waitForSelector('main .notice');
  return (await page.textContent('main .notice')) ?? '';
}

/** Creates an author profile on the Authors screens; returns the list's notice. */
export async function addAuthorProfile(page: Page, baseUrl: string, author: { name: string; bio?: string }): Promise<string> {
  await openScreen(page, baseUrl, 'Authors', '/newsroom/authors');
  await Promise.all([page.waitForURL(`${baseUrl}/newsroom/authors/new`), page.click('main a:has-text("New author profile")')]);
  await page.fill('#name', author.name);
  if (author.bio) await page.fill('#bio', author.bio);
  await Promise.all([page.waitForURL(/\/newsroom\/authors\?saved=\d+$/), page.click('main button:has-text("Create author")')]);
  return (await page.textContent('main .notice')) ?? '';
}

export type StoryBlock = { paragraph: string } | { heading: string };

export interface NewStory {
  headline: string;
  /** The section's name as the form lists it; the form's first section when left out. */
  section?: string;
  /** Author profiles to tick as bylines, by name. */
  bylines?: string[];
  blocks: StoryBlock[];
}

/**
 * Starts a story from "New story", writes its body in the editor (sub-headings with the toolbar's
 * "Heading" button) and waits for the autosave to report "Saved". Leaves the page on the edit
 * screen and returns the story's id and public path.
 */
export async function writeStory(page: Page, baseUrl: string, story: NewStory): Promise<{ id: number; path: string }> {
  await page.goto(`${baseUrl}/newsroom/stories`);
  await page.click('main a:has-text("New story")');
  await page.waitForURL(`${baseUrl}/newsroom/stories/new`);
  await page.fill('#headline', story.headline);
  if (story.section) await page.selectOption('#section', { label: story.section });
  for (const name of story.bylines ?? []) await page.getByLabel(name, { exact: true }).check();
  await Promise.all([page.waitForURL(/\/newsroom\/stories\/\d+\/edit$/), page.click('button:has-text("Create draft")')]);
  const id = Number(/stories\/(\d+)\/edit/.exec(page.url())![1]);

  await page.click('.editor-surface');
  for (const [i, block] of story.blocks.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    if ('heading' in block) {
      await page.keyboard.type(block.heading);
      const button = page.locator('[data-editor-toolbar]').getByRole('button', { name: 'Heading', exact: true });
      await button.click();
      // The command hands focus back to the editor on the next frame; a key pressed before that
      // would go to the button (Enter would press it again).
      await page.waitForFunction(() => document.activeElement?.classList.contains('editor-surface'));
      if ((await button.getAttribute('aria-pressed')) !== 'true') throw new Error(`"Heading" did not turn "${block.heading}" into a sub-heading`);
    } else {
      await page.keyboard.type(block.paragraph);
    }
  }
  await waitForSaved(page);
  const path = `/${await page.inputValue('#section')}/${await page.inputValue('#slug')}`;
  return { id, path };
}

/** Waits until the editor's status line says the autosave has saved everything typed so far. */
export async function waitForSaved(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-editor-status]')?.textContent?.startsWith('Saved'), undefined, { timeout: 30_000 });
}

/**
 * A staff member already signed in (added as `bulletin user add` adds one, with a session cookie
 * in a context of their own): for tests about a screen rather than about getting in.
 */
export async function signedInSession(
  browser: Browser,
  server: { url: string; testApp: { services: { accounts: AccountService } } },
  person: { email: string; name: string; role: Role },
  viewport = { width: 1280, height: 800 },
): Promise<BrowserSession & { userId: number }> {
  const { accounts } = server.testApp.services;
  const { id } = await accounts.addUser('cli', person);
  const session = await browserSession(browser, viewport);
  await session.context.addCookies([{ name: SESSION_COOKIE, value: await accounts.sessionFor(id), url: `${server.url}/newsroom` }]);
  return { ...session, userId: id };
}
