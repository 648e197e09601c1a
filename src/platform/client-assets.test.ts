import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { findIslands } from '../../scripts/islands.mjs';
import { onDemandAssets, prebuiltAssets, registerClientAssetRoutes } from './client-assets.ts';
import { projectFile } from './paths.ts';

test('every *-island.ts file under src/ is an island named by its file', () => {
  const names = findIslands(projectFile('src')).map((island) => island.name);
  assert.deepEqual(names, ['breaking-banner', 'comment-form', 'comment-queue', 'editor', 'image-field', 'media', 'service-worker', 'video-facade', 'video-player', 'video-upload']);
});

test('from the sources, the editor island bundles on first use, is served under a hashed name with immutable caching, and stays small', async () => {
  const assets = onDemandAssets();
  const url = await assets.url('editor');
  assert.match(url, /^\/assets\/editor-[A-Za-z0-9_-]{12}\.js$/);
  const app = Fastify();
  registerClientAssetRoutes(app, assets);
  const res = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  const code = gunzipSync(res.rawPayload).toString();
  assert.match(code, /data-story-editor/);
  // Tiptap with ProseMirror is ~120 KB gzipped; it loads only on editor pages.
  assert.ok(res.rawPayload.length < 200_000, `editor bundle is ${res.rawPayload.length} bytes gzipped`);
  assert.equal((await app.inject('/assets/editor-aaaaaaaaaaaa.js')).statusCode, 404);
  assert.equal((await app.inject('/assets/..%2Fpackage.json')).statusCode, 400);
  await assert.rejects(assets.url('nothing'), /no island named "nothing"/);
  await app.close();
});

test('built islands are read from their folder and manifest, and a missing or foreign manifest stops the start with a plain message', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-assets-'));
  try {
    const folder = pathToFileURL(`${dir}/`);
    assert.throws(() => prebuiltAssets(folder), /the built islands are missing or unreadable .*run npm run build/);

    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ editor: '../../etc/passwd' }));
    assert.throws(() => prebuiltAssets(folder), /"editor" names no island file/);

    fs.writeFileSync(path.join(dir, 'editor-abcdefABCDEF.js'), 'export const built = true;');
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ editor: 'editor-abcdefABCDEF.js' }));
    const assets = prebuiltAssets(folder);
    assert.equal(await assets.url('editor'), '/assets/editor-abcdefABCDEF.js');
    const app = Fastify();
    registerClientAssetRoutes(app, assets);
    const res = await app.inject('/assets/editor-abcdefABCDEF.js');
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, 'export const built = true;');
    await app.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
