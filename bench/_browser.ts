// Shared by browser benchmarks (and the e2e helpers): the Debian Chromium with one set of quiet,
// offline flags, and a bench site on 127.0.0.1 holding the demo content plus the seed story.
// Starts with "_" so bench/run.ts does not list it as a benchmark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import { chromium } from 'playwright-core';
import { buildApp, type BulletinApp } from '../src/app.ts';
import { seedDemo } from '../src/demo/seed-demo.ts';
import { CaptureImporter } from '../src/importers/capture-import.ts';
import { loadConfig } from '../src/platform/config.ts';

/** The system browser. Never a downloaded one: this machine is offline and Debian patches it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** No first-run UI, no updater, sync or background traffic: all requests go to our server. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** chrome-launcher creates (and removes on kill) a fresh temporary profile for each launch. */
export async function launchChrome(): Promise<chromeLauncher.LaunchedChrome> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`);
  return chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_FLAGS, logLevel: 'silent' });
}

/**
 * chrome-launcher's kill() is a SIGKILL to the process group, which leaves Chromium's
 * /tmp/org.chromium.Chromium.* singleton folder behind (SIGTERM does too). Ask Chromium to quit
 * over CDP (Browser.close) and wait up to 5 s for it, then kill() to be sure and to remove the
 * profile folder.
 */
export async function closeChrome(chrome: chromeLauncher.LaunchedChrome): Promise<void> {
  const child = chrome.process;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`, { timeout: 5_000 });
      const session = await browser.newBrowserCDPSession();
      await session.send('Browser.close').catch(() => undefined); // the connection drops as it quits
    } catch {
      // Could not ask nicely; kill() below still stops it.
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  }
  chrome.kill();
}

export interface BenchSite {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Site-relative path of the seed story. */
  seedPath: string;
  bulletin: BulletinApp;
  close(): Promise<void>;
}

const SEED_CAPTURE = new URL('../test/fixtures/captures/seed.txt', import.meta.url);

/**
 * The real app on a temporary SQLite database: the demo site (so fronts and house ads look like a
 * working newsroom) plus the seed story imported through the importer the CLI uses.
 */
export async function startBenchSite(): Promise<BenchSite> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-'));
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      SITE_NAME: 'Technical News',
      // The port is only known after listen(); canonical links on the same host (any port) keep
      // audits such as Lighthouse's "canonical" judging the page as it would be in production.
      SITE_URL: 'http://127.0.0.1',
      DEMO_CONTENT: 'off',
      LOG_LEVEL: 'silent',
    },
    dataDir,
  );
  let bulletin: BulletinApp | undefined;
  try {
    // Nothing else writes to this database, so no change polling (and no timer to keep us alive).
    bulletin = await buildApp(config, { watchChanges: false });
    const { services } = bulletin;
    await seedDemo(services);
    const importer = new CaptureImporter({ articles: services.articles, videos: services.videos });
    const seed = await importer.importText(fs.readFileSync(SEED_CAPTURE, 'utf8'), { fileName: 'seed.txt', publish: true });
    await bulletin.app.listen({ host: '127.0.0.1', port: 0 });
    const address = bulletin.app.server.address();
    if (!address || typeof address === 'string') throw new Error('the bench server has no TCP address');
    const running = bulletin;
    return {
      url: `http://127.0.0.1:${address.port}`,
      seedPath: seed.url,
      bulletin: running,
      async close() {
        await running.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await bulletin?.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
