// A change that lands while a page is being rendered: the render in progress may show what
// changed, so requests after the change get a fresh render, not a share of the old one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { PageCache } from './page-cache.ts';
import { PageResponder } from './page-responder.ts';

test('requests after a change do not share a render that began before it', async () => {
  const responder = new PageResponder(new PageCache(1 << 20), {});
  const app = Fastify();
  let version = 'before';
  let renders = 0;
  let releaseFirst!: () => void;
  const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
  app.get('/story', (request, reply) =>
    responder.respond(request, reply, '/story', async () => {
      renders++;
      const shown = version;
      if (renders === 1) await firstMayFinish; // the first render is slow and read the old data
      return { body: `<p>${shown}</p>`, tags: ['article:1'] };
    }),
  );
  await app.ready();
  const early = app.inject('/story');
  while (renders === 0) await new Promise((resolve) => setImmediate(resolve));
  version = 'after';
  responder.invalidate(['article:1']);
  const late = await app.inject('/story');
  assert.equal(late.body, '<p>after</p>', 'the request after the change got a render of its own');
  releaseFirst();
  assert.equal((await early).body, '<p>before</p>');
  assert.equal((await app.inject('/story')).body, '<p>after</p>', 'and the old render was not stored');
  assert.equal(renders, 2);
  await app.close();
});
