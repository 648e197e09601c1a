// The build users run, started the way `npm start` starts it: scripts/build.mjs (npm start's build
// step) writes the bundle and its islands, then `node --enable-source-maps <dir>/main.js` runs as a
// process of its own with the environment it is given. Each test process builds once, into a folder
// of its own under dist/ (two test processes never write the same files), removed when it exits.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.ts';

let bundle: string | undefined;

/**
 * dist/test-<pid>/main.js, built on the first call of this process; or, with BULLETIN_TEST_BUNDLE,
 * the bundle scripts/build.mjs wrote once for the whole run (CI builds it before each suite, so
 * that its ten test files that start the build do not build it ten times).
 */
export function builtBundle(): string {
  if (bundle) return bundle;
  const shared = process.env.BULLETIN_TEST_BUNDLE;
  if (shared) {
    const main = path.resolve(PROJECT_ROOT, shared);
    if (!fs.existsSync(main)) throw new Error(`BULLETIN_TEST_BUNDLE names ${main}, which does not exist: build it with scripts/build.mjs --outdir`);
    return (bundle = main);
  }
  const outdir = path.join('dist', `test-${process.pid}`);
  const result = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/build.mjs failed (${result.status}):\n${result.stderr}`);
  process.once('exit', () => fs.rmSync(path.join(PROJECT_ROOT, outdir), { recursive: true, force: true }));
  bundle = path.join(PROJECT_ROOT, outdir, 'main.js');
  return bundle;
}

/** This process's environment for a child process (as a shell would pass it on), without the test runner's own variables, plus `env`. */
export function childEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_TEST_CONTEXT; // the test runner's marker: the child is not a test
  delete childEnv.TEST_DATABASE_URL;
  delete childEnv.BULLETIN_TEST_BUNDLE;
  return childEnv;
}

/** A port nobody listens on right now (the OS picks it), so SITE_URL can name it before start. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface BuiltServer {
  /** Base URL without a trailing slash. */
  url: string;
  /** Everything the process printed to stdout so far (the setup link goes there). */
  stdout(): string;
  /** Everything it printed to stderr so far (logs, with LOG_LEVEL above silent). */
  stderr(): string;
  /** SIGTERM, as an operator's stop would send, and wait for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
  /** SIGKILL at once (a crash: nothing is flushed or closed), and wait for the exit. */
  crash(): Promise<void>;
  /** How the process ended (null while it runs, or when a signal ended it). */
  exitCode(): number | null;
}

/**
 * Starts the bundle on 127.0.0.1:<env.PORT or a free port> and waits until it answers. The
 * process gets this process's environment (as `npm start` would), without the test runner's own
 * variables, plus `env`. `waitFor` holds the start until stdout matches (the setup link); `readyPath`
 * is what must answer (a worker node serves /healthz alone).
 */
export async function startBuiltServer(env: Record<string, string>, options: { waitFor?: RegExp; cwd?: string; readyPath?: string } = {}): Promise<BuiltServer> {
  const main = builtBundle();
  const port = env.PORT ?? String(await freePort());
  const childEnv = childEnvironment({ HOST: '127.0.0.1', ...env, PORT: port });
  // The data folder, not the project, as the working directory: nothing may depend on where it starts.
  const child = spawn(process.execPath, ['--enable-source-maps', main], { cwd: options.cwd ?? env.DATA_DIR ?? PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const server: BuiltServer = {
    url,
    stdout: () => out,
    stderr: () => err,
    stop: () => stopProcess(child, exited),
    crash: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    exitCode: () => child.exitCode,
  };
  try {
    await waitUntilServing(child, `${url}${options.readyPath ?? '/robots.txt'}`, () => !options.waitFor || options.waitFor.test(out));
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nstdout:\n${out}\nstderr:\n${err}`);
  }
  return server;
}

async function waitUntilServing(child: ChildProcess, url: string, printed: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before serving`);
    const answered = await fetch(url).then((res) => res.ok, () => false);
    if (answered && printed()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not answer within 60 s');
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}
