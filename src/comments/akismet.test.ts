// The Akismet-compatible check, only when configured: against a local HTTP server that speaks the
// comment-check protocol (form-encoded POST, `true`/`false`, `X-akismet-pro-tip: discard`). A
// `true` sends the comment to spam (reason "akismet"); `false` leaves the local decision; a timeout,
// an error or nonsense never loses the comment (the local decision, "akismet unavailable"). Without
// AKISMET_KEY nothing is ever sent.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import type { Article } from '../articles/model.ts';

let server: http.Server;
let url: string;
const received: URLSearchParams[] = [];
let now = new Date('2026-12-02T09:00:00Z');
let n = 0;

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      received.push(form);
      const text = form.get('comment_content') ?? '';
      if (req.url !== '/1.1/comment-check' || req.method !== 'POST' || !/form-urlencoded/.test(req.headers['content-type'] ?? '')) return void res.writeHead(404).end('invalid');
      if (text.includes('blatant')) return void res.writeHead(200, { 'x-akismet-pro-tip': 'discard' }).end('true');
      if (text.includes('spammy')) return void res.writeHead(200).end('true');
      if (text.includes('broken')) return void res.writeHead(500).end('oops');
      if (text.includes('nonsense')) return void res.writeHead(200, { 'x-akismet-debug-help': 'We were unable to parse your blog URI' }).end('invalid');
      if (text.includes('slow')) return void setTimeout(() => res.writeHead(200).end('true'), 4000).unref();
      res.writeHead(200).end('false');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function site(env: Record<string, string>): Promise<{ t: TestApp; story: Article }> {
  const t = await buildTestApp(env, { clock: { now: () => now } });
  await seedBasics(t.services);
  return { t, story: await t.services.articles.save(storyInput()) };
}

/** Posts the form as the script does (JSON), from its own address; returns the stored comment. */
async function post(t: TestApp, story: Article, text: string, headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 Test', referer: 'http://news.test/national/x' }) {
  const token = await t.services.comments.comments.formToken(story.id);
  now = new Date(now.getTime() + 4000);
  const i = ++n;
  const payload = new URLSearchParams({ comment: text, author: `Reader ${i}`, email: `reader${i}@example.com`, url: '', comment_post_ID: String(story.id), comment_parent: '0', comment_token: token }).toString();
  const res = await t.app.inject({ method: 'POST', url: '/comments', payload, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers }, remoteAddress: `198.51.100.${i}` });
  assert.equal(res.statusCode, 201, res.body);
  return t.services.comments.moderation.get(res.json().id as number);
}

test('configured: spam by its word goes to spam ("akismet"), the protocol as Akismet reads it', async () => {
  const { t, story } = await site({ AKISMET_KEY: 'k3y', AKISMET_URL: url });
  try {
    const before = received.length;
    const spam = await post(t, story, 'A spammy comment about the barrier, nothing else.');
    assert.equal(spam.status, 'spam');
    assert.deepEqual(spam.reasons, ['akismet']);
    const form = received[before]!;
    assert.equal(form.get('api_key'), 'k3y');
    assert.equal(form.get('blog'), 'http://news.test');
    assert.equal(form.get('user_ip'), `198.51.100.${n}`);
    assert.equal(form.get('user_agent'), 'Mozilla/5.0 Test');
    assert.equal(form.get('referrer'), 'http://news.test/national/x');
    assert.equal(form.get('permalink'), `http://news.test/national/${story.slug}`);
    assert.equal(form.get('comment_type'), 'comment');
    assert.equal(form.get('comment_author_email'), `reader${n}@example.com`);
    const blatant = await post(t, story, 'A blatant one.');
    assert.equal(blatant.status, 'spam');
    assert.deepEqual(blatant.reasons, ['akismet', 'akismet: blatant (discard)']);
    const fine = await post(t, story, 'A fair question: who maintains the barrier?');
    assert.equal(fine.status, 'pending');
    assert.deepEqual(fine.reasons, ['first comment'], '"false" leaves the local decision as it was');
    const noHeaders = await post(t, story, 'Another spammy one, without headers.', {});
    assert.equal(noHeaders.status, 'spam', 'a missing User-Agent or Referer skips nothing');
    assert.equal(received.at(-1)!.get('referrer'), '');
  } finally {
    await t.close();
  }
});

test('configured: a timeout, an error or nonsense never loses the comment; the local decision stands, with the reason', async () => {
  const { t, story } = await site({ AKISMET_KEY: 'k3y', AKISMET_URL: url });
  try {
    for (const text of ['This one is broken on their side.', 'This one gets nonsense back.', 'This one is slow to answer.']) {
      const comment = await post(t, story, text);
      assert.equal(comment.status, 'pending', text);
      assert.deepEqual(comment.reasons, ['first comment', 'akismet unavailable'], text);
    }
  } finally {
    await t.close();
  }
  const { t: down, story: other } = await site({ AKISMET_KEY: 'k3y', AKISMET_URL: 'http://127.0.0.1:9' });
  try {
    const comment = await post(down, other, 'Nobody listens on port 9.');
    assert.deepEqual(comment.reasons, ['first comment', 'akismet unavailable']);
  } finally {
    await down.close();
  }
});

test('not configured (the default): nothing is sent anywhere', async () => {
  const { t, story } = await site({ AKISMET_URL: url });
  try {
    const before = received.length;
    const comment = await post(t, story, 'A spammy comment nobody outside sees.');
    assert.equal(comment.status, 'pending');
    assert.equal(received.length, before);
  } finally {
    await t.close();
  }
});

test('a bad AKISMET_URL is a configuration error', async () => {
  await assert.rejects(buildTestApp({ AKISMET_KEY: 'k', AKISMET_URL: 'ftp://x' }), /AKISMET_URL must be an http\(s\) URL/);
});
