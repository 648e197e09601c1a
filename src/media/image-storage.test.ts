import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ImageStorage } from './image-storage.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-storage-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const storage = new ImageStorage(dataDir);
const root = path.join(dataDir, 'media', 'images');

test('public files: only variant names inside an <id>-<hash> folder resolve, always inside the images folder', () => {
  assert.equal(storage.publicFile('12-0123456789abcdef', 'w640.avif'), path.join(root, '12-0123456789abcdef', 'w640.avif'));
  assert.equal(storage.publicFile('12-0123456789abcdef', 'w1920.jpg'), path.join(root, '12-0123456789abcdef', 'w1920.jpg'));
  const refused: [string, string][] = [
    ['12-0123456789abcdef', 'original.jpg'],
    ['12-0123456789abcdef', '../w640.avif'],
    ['12-0123456789abcdef', 'w640.svg'],
    ['12-0123456789abcdef', 'w640.avif/'],
    ['..', 'w640.avif'],
    ['/etc', 'w640.avif'],
    ['12-0123456789ABCDEF', 'w640.avif'],
    ['012-0123456789abcdef', 'w640.avif'],
    ['12-0123456789abcdef\0', 'w640.avif'],
    ['.incoming-1', 'w640.avif'],
  ];
  for (const [folder, file] of refused) assert.equal(storage.publicFile(folder, file), null, `${folder}/${file}`);
});

test('abandoned working folders are swept once old enough; recent ones and images stay', async () => {
  const old = await storage.createWorkFolder();
  const recent = await storage.createWorkFolder();
  const image = path.join(root, '3-0123456789abcdef');
  fs.mkdirSync(image);
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  fs.utimesSync(old, twoHoursAgo, twoHoursAgo);
  fs.utimesSync(image, twoHoursAgo, twoHoursAgo);
  await storage.removeAbandoned(3600_000);
  assert.equal(fs.existsSync(old), false);
  assert.equal(fs.existsSync(recent), true);
  assert.equal(fs.existsSync(image), true);
});
