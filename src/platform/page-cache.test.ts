import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { CachedPage, PageCache, chooseEncoding, isNotModified } from './page-cache.ts';

const page = (body: string, tags: string[] = []) =>
  new CachedPage({ body, tags, contentType: 'text/html', cacheControl: 'public, max-age=30' });

test('invalidating a tag drops exactly the pages carrying it', () => {
  const cache = new PageCache(1 << 20);
  cache.set('/a', page('a', ['article:1', 'list:all']));
  cache.set('/b', page('b', ['article:2']));
  cache.set('/c', page('c', ['list:section:1', 'article:1']));
  assert.equal(cache.invalidate(['article:1']), 2);
  assert.equal(cache.get('/a'), undefined);
  assert.equal(cache.get('/c'), undefined);
  assert.ok(cache.get('/b'));
  assert.equal(cache.invalidate(['article:1', 'nothing']), 0);
});

test('the cache stays within its byte bound, dropping the least recently used first', () => {
  const body = 'x'.repeat(1000);
  const cache = new PageCache(6000);
  for (let i = 0; i < 4; i++) cache.set(`/${i}`, page(body));
  cache.get('/0'); // used: /1 is now the oldest
  cache.set('/4', page(body));
  cache.set('/5', page(body));
  assert.ok(cache.totalBytes <= 6000);
  assert.equal(cache.get('/1'), undefined);
  assert.ok(cache.get('/0'));
  assert.ok(cache.get('/5'));
});

test('a disabled cache stores nothing, and a page larger than a quarter of the bound is not stored', () => {
  const off = new PageCache(0);
  off.set('/', page('hello'));
  assert.equal(off.count, 0);
  const small = new PageCache(4000);
  small.set('/big', page('y'.repeat(2000)));
  assert.equal(small.count, 0);
});

test('compressed variants decode to the page and count toward the bound once made', () => {
  const cache = new PageCache(1 << 20);
  const p = page('<p>hello</p>'.repeat(200));
  cache.set('/', p);
  const before = cache.totalBytes;
  const br = p.variant('br');
  cache.grew('/', before, p);
  assert.equal(brotliDecompressSync(br).toString(), p.body.toString());
  assert.equal(gunzipSync(p.variant('gzip')).toString(), p.body.toString());
  assert.ok(cache.totalBytes > before);
  assert.ok(br.length < p.body.length / 5);
});

test('encoding negotiation prefers br, honours q=0, and falls back to identity', () => {
  assert.equal(chooseEncoding('gzip, deflate, br'), 'br');
  assert.equal(chooseEncoding('gzip'), 'gzip');
  assert.equal(chooseEncoding('br;q=0, gzip'), 'gzip');
  assert.equal(chooseEncoding('identity'), 'identity');
  assert.equal(chooseEncoding(undefined), 'identity');
  assert.equal(chooseEncoding('gzip;q=0'), 'identity');
});

test('If-None-Match matches weak and strong forms of the ETag, and lists', () => {
  const etag = 'W/"abc"';
  assert.ok(isNotModified('W/"abc"', etag));
  assert.ok(isNotModified('"abc"', etag));
  assert.ok(isNotModified('"x", W/"abc"', etag));
  assert.ok(isNotModified('*', etag));
  assert.ok(!isNotModified('"abd"', etag));
  assert.ok(!isNotModified(undefined, etag));
});
