// The commenter's email and address never reach anything public: every reader page, feed and
// sitemap, the story's JSON-LD, the comment pages, and the answers to bad posts (JSON and HTML
// messages) are walked for them, with the comment approved, held, and replied to.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';

const EMAIL = 'private.person@example.org';
const IP = '198.51.100.77';
let t: TestApp;
const urls: string[] = [];

before(async () => {
  t = await buildTestApp();
  await seedBasics(t.services);
  const story = await t.services.articles.save(storyInput({ headline: 'A story with comments' }));
  const tokens = await Promise.all([0, 1, 2].map(() => t.services.comments.comments.formToken(story.id)));
  await sleep(3100);
  const post = (text: string, token: string, parentId: number | null = null) =>
    t.services.comments.comments.post({ articleId: story.id, parentId, text, authorName: 'Private Person', email: EMAIL, url: 'https://person.example.org', token, honeypot: '' }, IP);
  const first = await post('A first, approved comment.', tokens[0]!);
  assert.equal(first.kind, 'stored');
  const firstId = first.kind === 'stored' ? first.id : 0;
  await t.services.comments.moderation.move(firstId, 'approve', { kind: 'user', id: 1, role: 'moderator', name: 'Mo' });
  const reply = await post('A reply, approved at once (returning commenter).', tokens[1]!, firstId);
  const held = await post('Held: http://a.example http://b.example', tokens[2]!);
  assert.ok(reply.kind === 'stored' && held.kind === 'stored');
  const storyPath = `/${story.section.slug}/${story.slug}`;
  urls.push(
    '/', '/national', '/author/ada-reporter', '/topic/flooding', storyPath, '/feed.xml', '/national/feed.xml',
    '/sitemap.xml', '/sitemap-news.xml', '/sitemap-sections.xml', '/sitemap-stories-0.xml', '/robots.txt',
    `/comments/reply/${firstId}`, `/comments/more/${story.id}?after=1`, `/comments/token?article=${story.id}`,
    `${storyPath}?unapproved=${held.kind === 'stored' ? held.id : 0}&moderation-hash=forged`, '/no-such-page', '/comments/reply/999999',
  );
});
after(() => t.close());

test('no public page, feed, sitemap or JSON-LD carries the email or the address', async () => {
  for (const url of urls) {
    const res = await t.app.inject(url);
    assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
    assert.ok(!res.body.toLowerCase().includes(EMAIL), `${url} shows the email`);
    assert.ok(!res.body.includes(IP), `${url} shows the address`);
    assert.ok(!res.body.includes('private.person'), `${url} shows part of the email`);
  }
  const story = await t.app.inject(urls[4]!);
  assert.match(story.body, /A first, approved comment\./);
  assert.match(story.body, /A reply, approved at once/);
  assert.match(story.body, /Private Person/);
});

test('refusals never repeat the email or address in their messages', async () => {
  const fields = { comment: 'x'.repeat(6000), author: 'Private Person', email: EMAIL, comment_post_ID: '1', comment_parent: '0' };
  const json = await t.app.inject({ method: 'POST', url: '/comments', remoteAddress: IP, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: new URLSearchParams(fields).toString() });
  assert.equal(json.statusCode, 400);
  assert.ok(!json.body.includes(EMAIL) && !json.body.includes(IP));
  const bad = { ...fields, comment: 'ok', email: `${EMAIL}\r\nBcc: x@example.com` };
  const refused = await t.app.inject({ method: 'POST', url: '/comments', remoteAddress: IP, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: new URLSearchParams(bad).toString() });
  assert.ok(!refused.body.includes(EMAIL));
  // The HTML answer gives the reader their own form back (never cached), and its messages name no address.
  const html = await t.app.inject({ method: 'POST', url: '/comments', remoteAddress: IP, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  assert.equal(html.headers['cache-control'], 'no-store');
  const messages = /<div class="comment-errors"[\s\S]*?<\/div>/.exec(html.body)?.[0] ?? '';
  assert.ok(messages.length > 0);
  assert.ok(!messages.includes(EMAIL) && !html.body.includes(IP));
});
