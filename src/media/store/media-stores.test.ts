// The same image journey on both media stores: local disk (the default) and an S3-compatible
// bucket (s3rver from npm, a real HTTP server speaking the S3 protocol; test/helpers/s3-server.ts).
// Two nodes over one database and one store: an upload on node A is served by node B with the same
// immutable URL, ranges work, the AVIF job on B is seen on A, a refused upload and a delete leave
// nothing in the store.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp, type BulletinApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { startS3Server, type S3Server } from '../../../test/helpers/s3-server.ts';
import { IMMUTABLE } from '../image-routes.ts';
import { sampleImage } from '../image-test-samples.ts';
import type { MediaStore } from './media-store.ts';

let s3: S3Server;
before(async () => {
  s3 = await startS3Server();
});
after(() => s3.close());

async function keys(store: MediaStore, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for await (const item of store.list(prefix)) found.push(item.key);
  return found;
}

for (const kind of ['local', 's3'] as const) {
  describe(`media on ${kind === 'local' ? 'local disk' : 'an S3-compatible bucket'}`, () => {
    let a: TestApp;
    let b: BulletinApp;
    before(async () => {
      a = await buildTestApp(kind === 's3' ? s3.env(`site-${process.pid}-${Date.now()}`) : {}, { watchChanges: false });
      // A second node: the same configuration (database, store), its own process state.
      b = await buildApp(loadConfig(a.env, a.dataDir), { watchChanges: false });
    });
    after(async () => {
      await b.close();
      await a.close();
    });

    test('an upload on one node is served by the other, whole and in ranges, with the same immutable URL', async () => {
      const image = await a.services.images.upload({ bytes: await sampleImage('jpeg', 900, 600), filename: 'harbour.jpg', meta: { alt: 'The harbour at dawn' } });
      const store = a.services.images.files.store;
      assert.equal(store.kind, kind);
      assert.deepEqual(await keys(store, `images/${image.folder}`), ['original.jpg', 'w320.jpg', 'w320.webp', 'w640.jpg', 'w640.webp', 'w900.jpg', 'w900.webp'].map((f) => `images/${image.folder}/${f}`));
      const url = `/media/images/${image.folder}/w640.webp`;
      const stored = (await store.read(`images/${image.folder}/w640.webp`))!;
      for (const node of [a, b]) {
        const res = await node.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'image/webp');
        assert.equal(res.headers['cache-control'], IMMUTABLE);
        assert.equal(res.headers['accept-ranges'], 'bytes');
        assert.equal(Number(res.headers['content-length']), stored.length);
        assert.deepEqual(res.rawPayload, stored);
        const again = await node.app.inject({ method: 'GET', url, headers: { 'if-none-match': res.headers.etag as string } });
        assert.equal(again.statusCode, 304);
      }
      const etag = (await b.app.inject({ method: 'HEAD', url })).headers.etag as string;
      const part = await b.app.inject({ method: 'GET', url, headers: { range: 'bytes=10-99' } });
      assert.equal(part.statusCode, 206);
      assert.equal(part.headers['content-range'], `bytes 10-99/${stored.length}`);
      assert.deepEqual(part.rawPayload, stored.subarray(10, 100));
      const tail = await b.app.inject({ method: 'GET', url, headers: { range: 'bytes=-16' } });
      assert.deepEqual([tail.statusCode, tail.rawPayload], [206, stored.subarray(stored.length - 16)]);
      const open = await b.app.inject({ method: 'GET', url, headers: { range: `bytes=${stored.length - 5}-` } });
      assert.deepEqual([open.statusCode, open.rawPayload], [206, stored.subarray(stored.length - 5)]);
      const beyond = await b.app.inject({ method: 'GET', url, headers: { range: `bytes=${stored.length}-` } });
      assert.equal(beyond.statusCode, 416);
      assert.equal(beyond.headers['content-range'], `bytes */${stored.length}`);
      // An If-Range naming another version asks for the whole file.
      assert.equal((await b.app.inject({ method: 'GET', url, headers: { range: 'bytes=0-9', 'if-range': '"other"' } })).statusCode, 200);
      assert.equal((await b.app.inject({ method: 'GET', url, headers: { range: 'bytes=0-9', 'if-range': etag } })).statusCode, 206);
      // The kept original is never served, on either store.
      assert.equal((await b.app.inject({ method: 'GET', url: `/media/images/${image.folder}/original.jpg` })).statusCode, 404);
    });

    test('the AVIF job on one node adds files the other node serves; a refused upload leaves nothing in the store', async () => {
      const image = await a.services.images.upload({ bytes: await sampleImage('png', 500, 300), filename: 'chart.png' });
      await b.jobs.runDue();
      const done = await a.services.images.get(image.id);
      assert.deepEqual(done.variants.filter((v) => v.format === 'avif').map((v) => v.file), ['w320.avif', 'w500.avif']);
      const res = await a.app.inject({ method: 'GET', url: `/media/images/${image.folder}/w500.avif` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/avif');
      assert.equal(Number(res.headers['content-length']), done.variants.find((v) => v.file === 'w500.avif')!.bytes);

      const store = a.services.images.files.store;
      const before = await keys(store);
      const jpeg = await sampleImage('jpeg', 800, 500);
      await assert.rejects(a.services.images.upload({ bytes: jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), filename: 'cut.jpg' }), /damaged or incomplete/);
      assert.deepEqual(await keys(store), before);
    });

    test('a delete on one node removes the files from the store: the URL is gone on every node', async () => {
      const image = await a.services.images.upload({ bytes: await sampleImage('webp', 400, 400), filename: 'square.webp' });
      const url = `/media/images/${image.folder}/w320.webp`;
      assert.equal((await a.app.inject({ method: 'GET', url })).statusCode, 200);
      await b.services.images.delete(image.id);
      assert.deepEqual(await keys(a.services.images.files.store, `images/${image.folder}`), []);
      for (const node of [a, b]) assert.equal((await node.app.inject({ method: 'GET', url })).statusCode, 404);
      // Its AVIF job, still queued, ends quietly and sends nothing to the store.
      await a.jobs.runDue();
      assert.equal(await a.services.images.files.hasFolder(image.folder), false);
    });
  });
}

describe('a public bucket or CDN in front (MEDIA_PUBLIC_URL)', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ ...s3.env(`cdn-${process.pid}-${Date.now()}`), MEDIA_PUBLIC_URL: 'https://media.news.test/site/' }, { watchChanges: false });
  });
  after(() => t.close());

  test('image URLs stay the same and redirect, permanently, to the same file there', async () => {
    const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 400, 300), filename: 'cdn.jpg' });
    const res = await t.app.inject({ method: 'GET', url: `/media/images/${image.folder}/w320.jpg` });
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `https://media.news.test/site/images/${image.folder}/w320.jpg`);
    assert.equal(res.headers['cache-control'], IMMUTABLE);
    // Names that are not public files are still refused here, not sent on.
    assert.equal((await t.app.inject({ method: 'GET', url: `/media/images/${image.folder}/original.jpg` })).statusCode, 404);
  });
});

describe('media store configuration', () => {
  test('MEDIA_STORE and the MEDIA_S3_* settings are checked together, every mistake reported', () => {
    const config = loadConfig({ MEDIA_STORE: 's3://news-media/prod/site', MEDIA_S3_ENDPOINT: 'http://127.0.0.1:9000' }, '/tmp');
    assert.deepEqual(config.mediaStore, {
      kind: 's3',
      bucket: 'news-media',
      prefix: 'prod/site',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      credentials: null,
      forcePathStyle: true,
      publicUrl: null,
    });
    assert.deepEqual(loadConfig({ DATA_DIR: '/srv/news' }, '/tmp').mediaStore, { kind: 'local', root: '/srv/news/media', publicUrl: null });
    assert.throws(
      () => loadConfig({ MEDIA_STORE: 's3://Bad_Bucket', MEDIA_S3_ACCESS_KEY_ID: 'only-one', MEDIA_S3_ENDPOINT: 'ftp://x', MEDIA_PUBLIC_URL: 'cdn' }, '/tmp'),
      (error: Error) => {
        assert.match(error.message, /MEDIA_STORE must be local or s3:\/\/bucket\/prefix/);
        assert.match(error.message, /MEDIA_PUBLIC_URL must be an http\(s\) URL/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ MEDIA_STORE: 's3://news-media/p', MEDIA_S3_ACCESS_KEY_ID: 'only-one', MEDIA_S3_ENDPOINT: 'ftp://x' }, '/tmp'), (error: Error) => {
      assert.match(error.message, /MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY go together/);
      assert.match(error.message, /MEDIA_S3_ENDPOINT must be an http\(s\) URL/);
      return true;
    });
  });
});
