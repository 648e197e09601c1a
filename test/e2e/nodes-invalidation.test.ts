// Page caches of several processes kept exact, with the change-log poll set to a minute so that
// only the immediate channel can explain a page changing at once: on PostgreSQL, two nodes (the
// built bundle, started together on a fresh schema: the migrations run once under their lock) hear
// each other's changes, and a third process's, through NOTIFY; on SQLite, WEB_PROCESSES=2 keeps
// both processes' caches exact through the cluster's primary.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { MIGRATIONS } from '../../migrations/_all.ts';
import { buildAppOnSite, testDatabaseUrl, testEnv, type TestApp } from '../helpers/build-test-app.ts';
import { startBuiltServer, type BuiltServer } from '../helpers/built-server.ts';
import { seedBasics, storyBody } from '../helpers/fixtures.ts';

const POLL_OFF = { CHANGE_POLL_MS: '60000' };

async function until(what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > 15_000) throw new Error(`not within 15 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Math.round(performance.now() - started);
}

/** One request on a connection of its own: the cluster hands each new connection to the next process. */
const page = (url: string) =>
  new Promise<{ status: number; body: string; cache: string | undefined }>((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cache: res.headers['x-cache'] as string | undefined }));
      })
      .on('error', reject);
  });

function adminApi(base: () => string, token: () => string) {
  return async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${base()}/api/admin/v1${path}`, { method, headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { article: { id: number; slug: string; version: number } } };
  };
}

describe('PostgreSQL: two nodes over one schema', { skip: testDatabaseUrl ? false : 'several nodes share one database only on PostgreSQL: this runs in the PostgreSQL run', timeout: 60_000 }, () => {
  let site: TestApp;
  let a: BuiltServer | undefined;
  let b: BuiltServer | undefined;
  let token = '';
  const api = adminApi(() => a!.url, () => token);

  before(async () => {
    const env = testEnv(POLL_OFF);
    // Both at once on a schema that does not exist yet: one creates it and migrates, the other waits its turn.
    [a, b] = await Promise.all([startBuiltServer({ ...env, NODE_ROLE: 'all' }), startBuiltServer({ ...env, NODE_ROLE: 'web' })]);
    site = await buildAppOnSite(env, { runJobs: false, watchChanges: false });
    await seedBasics(site.services);
    token = (await site.services.tokens.create('cli', { name: 'desk', role: 'editor' })).token;
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await site?.close();
  });

  test('started together on a fresh schema, both serve, and each migration ran once', async () => {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(site.database.db);
    assert.deepEqual(rows.map((r) => r.name).sort(), Object.keys(MIGRATIONS).sort());
    assert.equal((await fetch(`${b!.url}/national`)).status, 200);
  });

  test('a change on node A drops exactly that page on node B at once (NOTIFY; the poll is a minute away)', async () => {
    const created = await api('POST', '/articles', { headline: 'Bridge inspection due', section: 'national', body: storyBody(3), authors: ['ada-reporter'] });
    const { article } = (await api('POST', `/articles/${created.json.article.id}/publish`, { version: created.json.article.version })).json;
    const story = `${b!.url}/national/${article.slug}`;
    await until('node B to show the new story', async () => (await page(story)).status === 200);
    await page(story);
    assert.equal((await page(story)).cache, 'HIT', 'node B keeps the story in its page cache');
    const world = `${b!.url}/world`;
    await page(world);
    assert.equal((await page(world)).cache, 'HIT');

    const changed = await api('PATCH', `/articles/${article.id}`, { headline: 'Bridge inspection brought forward', version: article.version });
    assert.equal(changed.status, 200);
    const ms = await until('node B to show the new headline', async () => (await page(story)).body.includes('Bridge inspection brought forward'));
    console.log(`# node B showed node A's change ${ms} ms after A answered`);
    assert.equal((await page(world)).cache, 'HIT', 'a section the story is not in stays cached');
  });

  test('settings changed by a third process (the CLI, here the test) reach both nodes', async () => {
    await page(`${a!.url}/`);
    await page(`${b!.url}/`);
    await site.services.settings.update({ siteName: 'The Harbour Times' });
    for (const node of [a!, b!]) await until(`${node.url} to show the new name`, async () => (await page(`${node.url}/`)).body.includes('The Harbour Times'));
  });

  test('an alert sent on node A reaches a reader’s open banner stream on node B', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${b!.url}/alerts/live`, { signal: controller.signal });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    let received = '';
    const heard = (async () => {
      while (!received.includes('Ferry cancelled')) {
        const { value, done } = await reader.read();
        if (done) break;
        received += new TextDecoder().decode(value);
      }
    })();
    const sent = await fetch(`${a!.url}/api/admin/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Ferry cancelled', text: 'All crossings are off tonight.', url: '/national', sections: 'all' }),
    });
    assert.ok(sent.status === 201, `sent: ${sent.status}`);
    await Promise.race([heard, new Promise((_, reject) => setTimeout(() => reject(new Error(`no banner frame on node B: ${received}`)), 15_000))]);
    controller.abort();
    assert.match(received, /event: alert/);
  });
});

describe('SQLite: WEB_PROCESSES=2 on one port', { skip: testDatabaseUrl ? 'one SQLite file shared by a cluster: checked in the SQLite run' : false, timeout: 60_000 }, () => {
  let site: TestApp;
  let server: BuiltServer | undefined;
  let token = '';
  const api = adminApi(() => server!.url, () => token);

  before(async () => {
    const env = testEnv({ ...POLL_OFF, WEB_PROCESSES: '2' });
    site = await buildAppOnSite(env, { runJobs: false, watchChanges: false });
    await seedBasics(site.services);
    token = (await site.services.tokens.create('cli', { name: 'desk', role: 'editor' })).token;
    server = await startBuiltServer(env);
  });
  after(async () => {
    await server?.stop();
    await site?.close();
  });

  test('a change made through one process drops the page in both (the primary relays it; the poll is a minute away)', async () => {
    const created = await api('POST', '/articles', { headline: 'Tram line opens', section: 'national', body: storyBody(3), authors: ['ada-reporter'] });
    const { article } = (await api('POST', `/articles/${created.json.article.id}/publish`, { version: created.json.article.version })).json;
    const story = `${server!.url}/national/${article.slug}`;
    // Requests alternate between the two processes: after a few, both hold the page. The jobs the
    // publish queued (its Related Articles) may drop it once more, so look until four HITs in a row.
    const warm: Awaited<ReturnType<typeof page>>[] = [];
    const settled = () => warm.length >= 4 && warm.slice(-4).every((p) => p.cache === 'HIT');
    for (let i = 0; i < 40 && !settled(); i++) {
      warm.push(await page(story));
      if (i >= 6) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(settled() && warm.slice(-4).every((p) => p.body.includes('Tram line opens')), JSON.stringify(warm.map((p) => p.cache)));

    const changed = await api('PATCH', `/articles/${article.id}`, { headline: 'Tram line opens early', version: article.version });
    assert.equal(changed.status, 200);
    await until('the new headline', async () => (await page(story)).body.includes('Tram line opens early'));
    for (let i = 0; i < 6; i++) assert.match((await page(story)).body, /Tram line opens early/, `request ${i + 1} after the change`);
  });

  test('SIGTERM stops both processes and the primary cleanly', async () => {
    await server!.stop();
    assert.equal(server!.exitCode(), 0);
    await assert.rejects(fetch(`${server!.url}/national`));
  });
});
