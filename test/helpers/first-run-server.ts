// A brand-new site started the way `npm start` starts one: the built bundle (dist/main.js with its
// islands) as a process of its own, with its change watcher and job worker, on an empty temporary
// database without demo content. The one-time setup link is read from what the process prints, as
// an operator would read it from the terminal; nothing is written to the database behind its back.
import fs from 'node:fs';
import { dropTestSchema, testEnv } from './build-test-app.ts';
import { freePort, startBuiltServer, type BuiltServer } from './built-server.ts';

export interface FirstRunServer {
  /** Base URL without a trailing slash; also the site's SITE_URL, so printed links open as they are. */
  url: string;
  /** The one-time link the server printed for creating the first administrator. */
  setupLink: string;
  /** The server process. */
  process: BuiltServer;
  close(): Promise<void>;
}

const SETUP_LINK = /(https?:\/\/\S+\/newsroom\/setup\?token=\S+)/;

export async function startFirstRunServer(overrides: Record<string, string> = {}): Promise<FirstRunServer> {
  const port = String(await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env = testEnv({ PORT: port, SITE_URL: url, DEMO_CONTENT: 'off', ...overrides });
  // The production polling interval, not the quicker one other tests use.
  delete env.CHANGE_POLL_MS;
  const cleanUp = async () => {
    await dropTestSchema(env);
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
  };
  let server: BuiltServer;
  try {
    server = await startBuiltServer(env, { waitFor: SETUP_LINK });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const setupLink = SETUP_LINK.exec(server.stdout())![1]!;
  return {
    url,
    setupLink,
    process: server,
    async close() {
      await server.stop();
      await cleanUp();
    },
  };
}
