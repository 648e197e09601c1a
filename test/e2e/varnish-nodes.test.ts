// Several nodes behind a real Varnish, on PostgreSQL: two web nodes (NODE_ROLE=web, the build
// `npm start` runs) and one worker (NODE_ROLE=worker, which sends the purges), Debian's varnishd
// with deploy/varnish/bulletin.vcl in front. Pages are kept by Varnish for a day (a purger is
// configured), so only a purge can make a change show: a story published through the Admin API on
// node A shows on its page, the front and its section through Varnish; taken down, it is gone; and
// with both web nodes stopped, Varnish keeps serving pages past their lifetime (stale-if-error).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildAppOnSite, testDatabaseUrl, testEnv, type TestApp } from '../helpers/build-test-app.ts';
import { freePort, startBuiltServer, type BuiltServer } from '../helpers/built-server.ts';
import { seedBasics, storyBody } from '../helpers/fixtures.ts';
import { startVarnish, type Varnish } from '../helpers/varnish.ts';

const skip = testDatabaseUrl ? false : 'several nodes share one database only on PostgreSQL: this runs in the PostgreSQL run (TEST_DATABASE_URL)';

describe('two web nodes and a worker behind Varnish', { skip, timeout: 60_000 }, () => {
  let site: TestApp;
  let varnish: Varnish | undefined;
  let nodeA: BuiltServer | undefined;
  let nodeB: BuiltServer | undefined;
  let worker: BuiltServer | undefined;
  let token: string;

  before(async () => {
    // The purge address is Varnish's, known only once it runs; the nodes start after it.
    const env = testEnv({ CHANGE_POLL_MS: '500' });
    site = await buildAppOnSite(env, { runJobs: false, watchChanges: false });
    await seedBasics(site.services);
    token = (await site.services.tokens.create('cli', { name: 'desk', role: 'editor' })).token;
    const ports = [await freePort(), await freePort()];
    varnish = await startVarnish(ports.map((port) => `http://127.0.0.1:${port}`));
    const nodeEnv = { ...env, PURGE_URL: `${varnish.url}/` };
    [nodeA, nodeB, worker] = await Promise.all([
      startBuiltServer({ ...nodeEnv, NODE_ROLE: 'web', PORT: String(ports[0]) }),
      startBuiltServer({ ...nodeEnv, NODE_ROLE: 'web', PORT: String(ports[1]) }),
      startBuiltServer({ ...nodeEnv, NODE_ROLE: 'worker' }, { readyPath: '/healthz' }),
    ]);
    await varnish.untilServing();
  });
  after(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop(), worker?.stop()]);
    await varnish?.stop();
    await site?.close();
  });

  const viaVarnish = async (path: string) => {
    const res = await fetch(`${varnish!.url}${path}`);
    return { status: res.status, body: await res.text(), cache: res.headers.get('x-varnish-cache'), age: Number(res.headers.get('age') ?? 0) };
  };
  /** Asks Varnish until `check` holds; returns how long that took (reported, not asserted: the machine is shared). */
  const until = async (what: string, check: () => Promise<boolean>) => {
    const started = performance.now();
    while (!(await check())) {
      if (performance.now() - started > 15_000) throw new Error(`not within 15 s: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return Math.round(performance.now() - started);
  };
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${nodeA!.url}/api/admin/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('the worker serves only health; web nodes serve pages', async () => {
    assert.equal((await fetch(`${worker!.url}/healthz`)).status, 200);
    assert.deepEqual(await (await fetch(`${worker!.url}/healthz`)).json(), { status: 'ok', role: 'worker' });
    assert.equal((await fetch(`${worker!.url}/national`)).status, 404, 'no pages on a worker');
    assert.equal((await fetch(`${worker!.url}/api/admin/v1/articles`, { headers: { authorization: `Bearer ${token}` } })).status, 404, 'no API on a worker');
    assert.equal((await fetch(`${nodeA!.url}/national`)).status, 200);
  });

  test('published on node A: the story, the front and the section show it through Varnish; taken down, it is gone', async () => {
    // Warm Varnish: the front and the section are served from its cache before the change.
    for (const path of ['/', '/national']) {
      await viaVarnish(path);
      const again = await viaVarnish(path);
      assert.equal(again.cache, 'HIT', `${path} comes from Varnish`);
    }
    const headline = `Harbour reopens ${Date.now()}`;
    const created = await api('POST', '/articles', { headline, section: 'national', body: storyBody(4), authors: ['ada-reporter'] });
    assert.equal(created.status, 201);
    const { article } = (await created.json()) as { article: { id: number; slug: string; version: number } };
    // The story's address is asked for before it is published, as readers following a tip might.
    assert.equal((await viaVarnish(`/national/${article.slug}`)).status, 404);

    const published = await api('POST', `/articles/${article.id}/publish`, { version: article.version });
    assert.equal(published.status, 200);
    const times = {
      story: await until('the story page', async () => (await viaVarnish(`/national/${article.slug}`)).body.includes(headline)),
      front: await until('the front', async () => (await viaVarnish('/')).body.includes(headline)),
      section: await until('the section', async () => (await viaVarnish('/national')).body.includes(headline)),
    };
    // The worker's related-stories job after a publish records the story's `related:<id>` tag when
    // it finishes, which purges the page once more; after that Varnish keeps it. A first view quicker than
    // those jobs can fall before the last purge, so the keeping is waited for, within 1 s.
    const kept = await until('Varnish to keep the new page', async () => (await viaVarnish(`/national/${article.slug}`)).cache === 'HIT');
    assert.ok(kept < 1000, `and Varnish keeps the new page (after ${kept} ms)`);

    const taken = await api('POST', `/articles/${article.id}/unpublish`, {});
    assert.equal(taken.status, 200);
    const gone = {
      story: await until('the story to be gone', async () => (await viaVarnish(`/national/${article.slug}`)).status === 410),
      front: await until('the front without it', async () => !(await viaVarnish('/')).body.includes(headline)),
      section: await until('the section without it', async () => !(await viaVarnish('/national')).body.includes(headline)),
    };
    console.log(`# through Varnish, ms waited for each page in turn after the Admin API answered: published ${JSON.stringify(times)}; taken down ${JSON.stringify(gone)}`);
  });

  test('both web nodes stopped: Varnish serves the pages it has, stale, rather than an error', async () => {
    for (const path of ['/', '/national']) assert.equal((await viaVarnish(path)).status, 200);
    const front = await viaVarnish('/');
    const keys = new Set<string>();
    for (const path of ['/', '/national']) for (const key of String((await fetch(`${nodeA!.url}${path}`)).headers.get('surrogate-key')).split(' ')) keys.add(key);
    await Promise.all([nodeA!.stop(), nodeB!.stop()]);
    assert.equal(nodeA!.exitCode(), 0, 'node A stopped cleanly on SIGTERM');
    // Past their lifetime (a soft purge expires them and keeps them for grace), with no node to refresh them.
    const soft = await fetch(`${varnish!.url}/`, { method: 'PURGE', headers: { 'xkey-softpurge': [...keys].join(' ') } });
    assert.equal(soft.status, 200);
    assert.ok(Number(/Purged (\d+)/.exec(await soft.text())?.[1]) >= 2, 'both pages are now past their lifetime');
    await until('Varnish to see both nodes down', async () => (await fetch(`${varnish!.url}/newsroom`)).status >= 500);
    for (const path of ['/', '/national']) {
      const page = await viaVarnish(path);
      assert.equal(page.status, 200, `${path} still served`);
      assert.match(page.body, /<html/);
    }
    assert.equal((await viaVarnish('/')).body, front.body, 'the same page as before the nodes went');
  });
});
