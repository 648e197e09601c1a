// Clips in an S3-compatible bucket (s3rver from npm; test/helpers/s3-server.ts) shared by two
// nodes over one database, each with a data folder of its own, as on two machines: a clip uploaded
// on node A is transcoded by node B's worker from the bucket and served by both, whole and in
// ranges; nothing of it stays on either node's disk; a delete on B removes its files from the
// bucket and its addresses from both nodes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildApp, type BulletinApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { SESSION_COOKIE } from '../../accounts/http.ts';
import { staff as staffMember } from '../../../test/helpers/newsroom.ts';
import { startS3Server, type S3Server } from '../../../test/helpers/s3-server.ts';
import type { MediaStore } from '../store/media-store.ts';
import { makeClip } from './video-test-clips.ts';
import { SOURCE_FILE } from './video-storage.ts';

let s3: S3Server;
let a: TestApp;
let b: BulletinApp;
let bDataDir: string;

before(async () => {
  s3 = await startS3Server();
  a = await buildTestApp(s3.env(`clips-${process.pid}-${Date.now()}`), { watchChanges: false, runJobs: false });
  // Node B: the same database and bucket, its own data folder (SQLite is A's file, named outright).
  bDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-node-b-'));
  const database = a.env.DATABASE_URL ?? `sqlite:${path.join(a.dataDir, 'bulletin.db')}`;
  b = await buildApp(loadConfig({ ...a.env, DATA_DIR: bDataDir, DATABASE_URL: database }, bDataDir), { watchChanges: false, runJobs: false });
});
after(async () => {
  await b.close();
  await a.close();
  fs.rmSync(bDataDir, { recursive: true, force: true });
  await s3.close();
});

async function keys(store: MediaStore, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const item of store.list(prefix)) found.push(item.key);
  return found;
}

/** Every file under a node's data folder that belongs to clips (its working space included). */
function localClipFiles(dataDir: string): string[] {
  return (fs.readdirSync(dataDir, { recursive: true }) as string[]).filter((name) => name.includes('videos') && fs.statSync(path.join(dataDir, name)).isFile());
}

test('a clip uploaded on one node is transcoded by another from the bucket and served by both; a delete clears the bucket', async () => {
  const store = a.services.images.files.store;
  assert.equal(store.kind, 's3');
  const incoming = await a.services.videos.createIncoming();
  fs.writeFileSync(path.join(incoming, SOURCE_FILE), makeClip({ width: 640, height: 360, seconds: 2 }));
  const uploaded = await a.services.videos.upload({ incoming, filename: 'pier.mp4', meta: { title: 'Seals on the pier' }, createdBy: null });
  const prefix = `videos/${uploaded.folder}`;
  assert.deepEqual(await keys(store, prefix), [`${prefix}/${SOURCE_FILE}`], 'the upload is in the bucket at once');

  // Node B's worker takes the job: it has never seen the file on its own disk.
  const ran = await b.jobs.runDue();
  assert.ok(ran.some((job) => job.kind === 'media.video-transcode' && job.status === 'done'), JSON.stringify(ran));
  const clip = await a.services.videos.get(uploaded.id);
  assert.equal(clip.status, 'ready', clip.error ?? '');
  const stored = await keys(store, prefix);
  for (const name of ['r234/index.m3u8', 'r234/seg-000.ts', 'r360/index.m3u8', 'r360/seg-000.ts', clip.mp4!.file, ...clip.poster.map((p) => p.file)]) {
    assert.ok(stored.includes(`${prefix}/${name}`), `${name} is in the bucket`);
  }
  assert.deepEqual(localClipFiles(a.dataDir), [], 'nothing of the clip on node A’s disk');
  assert.deepEqual(localClipFiles(bDataDir), [], 'nor on node B’s, once its transcode is done');

  // Staff on either node get the same bytes (no story shows the clip yet: staff only).
  const mp4 = (await store.read(`${prefix}/${clip.mp4!.file}`))!;
  // A staff session (the sessions are in the database both nodes share).
  const staff = { cookie: `${SESSION_COOKIE}=${(await staffMember(a, 'editor')).browser.session}` };
  for (const node of [a, b]) {
    const master = await node.app.inject({ url: `/media/videos/${clip.folder}/master.m3u8`, headers: staff });
    assert.equal(master.statusCode, 200);
    assert.match(master.body, /RESOLUTION=640x360/);
    const rung = await node.app.inject({ url: `/media/videos/${clip.folder}/r360/index.m3u8`, headers: staff });
    assert.equal(rung.statusCode, 200);
    assert.match(rung.body, /seg-000\.ts/);
    const whole = await node.app.inject({ url: `/media/videos/${clip.folder}/${clip.mp4!.file}`, headers: staff });
    assert.equal(whole.statusCode, 200);
    assert.equal(whole.headers['content-type'], 'video/mp4');
    assert.deepEqual(whole.rawPayload, mp4);
    const part = await node.app.inject({ url: `/media/videos/${clip.folder}/${clip.mp4!.file}`, headers: { ...staff, range: 'bytes=100-1099' } });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 100-1099/${mp4.length}`);
    assert.deepEqual(part.rawPayload, mp4.subarray(100, 1100));
    // The upload itself is never served, and readers get nothing of an unpublished clip.
    assert.equal((await node.app.inject({ url: `/media/videos/${clip.folder}/${SOURCE_FILE}`, headers: staff })).statusCode, 404);
    assert.equal((await node.app.inject({ url: `/media/videos/${clip.folder}/${clip.mp4!.file}` })).statusCode, 404);
  }

  await b.services.videos.delete(clip.id);
  assert.deepEqual(await keys(store, prefix), [], 'the delete on B emptied the clip’s folder in the bucket');
  for (const node of [a, b]) assert.equal((await node.app.inject({ url: `/media/videos/${clip.folder}/${clip.mp4!.file}`, headers: staff })).statusCode, 404);
});

test('a refused upload sends nothing to the bucket', async () => {
  const store = a.services.images.files.store;
  const before = await keys(store, 'videos');
  const incoming = await a.services.videos.createIncoming();
  fs.writeFileSync(path.join(incoming, SOURCE_FILE), '<!doctype html><title>not a clip</title>');
  await assert.rejects(a.services.videos.upload({ incoming, filename: 'clip.mp4', meta: { title: 'Disguised' }, createdBy: null }), /./);
  assert.deepEqual(await keys(store, 'videos'), before);
  assert.equal(fs.existsSync(incoming), false, 'its working folder is gone');
});
