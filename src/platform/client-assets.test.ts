import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { ClientAssets, registerClientAssetRoutes } from './client-assets.ts';

test('the editor island bundles, is served under a hashed name with immutable caching, and stays small', async () => {
  const assets = new ClientAssets([{ name: 'editor', entry: 'src/newsroom/editor/editor-island.ts' }]);
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
  await app.close();
});
