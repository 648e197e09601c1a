// Real-browser helpers for the e2e suite: the Debian Chromium (never a downloaded one), launched with
// a throwaway profile, and the real app listening on 127.0.0.1 so requests go through the same
// serverFactory fast path (cached pages answered before routing) that readers hit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from './build-test-app.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium quiet and offline: no first-run UI, no updater or sync traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/**
 * A fresh profile per launch, so no cache, cookies or service workers leak between runs (a warm
 * HTTP cache would hide requests from the request-count budget).
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface TestServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  testApp: TestApp;
  close(): Promise<void>;
}

export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const testApp = await buildTestApp(overrides);
  try {
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await testApp.close();
    throw error;
  }
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no TCP address');
  return { url: `http://127.0.0.1:${address.port}`, testApp, close: () => testApp.close() };
}
