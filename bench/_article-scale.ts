// The article benchmark's scale-out rounds: Bulletin with WEB_PROCESSES against Debian's nginx
// (installed here when missing) sending the same recorded bytes with as many workers, and the
// page rendered on every request on PostgreSQL against SQLite, on sites of the same size.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildServices } from '../src/app.ts';
import { generateStories } from '../src/demo/generate.ts';
import { CaptureImporter } from '../src/importers/capture-import.ts';
import { createProgress } from '../src/importers/progress.ts';
import { loadConfig } from '../src/platform/config.ts';
import { startServer, type ServerProcess } from './_harness.ts';

const NGINX = '/usr/sbin/nginx';

/** nginx from Debian; installed with apt-get when missing (the bench's only download, from Debian's archive). */
export function ensureNginx(): void {
  if (fs.existsSync(NGINX)) return;
  console.log('nginx is missing: apt-get install -y nginx-light');
  execFileSync('apt-get', ['install', '-y', '-qq', 'nginx-light'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** nginx with `workers` worker processes sending `recorded` (headers and brotli body) for every path. */
export async function startNginx(recorded: { headers: Record<string, string>; body: string }, workers: number, port: number): Promise<ServerProcess> {
  ensureNginx();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-nginx-'));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'page'), Buffer.from(recorded.body, 'base64'));
  const skip = new Set(['content-type', 'etag', 'last-modified', 'server', 'accept-ranges']);
  const headers = Object.entries(recorded.headers)
    .filter(([name]) => !skip.has(name))
    .map(([name, value]) => `      add_header ${name} '${value.replace(/'/g, "\\'")}' always;`)
    .join('\n');
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes ${workers};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 72s;
  client_body_temp_path ${dir}/tmp;
  etag off;
  server_tokens off;
  server {
    listen 127.0.0.1:${port};
    location / {
      root ${dir};
      types { }
      default_type '${recorded.headers['content-type'] ?? 'text/html; charset=utf-8'}';
      try_files /page =404;
${headers}
    }
  }
}
`,
  );
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (let i = 0; !(await fetch(url).then((res) => res.ok, () => false)); i++) {
    if (child.exitCode !== null || i > 300) throw new Error(`nginx did not start: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    url,
    pid: child.pid!,
    startMs: performance.now() - started,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The same generated site on PostgreSQL, in a schema of its own (dropped by `drop`): `articles`
 * stories plus the seed story, published.
 */
export async function postgresSite(url: string, articles: number, seedCapture: string): Promise<{ env: Record<string, string>; seedPath: string; drop(): Promise<void> }> {
  const schema = `bench_article_${process.pid}`;
  const env = { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-pg-')), DEMO_CONTENT: 'off', LOG_LEVEL: 'warn', SITE_NAME: 'Technical News', DATABASE_URL: url, DATABASE_SCHEMA: schema };
  const drop = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
  };
  const { services, database } = await buildServices(loadConfig(env));
  try {
    console.log(`generating a ${articles.toLocaleString('en')}-story site on PostgreSQL (schema ${schema}, dropped afterwards)`);
    await generateStories(services, articles, createProgress({ total: articles, label: 'generated', unit: 'stories', out: process.stderr, isTTY: Boolean(process.stderr.isTTY) }));
    const importer = new CaptureImporter({ articles: services.articles, videos: services.videos });
    const seed = await importer.importText(fs.readFileSync(seedCapture, 'utf8'), { fileName: 'seed.txt', publish: true });
    return { env, seedPath: seed.url, drop };
  } catch (error) {
    await database.close();
    await drop();
    throw error;
  } finally {
    await database.close().catch(() => undefined);
  }
}

export { startServer };
