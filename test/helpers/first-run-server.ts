// A brand-new site started the way `npm start` starts one: src/main.ts's start() (buildApp with its
// change watcher and job worker, then listen), on an empty temporary database without demo
// content. The one-time setup link is read from what start() prints, as an operator would read it
// from the terminal; nothing is written to the database behind the server's back.
import fs from 'node:fs';
import net from 'node:net';
import { start } from '../../src/main.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { dropTestSchema, testEnv } from './build-test-app.ts';

export interface FirstRunServer {
  /** Base URL without a trailing slash; also the site's SITE_URL, so printed links open as they are. */
  url: string;
  /** The one-time link start() printed for creating the first administrator. */
  setupLink: string;
  close(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it), so SITE_URL can name it before start. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const SETUP_LINK = /(https?:\/\/\S+\/newsroom\/setup\?token=\S+)/;

export async function startFirstRunServer(overrides: Record<string, string> = {}): Promise<FirstRunServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = testEnv({ HOST: '127.0.0.1', PORT: String(port), SITE_URL: url, DEMO_CONTENT: 'off', ...overrides });
  // The production polling interval, not the quicker one other tests use.
  delete env.CHANGE_POLL_MS;
  const cleanUp = async () => {
    await dropTestSchema(env);
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
  };

  // start() writes the setup notice straight to stdout; keep that one message, pass anything else on
  // (the test runner reports through the same stream).
  let printed = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (SETUP_LINK.test(text)) {
      printed += text;
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  let stop: () => Promise<void>;
  try {
    stop = await start(loadConfig(env, env.DATA_DIR));
  } catch (error) {
    await cleanUp();
    throw error;
  } finally {
    process.stdout.write = write;
  }
  const setupLink = SETUP_LINK.exec(printed)?.[1];
  if (!setupLink) {
    await stop();
    await cleanUp();
    throw new Error(`start() printed no setup link for an empty site (printed: ${JSON.stringify(printed)})`);
  }
  return {
    url,
    setupLink,
    async close() {
      await stop();
      await cleanUp();
    },
  };
}
