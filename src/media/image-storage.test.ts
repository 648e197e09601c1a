import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ImageStorage } from './image-storage.ts';
import { LocalMediaStore } from './store/local-store.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-storage-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const storage = new ImageStorage(new LocalMediaStore(path.join(dataDir, 'media')));
const root = path.join(dataDir, 'media', 'images');

test('public files: only variant names inside an <id>-<hash> folder name a file, always inside the images folder', () => {
  assert.equal(storage.publicKey('12-0123456789abcdef', 'w640.avif'), 'images/12-0123456789abcdef/w640.avif');
  assert.equal(storage.publicKey('12-0123456789abcdef', 'w1920.jpg'), 'images/12-0123456789abcdef/w1920.jpg');
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
  for (const [folder, file] of refused) assert.equal(storage.publicKey(folder, file), null, `${folder}/${file}`);
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

test('a file added to a published folder appears whole (temporary name, then rename); a failed write leaves nothing', async () => {
  const folder = '4-0123456789abcdef';
  fs.mkdirSync(path.join(root, folder));
  let tempPath = '';
  const result = await storage.addFile(folder, 'w320.avif', async (temp) => {
    tempPath = temp;
    assert.equal(path.dirname(temp), path.join(root, folder));
    assert.equal(storage.publicKey(folder, path.basename(temp)), null, 'the temporary name is never served');
    assert.equal(fs.existsSync(path.join(root, folder, 'w320.avif')), false, 'not there until complete');
    fs.writeFileSync(temp, 'avif bytes');
    return 'written';
  });
  assert.equal(result, 'written');
  assert.equal(fs.existsSync(tempPath), false);
  assert.deepEqual(await storage.read(folder, 'w320.avif'), Buffer.from('avif bytes'));

  await assert.rejects(
    storage.addFile(folder, 'w640.avif', async (temp) => {
      fs.writeFileSync(temp, 'half');
      throw new Error('encoder failed');
    }),
    /encoder failed/,
  );
  assert.deepEqual(fs.readdirSync(path.join(root, folder)), ['w320.avif'], 'no half-written file, no temporary one');
  assert.equal(await storage.read(folder, 'w640.avif'), null);
  assert.equal(await storage.hasFolder(folder), true);
});

test('adding a file never recreates a deleted image folder; names with separators are refused', async () => {
  const gone = '5-0123456789abcdef';
  await assert.rejects(storage.addFile(gone, 'w320.avif', async (temp) => fs.writeFileSync(temp, 'x')), { code: 'ENOENT' });
  assert.equal(await storage.hasFolder(gone), false);
  assert.equal(await storage.read(gone, 'original.jpg'), null);
  await assert.rejects(storage.read('4-0123456789abcdef', '../4-0123456789abcdef'), /not an image file name/);
  await assert.rejects(storage.read('4-0123456789abcdef', '..'), /not an image file name/);
  await assert.rejects(storage.read('../x', 'w320.avif'), /not an image folder name/);
});

test('temporary files a crash left in an image folder are swept once old enough; recent ones and variants stay', async () => {
  const folder = '6-0123456789abcdef';
  const dir = path.join(root, folder);
  fs.mkdirSync(dir);
  for (const name of ['.partial-old-w320.avif', '.partial-new-w640.avif', 'w320.webp']) fs.writeFileSync(path.join(dir, name), 'x');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  fs.utimesSync(path.join(dir, '.partial-old-w320.avif'), twoHoursAgo, twoHoursAgo);
  fs.utimesSync(path.join(dir, 'w320.webp'), twoHoursAgo, twoHoursAgo);
  await storage.removeAbandonedFiles(folder, 3600_000);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['.partial-new-w640.avif', 'w320.webp']);
});
