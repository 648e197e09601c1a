// A real Varnish (Debian's varnish and varnish-modules) in front of local nodes, run with the
// project's VCL (deploy/varnish/bulletin.vcl) and a site.vcl written for these nodes, in a working
// folder of its own; stopped and removed by stop().
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.ts';
import { freePort } from './built-server.ts';

export const VARNISHD = ['/usr/sbin/varnishd', '/usr/bin/varnishd'].find((file) => fs.existsSync(file));

export interface Varnish {
  url: string;
  /**
   * Waits until Varnish reaches a node: its health probes mark a backend healthy only after a
   * probe succeeds, so for up to a probe interval after the nodes start it still answers 503.
   */
  untilServing(): Promise<void>;
  stop(): Promise<void>;
}

/** The site.vcl for these backends: probes on /healthz, round robin, purges from this machine. */
export function siteVcl(backends: readonly string[]): string {
  const names = backends.map((_, i) => `node_${i}`);
  return [
    'import directors;',
    'probe health { .url = "/healthz"; .interval = 500ms; .timeout = 500ms; .window = 2; .threshold = 1; }',
    ...backends.map((url, i) => {
      const { hostname, port } = new URL(url);
      return `backend ${names[i]} { .host = "${hostname}"; .port = "${port}"; .probe = health; }`;
    }),
    'acl purgers { "127.0.0.1"; }',
    `sub vcl_init { new nodes = directors.round_robin(); ${names.map((n) => `nodes.add_backend(${n});`).join(' ')} }`,
    '',
  ].join('\n');
}

export async function startVarnish(backends: readonly string[]): Promise<Varnish> {
  if (!VARNISHD) throw new Error('varnishd is not installed (apt-get install -y varnish varnish-modules)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-varnish-'));
  // Varnish compiles VCL as its own unprivileged user: it must be able to read the folder.
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'site.vcl'), siteVcl(backends));
  const port = await freePort();
  const vcl = path.join(PROJECT_ROOT, 'deploy/varnish/bulletin.vcl');
  // Compile first: a VCL error is reported as such, not as a server that never answers. (-p before
  // -f: the VCL is compiled as -f is read, with the parameters given so far.)
  const check = spawnSync(VARNISHD, ['-p', `vcl_path=${dir}:${path.dirname(vcl)}`, '-C', '-f', vcl, '-n', path.join(dir, 'check')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`the VCL does not compile:\n${check.stderr}`);
  const child = spawn(VARNISHD, ['-p', `vcl_path=${dir}:${path.dirname(vcl)}`, '-F', '-f', vcl, '-a', `127.0.0.1:${port}`, '-T', 'none', '-n', path.join(dir, 'work'), '-s', 'malloc,64m'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await fetch(`${url}/healthz`).then(() => true, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`varnishd did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const untilServing = async () => {
    const until = Date.now() + 20_000;
    while ((await fetch(`${url}/healthz`).then((res) => res.status, () => 0)) !== 200) {
      if (Date.now() > until) throw new Error('Varnish did not reach a healthy node within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { url, untilServing, stop };
}
