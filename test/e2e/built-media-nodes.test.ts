// The built bundle (as `npm start` runs it) as two web nodes over one database, their media in an
// S3-compatible bucket (s3rver, test/helpers/s3-server.ts): an image uploaded through a third
// process is served by both nodes with the same bytes; each node is ready (database, schema, jobs,
// the bucket: the S3 client loads from node_modules beside the bundle) and shows its metrics to a
// scraper with the token only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildAppOnSite, testEnv, type TestApp } from '../helpers/build-test-app.ts';
import { startBuiltServer, type BuiltServer } from '../helpers/built-server.ts';
import { startS3Server, type S3Server } from '../helpers/s3-server.ts';
import { sampleImage } from '../../src/media/image-test-samples.ts';

const TOKEN = 'built-metrics-token-0123';

describe('two built nodes, one bucket', { timeout: 180_000 }, () => {
  let s3: S3Server;
  let site: TestApp;
  const nodes: BuiltServer[] = [];

  before(async () => {
    s3 = await startS3Server();
    const env = testEnv({ ...s3.env(`built-${process.pid}`), METRICS_TOKEN: TOKEN, LOG_LEVEL: 'warn' });
    // The site's own process (as a CLI would be) migrates the database and uploads.
    site = await buildAppOnSite(env, { watchChanges: false });
    for (let i = 0; i < 2; i++) nodes.push(await startBuiltServer(env));
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await site.close();
    await s3.close();
  });

  test('an upload is served by every node, whole and in ranges; both are ready; metrics need the token', async () => {
    const image = await site.services.images.upload({ bytes: await sampleImage('jpeg', 700, 400), filename: 'shared.jpg' });
    const expected = (await site.services.images.files.store.read(`images/${image.folder}/w640.webp`))!;
    for (const node of nodes) {
      const url = `${node.url}/media/images/${image.folder}/w640.webp`;
      const whole = await fetch(url);
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), 'image/webp');
      assert.deepEqual(Buffer.from(await whole.arrayBuffer()), expected);
      const part = await fetch(url, { headers: { range: 'bytes=0-99' } });
      assert.equal(part.status, 206);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), expected.subarray(0, 100));

      const ready = await fetch(`${node.url}/readyz`);
      assert.equal(ready.status, 200, await ready.clone().text());
      assert.equal(((await ready.json()) as { checks: { media: { ok: boolean } } }).checks.media.ok, true);
      assert.equal((await fetch(`${node.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${node.url}/metrics`)).status, 401);
      const metrics = await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /^bulletin_http_requests_total\{method="GET",route="\/media\/images\/\*",status="200"\} 1$/m);
    }
    for (const node of nodes) assert.doesNotMatch(node.stderr(), /"level":(50|60)/, 'no errors logged');
  });
});
