// A local S3-compatible server for tests: s3rver (from npm) in a process of its own
// (s3-server-process.mjs says why), on 127.0.0.1 with a bucket in a temporary folder. The S3
// client talks to it over HTTP with signed requests, exactly as it would to a real bucket; `env`
// is the configuration that points Bulletin's media store at it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** MEDIA_STORE and MEDIA_S3_* for a site whose media lives in this bucket under `prefix`. */
  env(prefix?: string): Record<string, string>;
  close(): Promise<void>;
}

/** s3rver's fixed development credentials (it checks signatures made with them). */
const ACCESS_KEY = 'S3RVER';

export async function startS3Server(bucket = 'bulletin-media'): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-s3-'));
  const script = fileURLToPath(new URL('./s3-server-process.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', script, directory, bucket], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: (prefix = 'site') => ({
      MEDIA_STORE: `s3://${bucket}/${prefix}`,
      MEDIA_S3_ENDPOINT: endpoint,
      MEDIA_S3_ACCESS_KEY_ID: ACCESS_KEY,
      MEDIA_S3_SECRET_ACCESS_KEY: ACCESS_KEY,
    }),
    async close() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
