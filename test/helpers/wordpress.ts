// WordPress import helpers for tests: the fixture exports, an uploads folder made at run time
// (pictures generated with sharp, so no binary fixtures), and the command run against a test app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleImage } from '../../src/media/image-test-samples.ts';
import { runWordpressCommand } from '../../src/importers/wordpress/wordpress-command.ts';
import { WordpressImporter } from '../../src/importers/wordpress/wordpress-import.ts';
import type { TestApp } from './build-test-app.ts';
import { sink } from './streams.ts';

export const wordpressFixture = (name: string) => fileURLToPath(new URL(`../fixtures/wordpress/${name}`, import.meta.url));

/** A copy of wp-content/uploads: the featured picture (a PNG), and a "picture" that is a text file. */
export async function makeUploads(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-wp-uploads-'));
  fs.mkdirSync(path.join(dir, '2026', '10'), { recursive: true });
  fs.writeFileSync(path.join(dir, '2026', '10', 'harbour-lights.png'), await sampleImage('png', 1200, 900));
  fs.writeFileSync(path.join(dir, '2026', '10', 'minutes.jpg'), 'Minutes of the meeting: this is text, not a picture.\n');
  return dir;
}

export interface CommandRun {
  code: number;
  out: string;
  err: string;
  /** How many times the command opened the database. */
  opened: number;
}

/** Runs `bulletin import wordpress …argv` against the test app's database. */
export async function importWordpress(t: TestApp, argv: string[], options: { now?: () => Date; allowFetch?: boolean; isTTY?: boolean } = {}): Promise<CommandRun> {
  const out = sink();
  const err = sink();
  let opened = 0;
  const code = await runWordpressCommand(argv, {
    open: async () => {
      opened++;
      const { articles, authors, videos, images } = t.services;
      const importer = new WordpressImporter({ articles, authors, videos, comments: t.services.comments.imports, db: t.database.db, ...(options.now ? { now: options.now } : {}) });
      return { importer, images, db: t.database.db, maxUploadBytes: t.config.mediaMaxUploadBytes, close: async () => undefined };
    },
    out: out.stream,
    err: err.stream,
    isTTY: options.isTTY ?? false,
    allowFetch: options.allowFetch ?? false,
    ...(options.now ? { now: options.now } : {}),
  });
  return { code, out: out.text(), err: err.text(), opened };
}
