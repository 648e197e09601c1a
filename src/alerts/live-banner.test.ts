// The live "Breaking" banner's server side over real sockets, on two nodes sharing one database:
// an alert sent on one reaches open streams on both (the other through the change-log poll), new
// page loads find it in a short-lived JSON, cached pages never carry it, and it expires.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { buildApp, type BulletinApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';

let now = new Date('2026-12-02T08:00:00Z');
const clock = { now: () => now };
let one: TestApp;
let two: BulletinApp;
const urls: string[] = [];

before(async () => {
  one = await buildTestApp({}, { clock });
  await seedBasics(one.services);
  // A second node over the same site, as another server behind the same proxy.
  two = await buildApp(loadConfig({ ...one.env, LIVE_STREAMS_MAX: '1' }, one.env.DATA_DIR), { clock, runJobs: false });
  for (const node of [one.app, two.app]) {
    await node.listen({ host: '127.0.0.1', port: 0 });
    urls.push(`http://127.0.0.1:${(node.server.address() as AddressInfo).port}`);
  }
});
after(async () => {
  await two.close();
  await one.close();
});

/** An open event stream, collecting `event: alert` frames as they come. */
function openStream(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; events: unknown[]; next(): Promise<unknown>; close(): void; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}/alerts/live`, (res) => {
      const events: unknown[] = [];
      const waiting: ((e: unknown) => void)[] = [];
      let buffer = '';
      const stream = {
        status: res.statusCode!,
        headers: res.headers,
        events,
        body: '',
        next: () => new Promise<unknown>((r) => (events.length > stream.taken ? r(events[stream.taken++]) : waiting.push((e) => (stream.taken++, r(e))))),
        taken: 0,
        close: () => request.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        stream.body += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!/^event: alert$/m.test(frame)) continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as unknown;
          events.push(data);
          waiting.shift()?.(data);
        }
      });
      // The status line and headers are what the caller waits for; events follow.
      setImmediate(() => resolve(stream));
    });
    request.on('error', reject);
  });
}

async function json(url: string) {
  const res = await fetch(url);
  return { status: res.status, cacheControl: res.headers.get('cache-control'), body: (await res.json()) as { alert: Record<string, unknown> | null } };
}

test('an alert sent on one node reaches open streams on both; new page loads find it; it never enters a cached page', async () => {
  const story = await one.services.articles.save(storyInput({ headline: 'Harbour bridge closes after crash' }));
  const storyUrl = `/national/${story.slug}`;
  const page = await fetch(urls[0] + storyUrl);
  assert.match(await page.text(), /<script type="module" src="\/assets\/breaking-banner-[^"]+\.js"><\/script>/, 'every reader page loads the banner script');
  assert.deepEqual((await json(`${urls[0]}/alerts/latest.json`)).body, { alert: null });

  const here = await openStream(urls[0]!);
  const there = await openStream(urls[1]!);
  for (const stream of [here, there]) {
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.equal(stream.headers['cache-control'], 'no-store');
  }

  const { alert } = await one.services.alerts.send(await one.services.alerts.check({ title: 'Harbour bridge closed', text: 'A crash closed the bridge both ways.', articleId: story.id, sections: ['national'] }), { by: 'cli' });
  const [seenHere, seenThere] = await Promise.all([here.next(), there.next()]);
  const expected = { id: alert.id, title: 'Harbour bridge closed', text: 'A crash closed the bridge both ways.', url: storyUrl, sentAt: alert.createdAt, expiresAt: new Date(now.getTime() + 60 * 60_000).toISOString() };
  assert.deepEqual(seenHere, expected);
  assert.deepEqual(seenThere, expected, 'the other node heard of it through the change log');
  assert.doesNotMatch(here.body + there.body, /national"\]|cli/, 'nothing about the audience or the sender');

  const latest = await json(`${urls[1]}/alerts/latest.json`);
  assert.deepEqual(latest.body, { alert: expected });
  assert.equal(latest.cacheControl, 'public, max-age=5');
  const again = await fetch(urls[0] + storyUrl);
  assert.equal(again.headers.get('x-cache'), 'HIT', 'the story page stayed cached');
  assert.doesNotMatch(await again.text(), /Harbour bridge closed/, 'the alert is not baked into the page');

  // A page loaded now: its stream starts with the fresh alert; a browser reconnecting with it as
  // its Last-Event-ID is not sent it again.
  const late = await openStream(urls[0]!);
  assert.deepEqual(await late.next(), expected);
  late.close();
  const reconnected = await new Promise<string>((resolve) => {
    http.get(`${urls[0]}/alerts/live`, { headers: { 'last-event-id': String(alert.id) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      setTimeout(() => (res.destroy(), resolve(body)), 300);
    });
  });
  assert.doesNotMatch(reconnected, /event: alert/);

  // The same notice again (a poll that sees the row a second time) sends nothing new.
  one.services.changes.applied({ id: null, tags: ['alerts:sent'] });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(here.events.length, 1);
  now = new Date(now.getTime() + 61 * 60_000);
  assert.deepEqual((await json(`${urls[0]}/alerts/latest.json`)).body, { alert: null }, 'expired after ALERT_BANNER_MINUTES');
  here.close();
  there.close();
});

test('a node at its LIVE_STREAMS_MAX answers 503 with Retry-After; a closed stream frees its place', async () => {
  const first = await openUntilAdmitted(urls[1]!);
  const refused = await fetch(`${urls[1]}/alerts/live`);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '30');
  assert.deepEqual(((await refused.json()) as { errors: { code: string }[] }).errors.map((e) => e.code), ['busy']);
  first.close();
  (await openUntilAdmitted(urls[1]!)).close();
});

/** A stream on a node whose one place is being freed (the server sees a client leave a moment later). */
async function openUntilAdmitted(url: string) {
  for (let i = 0; ; i++) {
    const stream = await openStream(url);
    if (stream.status === 200 || i === 50) return (assert.equal(stream.status, 200), stream);
    stream.close();
    await new Promise((r) => setTimeout(r, 20));
  }
}
