// /healthz, /readyz and /metrics as a supervisor, a load balancer and Prometheus use them; and the
// request id that follows a request into the jobs it queues.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { articlePath } from '../articles/model.ts';
import { IMAGE_AVIF } from '../media/image-avif-job.ts';
import { multipartBody, sampleImage } from '../media/image-test-samples.ts';
import { enqueue } from '../platform/jobs.ts';

const TOKEN = 'metrics-token-0123456789';

describe('health and readiness', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ READY_JOB_LAG_SECONDS: '60' }, { watchChanges: false });
  });
  after(() => t.close());

  test('/healthz: alive, never cached', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', role: 'all' });
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('/readyz: ready with every check named; a due job waiting past the bound makes it 503; no secrets in either answer', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.headers['cache-control'], 'no-store');
    assert.deepEqual(ready.json(), {
      status: 'ready',
      checks: { database: { ok: true }, migrations: { ok: true, pending: 0 }, jobs: { ok: true, oldestDueSeconds: 0 }, media: { ok: true } },
    });
    // A job that fell due two minutes ago and still waits (no worker runs here).
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await enqueue(t.database.db, IMAGE_AVIF, { imageId: 999 }, { now: twoMinutesAgo });
    const late = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(late.statusCode, 503);
    const body = late.json() as { status: string; checks: { jobs: { ok: boolean; oldestDueSeconds: number } } };
    assert.equal(body.status, 'not ready');
    assert.equal(body.checks.jobs.ok, false);
    assert.ok(body.checks.jobs.oldestDueSeconds >= 120, String(body.checks.jobs.oldestDueSeconds));
    for (const text of [ready.body, late.body]) {
      assert.ok(!text.includes(t.dataDir) && !text.includes('postgres') && !text.includes('sqlite'), text);
    }
    await t.jobs.runDue();
    assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'ready again once the job ran');
  });
});

describe('/metrics without METRICS_TOKEN: this machine only', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({}, { watchChanges: false });
  });
  after(() => t.close());

  test('a loopback caller gets the figures; a caller through a proxy or from elsewhere gets the 404 page', async () => {
    const local = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(local.statusCode, 200);
    assert.match(local.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
    assert.match(local.body, /^process_cpu_seconds_total /m);
    for (const headers of [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }]) {
      const proxied = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      assert.equal(proxied.statusCode, 404);
      assert.ok(!proxied.body.includes('process_cpu'), 'no figures');
    }
    const remote = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.7' });
    assert.equal(remote.statusCode, 404);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ METRICS_TOKEN: TOKEN, TRUST_PROXY: 'on' }, { watchChanges: false });
    await seedBasics(t.services);
  });
  after(() => t.close());

  const scrape = (authorization?: string) => t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.7', headers: authorization ? { authorization } : {} });
  const value = (body: string, line: string) => {
    const found = body.split('\n').find((l) => l.startsWith(`${line} `));
    return found === undefined ? undefined : Number(found.slice(line.length + 1));
  };

  test('without the token, or with a wrong one: 401 and no figures, from anywhere', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await scrape(authorization);
      assert.equal(res.statusCode, 401, String(authorization));
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="metrics"');
      assert.ok(!res.body.includes('bulletin_'), 'no figures');
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401, 'loopback needs the token too once one is set');
  });

  test('requests per route pattern, page cache, story events, jobs per lane, image work, alert deliveries, change feed, process', async () => {
    const story = await t.services.articles.save(storyInput());
    await t.services.articles.save({ ...storyInput(), headline: 'Council approves new flood barrier, again' }, { id: story.id, expectedVersion: story.version });
    const url = articlePath(story);
    assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 200);
    // Over a real socket the second request is a hit, answered before routing: counted by the cache, not the router.
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const hit = await fetch(address + url);
    assert.equal(hit.status, 200);
    assert.equal(hit.headers.get('x-cache'), 'HIT');
    assert.equal((await t.app.inject({ method: 'GET', url: '/no/such/page/here' })).statusCode, 404);
    await t.services.images.upload({ bytes: await sampleImage('jpeg', 400, 300), filename: 'pier.jpg' });

    const res = await scrape(`Bearer ${TOKEN}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.body;
    assert.equal(value(body, 'bulletin_http_requests_total{method="GET",route="/:section/:slug",status="200"}'), 1);
    assert.equal(value(body, 'bulletin_http_requests_total{method="GET",route="(no route)",status="404"}'), 1);
    assert.equal(value(body, 'bulletin_http_request_duration_seconds_count{method="GET",route="/:section/:slug"}'), 1);
    assert.equal(value(body, 'bulletin_page_cache_hits_total'), 1);
    assert.equal(value(body, 'bulletin_page_cache_misses_total'), 1);
    assert.ok(value(body, 'bulletin_page_cache_bytes')! > 1000);
    assert.equal(value(body, 'bulletin_page_cache_pages'), 1);
    assert.equal(value(body, 'bulletin_page_cache_evictions_total'), 0);
    assert.equal(value(body, 'bulletin_story_events_total{event="published"}'), 1);
    assert.equal(value(body, 'bulletin_story_events_total{event="updated"}'), 1);
    assert.equal(value(body, 'bulletin_jobs{lane="media",kind="media.image-avif",state="due"}'), 1);
    assert.equal(value(body, 'bulletin_jobs{lane="publishing",kind="articles.publish-scheduled",state="due"}'), 0);
    assert.ok(value(body, 'bulletin_job_oldest_due_seconds{lane="media",kind="media.image-avif"}')! >= 0);
    assert.equal(value(body, 'bulletin_image_processing_seconds_count{step="variants"}'), 1);
    assert.equal(value(body, 'bulletin_alert_deliveries_total{channel="email",outcome="sent"}'), 0);
    assert.equal(value(body, 'bulletin_alert_deliveries_queued{channel="push"}'), 0);
    assert.equal(value(body, 'bulletin_change_feed_lag_seconds'), 0);
    assert.match(body, /^nodejs_eventloop_lag_seconds /m);

    await t.jobs.runDue();
    const after = (await scrape(`Bearer ${TOKEN}`)).body;
    assert.equal(value(after, 'bulletin_jobs{lane="media",kind="media.image-avif",state="due"}'), 0);
    assert.equal(value(after, 'bulletin_job_run_seconds_count{kind="media.image-avif",lane="media",outcome="done"}'), 1);
    assert.equal(value(after, 'bulletin_image_processing_seconds_count{step="avif"}'), 1);
  });

  test('the request id: answered in X-Request-Id, recorded on the jobs the request queued; a trusted proxy’s id is kept', async () => {
    const { token } = await t.services.tokens.create('cli', { name: 'uploader', role: 'editor' });
    const upload = async (headers: Record<string, string>) => {
      const body = multipartBody([{ name: 'file', filename: 'quay.png', type: 'image/png', bytes: await sampleImage('png', 320, 200) }]);
      const res = await t.app.inject({ method: 'POST', url: '/api/admin/v1/media/images', payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${token}`, ...headers } });
      assert.equal(res.statusCode, 201, res.body);
      const job = (await t.jobs.list(IMAGE_AVIF.kind)).find((j) => (j.payload as { imageId: number }).imageId === (res.json() as { image: { id: number } }).image.id);
      return { id: res.headers['x-request-id'], job };
    };
    const own = await upload({});
    assert.match(String(own.id), /^[0-9a-f-]{36}$/);
    assert.equal(own.job?.requestId, own.id);
    const edge = await upload({ 'x-request-id': 'edge-4f1c2a9b' });
    assert.equal(edge.id, 'edge-4f1c2a9b');
    assert.equal(edge.job?.requestId, 'edge-4f1c2a9b');
    // Not an id we would log as given: a fresh one instead.
    const odd = await upload({ 'x-request-id': 'bad id with spaces' });
    assert.notEqual(odd.id, 'bad id with spaces');
    assert.equal(odd.job?.requestId, odd.id);
    // Work outside any request queues jobs without one.
    const direct = await t.services.images.upload({ bytes: await sampleImage('png', 320, 200), filename: 'cli.png' });
    assert.equal((await t.jobs.list(IMAGE_AVIF.kind)).find((j) => (j.payload as { imageId: number }).imageId === direct.id)?.requestId, null);
  });
});
