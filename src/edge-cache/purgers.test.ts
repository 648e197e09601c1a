// The purgers against a local HTTP peer that stands in for Varnish, Fastly's API and Cloudflare's
// API and checks each request as they would (method, path, credentials, body). The app is the real
// one: a publish queues its tags in its own transaction and the purge job sends them.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { batches } from './purgers.ts';

interface Seen {
  service: 'varnish' | 'fastly' | 'cloudflare';
  keys: string[];
}

/** Answers like the real thing when the request is right, 400/401/403 when it is not; `failing` makes one service answer 503. */
function startPeer() {
  const seen: Seen[] = [];
  const problems: string[] = [];
  const failing = new Set<Seen['service']>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const reply = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.method === 'PURGE' && req.url === '/') {
        if (failing.has('varnish')) return reply(503, {});
        const keys = String(req.headers['xkey-purge'] ?? '').split(' ').filter(Boolean);
        if (keys.length === 0) problems.push('varnish: PURGE without xkey-purge');
        seen.push({ service: 'varnish', keys });
        return reply(200, {});
      }
      if (req.method === 'POST' && req.url === '/fastly/service/SVC123/purge') {
        if (req.headers['fastly-key'] !== 'fastly-secret') return reply(401, { msg: 'Provided credentials are missing or invalid' });
        if (failing.has('fastly')) return reply(503, { msg: 'unavailable' });
        const { surrogate_keys: keys } = JSON.parse(body) as { surrogate_keys: string[] };
        if (keys.length > 256) problems.push(`fastly: ${keys.length} keys in one call`);
        seen.push({ service: 'fastly', keys });
        return reply(200, Object.fromEntries(keys.map((k) => [k, `purge-${k}`])));
      }
      if (req.method === 'POST' && req.url === '/cf/zones/zone9/purge_cache') {
        if (req.headers.authorization !== 'Bearer cf-secret') return reply(403, { success: false, errors: [{ code: 10000, message: 'Authentication error' }] });
        if (failing.has('cloudflare')) return reply(200, { success: false, errors: [{ code: 1134, message: 'rate limited' }] });
        const { tags } = JSON.parse(body) as { tags: string[] };
        if (tags.length > 100) problems.push(`cloudflare: ${tags.length} tags in one call`);
        seen.push({ service: 'cloudflare', keys: tags });
        return reply(200, { success: true, errors: [], messages: [], result: { id: 'zone9' } });
      }
      problems.push(`unexpected ${req.method} ${req.url}`);
      reply(404, {});
    });
  });
  return {
    seen,
    problems,
    failing,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    keysSentTo: (service: Seen['service']) => new Set(seen.filter((s) => s.service === service).flatMap((s) => s.keys)),
  };
}

const peer = startPeer();
let t: TestApp;

before(async () => {
  const url = await peer.listen();
  t = await buildTestApp({
    PURGE_URL: `${url}/`,
    FASTLY_SERVICE_ID: 'SVC123',
    FASTLY_API_TOKEN: 'fastly-secret',
    FASTLY_API_URL: `${url}/fastly`,
    CLOUDFLARE_ZONE_ID: 'zone9',
    CLOUDFLARE_API_TOKEN: 'cf-secret',
    CLOUDFLARE_API_URL: `${url}/cf`,
  });
  await seedBasics(t.services);
  await t.services.edgeCache.drain();
});
after(async () => {
  await t?.close();
  await peer.close();
});

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a publish reaches Varnish (xkey), Fastly and Cloudflare with the keys its pages carry, from the purge job', async () => {
  peer.seen.length = 0;
  const story = await t.services.articles.save(storyInput({ headline: 'Purged everywhere' }));
  const page = await t.app.inject(`/national/${story.slug}`);
  const pageKeys = String(page.headers['surrogate-key']).split(' ');
  assert.ok(pageKeys.includes(`article:${story.id}`));
  // The job runs on its own (woken by the change): nothing here calls it.
  await until('all three purges', () => ['varnish', 'fastly', 'cloudflare'].every((s) => peer.keysSentTo(s as Seen['service']).has(`article:${story.id}`)));
  for (const service of ['varnish', 'fastly', 'cloudflare'] as const) {
    const sent = peer.keysSentTo(service);
    assert.ok(sent.has('list:section:1') || [...sent].some((k) => k.startsWith('list:')), `${service} hears the lists the story joined: ${[...sent].join(' ')}`);
  }
  assert.deepEqual(peer.problems, []);
  await until('the queue to empty', async () => (await t.services.edgeCache.queue.count()) === 0);
});

test('a purger that fails never blocks a publish; its keys are kept and sent with the next change', async () => {
  peer.seen.length = 0;
  peer.failing.add('fastly');
  const first = await t.services.articles.save(storyInput({ headline: 'Published while Fastly is down' }));
  assert.equal((await t.app.inject(`/national/${first.slug}`)).statusCode, 200, 'the publish went through');
  await until('Varnish and Cloudflare to hear of it', () => peer.keysSentTo('varnish').has(`article:${first.id}`) && peer.keysSentTo('cloudflare').has(`article:${first.id}`));
  await until('the failed attempt to be recorded', async () => (await t.jobs.list('edge-cache.purge')).some((job) => job.lastError?.includes('Fastly purge: 503')));
  assert.ok((await t.services.edgeCache.queue.count()) > 0, 'the owed purge is still queued');
  assert.ok(!peer.keysSentTo('fastly').has(`article:${first.id}`));

  peer.failing.delete('fastly');
  const second = await t.services.articles.save(storyInput({ headline: 'Fastly is back' }));
  await until('Fastly to get both stories', () => peer.keysSentTo('fastly').has(`article:${first.id}`) && peer.keysSentTo('fastly').has(`article:${second.id}`));
  await until('the queue to empty', async () => (await t.services.edgeCache.queue.count()) === 0);
  assert.deepEqual(peer.problems, []);
});

test('Cloudflare answering success: false is a failure, retried', async () => {
  peer.seen.length = 0;
  peer.failing.add('cloudflare');
  await t.services.articles.save(storyInput({ headline: 'Cloudflare says no' }));
  await until('the refusal', async () => (await t.jobs.list('edge-cache.purge')).some((job) => job.lastError?.includes('rate limited')));
  peer.failing.delete('cloudflare');
  assert.equal(await t.services.edgeCache.drain() > 0, true);
  assert.equal(await t.services.edgeCache.queue.count(), 0);
});

test('batches stay within what each API accepts: 600 keys are 3 Fastly calls and 6 Cloudflare calls', async () => {
  assert.deepEqual(batches(['a', 'b', 'c', 'd', 'e'], 2).map((b) => b.length), [2, 2, 1]);
  assert.deepEqual(batches(['aaaa', 'bbbb', 'cccc'], 10, 10).map((b) => b.join(' ')), ['aaaa bbbb', 'cccc'], 'a byte bound (Varnish header size) splits too');
  peer.seen.length = 0;
  const keys = Array.from({ length: 600 }, (_, i) => `article:${100000 + i}`);
  await Promise.all(t.services.edgeCache.purgers.map((purger) => purger.purge(keys)));
  // Only the calls carrying these keys: a job queued by an earlier test's save may purge meanwhile.
  const ours = new Set(keys);
  const calls = (service: Seen['service']) => peer.seen.filter((s) => s.service === service && s.keys.some((key) => ours.has(key)));
  assert.equal(calls('fastly').length, 3);
  assert.equal(calls('cloudflare').length, 6);
  for (const service of ['varnish', 'fastly', 'cloudflare'] as const) assert.equal(new Set(calls(service).flatMap((s) => s.keys).filter((key) => ours.has(key))).size, 600, service);
  assert.deepEqual(peer.problems, []);
});

test('wrong credentials are reported with the provider’s words, never the token', async () => {
  const url = `http://127.0.0.1:${new URL(t.config.purge.fastly!.apiUrl).port}`;
  const { fastlyPurger, cloudflarePurger } = await import('./purgers.ts');
  await assert.rejects(fastlyPurger({ serviceId: 'SVC123', token: 'wrong-token', apiUrl: `${url}/fastly` }).purge(['x']), (error: Error) => /401/.test(error.message) && !error.message.includes('wrong-token'));
  await assert.rejects(cloudflarePurger({ zoneId: 'zone9', token: 'wrong-token', apiUrl: `${url}/cf` }).purge(['x']), (error: Error) => /Authentication error/.test(error.message) && !error.message.includes('wrong-token'));
});

test('configuration: half a pair, a bad URL or a bad id are reported together', () => {
  assert.throws(
    () => loadConfig({ FASTLY_SERVICE_ID: 'SVC', CLOUDFLARE_API_TOKEN: 'x', PURGE_URL: 'varnish:6081', CLOUDFLARE_ZONE_ID: 'bad zone!' }),
    (error: Error) =>
      error instanceof ConfigError &&
      /FASTLY_SERVICE_ID and FASTLY_API_TOKEN go together/.test(error.message) &&
      /PURGE_URL must be http\(s\) URLs/.test(error.message) &&
      /CLOUDFLARE_ZONE_ID must be the id/.test(error.message),
  );
  const config = loadConfig({ PURGE_URL: 'http://10.0.0.5:6081/, http://10.0.0.6:6081/' });
  assert.deepEqual(config.purge.httpUrls, ['http://10.0.0.5:6081/', 'http://10.0.0.6:6081/']);
  assert.equal(config.sharedMaxAgeSeconds, 86400, 'caches in front keep pages a day once they are purged');
  assert.equal(loadConfig({}).sharedMaxAgeSeconds, 60, 'a minute when nothing purges them');
});

test('with a purger configured, pages tell shared caches to keep them a day', async () => {
  const story = await t.services.articles.save(storyInput({ headline: 'Kept a day' }));
  const page = await t.app.inject(`/national/${story.slug}`);
  assert.equal(page.headers['cache-control'], 'public, max-age=30, s-maxage=86400, stale-while-revalidate=300, stale-if-error=600');
});
