// Real-browser helpers for the e2e suite: the Debian Chromium (never a downloaded one), launched with
// a throwaway profile, and the build `npm start` runs (dist/main.js with its islands) listening on
// 127.0.0.1 as its own process, so browsers meet exactly what users run.
import fs from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../bench/_browser.ts';
import { buildAppOnSite, dropTestSchema, testEnv, type TestApp } from './build-test-app.ts';
import { freePort, startBuiltServer, type BuiltServer } from './built-server.ts';

// One browser path and flag list for the whole project (the same flags the Lighthouse bench uses).
export { CHROMIUM_PATH, CHROMIUM_FLAGS } from '../../bench/_browser.ts';

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser (Playwright removes its profile folder). */
  close(): Promise<void>;
}

/**
 * A fresh profile per launch, so no cache, cookies or service workers leak between runs (a warm
 * HTTP cache would hide requests from the request-count budget). Playwright refuses a
 * `--user-data-dir` argument in launch(); it always creates its own throwaway profile folder
 * (os.tmpdir()/playwright_chromiumdev_profile-*), passes it as --user-data-dir and deletes it on
 * close, which is exactly the fresh temp profile we want while keeping browser.newContext() for axe.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  return {
    browser,
    close: () => browser.close().catch(() => undefined),
  };
}

export interface TestServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  /**
   * The same site's services, built from the sources in this process over the same database and
   * data folder (no listener, no job worker): tests set up and check data through it, and the
   * server sees its writes through the change feed, as it sees another node's.
   */
  testApp: TestApp;
  /** The server process: the bundle `npm start` runs. */
  process: BuiltServer;
  close(): Promise<void>;
}

/** The built bundle, started as `npm start` starts it, on a temporary database. */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const port = String(await freePort());
  const env = testEnv({ PORT: port, SITE_URL: `http://127.0.0.1:${port}`, ...overrides });
  let server: BuiltServer | undefined;
  let testApp: TestApp | undefined;
  try {
    server = await startBuiltServer(env);
    testApp = await buildAppOnSite(env, { runJobs: false });
  } catch (error) {
    await server?.stop();
    await dropTestSchema(env);
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
    throw error;
  }
  const [running, services] = [server, testApp];
  return {
    url: running.url,
    testApp: services,
    process: running,
    async close() {
      await running.stop();
      await services.close();
    },
  };
}

/** The WCAG levels the budget holds reader pages to (DESIGN §7: axe, 0 violations). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type AxeViolation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** Runs axe on the page as it is now; the page must come from browser.newContext() (axe insists). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return result.violations;
}

/** One readable block per violation: what to fix and where, for the assertion message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}`).join('\n');
      return `  ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n${targets}`;
    })
    .join('\n');
}

/** A listening app and a Chromium, as most browser tests need them for one describe block. */
export interface ServerAndChromium {
  server: TestServer;
  chrome: LaunchedBrowser;
  close(): Promise<void>;
}

export async function startServerAndChromium(overrides: Record<string, string> = {}): Promise<ServerAndChromium> {
  const server = await startTestServer(overrides);
  try {
    const chrome = await launchChromium();
    return { server, chrome, close: async () => (await chrome.close(), await server.close()) };
  } catch (error) {
    await server.close();
    throw error;
  }
}
