// The comment form end to end through the real app (SQLite, or PostgreSQL with TEST_DATABASE_URL):
// posting without JavaScript (the check step, then the post), the author's view of a held comment,
// a returning commenter approved at once, and every bad input refused with nothing stored.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { systemClock, type Clock } from '../platform/clock.ts';

let t: TestApp;
let storyId: number;
let storyPath: string;
let offset = 0;
const clock: Clock = { now: () => new Date(systemClock.now().getTime() + offset) };
let ipCounter = 0;

before(async () => {
  t = await buildTestApp({}, { clock });
  await seedBasics(t.services);
  const story = await t.services.articles.save(storyInput());
  storyId = story.id;
  storyPath = `/${story.section.slug}/${story.slug}`;
});
after(() => t.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
/** A new reader's address for each test, so rate limits of one test do not reach the next. */
const nextIp = () => `203.0.113.${++ipCounter}`;

async function tokenFor(articleId = storyId): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: `/comments/token?article=${articleId}` });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  return (res.json() as { token: string }).token;
}

async function post(fields: Record<string, string>, options: { ip?: string; json?: boolean } = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/comments',
    remoteAddress: options.ip ?? nextIp(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.json && { accept: 'application/json' }) },
    payload: form(fields),
  });
}

const valid = (overrides: Record<string, string> = {}) => ({
  comment: 'The barrier should have been built years ago.',
  author: 'Margaret Reader',
  email: `reader${++ipCounter}@example.com`,
  url: '',
  comment_post_ID: String(storyId),
  comment_parent: '0',
  ...overrides,
});

async function countComments(): Promise<number> {
  return (await t.services.comments.moderation.queue({ limit: 1000 })).length;
}

/** Waits past the token's minimum age (the clock is the app's). */
function later(ms = 4000) {
  offset += ms;
}

test('the story page shows the form with WordPress field names, and no comments yet', async () => {
  const res = await t.app.inject({ method: 'GET', url: storyPath });
  assert.equal(res.statusCode, 200);
  for (const text of ['Leave a Reply', 'Your email address will not be published.', 'Required fields are marked', 'Post Comment', 'Save my name, email, and website in this browser for the next time I comment.']) {
    assert.ok(res.body.includes(text), text);
  }
  for (const name of ['comment', 'author', 'email', 'url', 'comment_parent', 'comment_post_ID']) assert.match(res.body, new RegExp(`name="${name}"`));
  assert.match(res.body, /No Comments/);
});

test('without JavaScript: the first post shows the check step, the second stores it held, and only its author sees it', async () => {
  const ip = nextIp();
  const first = await post(valid({ comment: 'First time here. Good story.', email: 'margaret@example.com' }), { ip });
  assert.equal(first.statusCode, 200);
  assert.match(first.body, /Check your comment/);
  assert.equal(await countComments(), 0, 'nothing stored at the check step');
  const token = /name="comment_token" id="comment_token" value="([^"]+)"/.exec(first.body)?.[1];
  assert.ok(token);
  later();
  const second = await post(valid({ comment: 'First time here. Good story.', email: 'margaret@example.com', comment_token: token }), { ip });
  assert.equal(second.statusCode, 303, second.body);
  const location = String(second.headers.location);
  assert.match(location, new RegExp(`^${storyPath}\\?unapproved=\\d+&moderation-hash=[^&#]+#comment-\\d+$`));
  const mine = await t.app.inject({ method: 'GET', url: location.split('#')[0]! });
  assert.equal(mine.headers['cache-control'], 'no-store');
  assert.match(mine.body, /Your comment is awaiting moderation/);
  assert.match(mine.body, /First time here\. Good story\./);
  const everyone = await t.app.inject({ method: 'GET', url: storyPath });
  assert.doesNotMatch(everyone.body, /awaiting moderation/);
  assert.doesNotMatch(everyone.body, /First time here/);
  const forged = await t.app.inject({ method: 'GET', url: location.split('#')[0]!.replace(/moderation-hash=[^&]+/, 'moderation-hash=abc.def') });
  assert.doesNotMatch(forged.body, /First time here/);
  const [stored] = await t.services.comments.moderation.queue({ status: 'pending', limit: 5 });
  assert.deepEqual(stored!.reasons, ['first comment']);
});

test('a returning commenter (same email and name, approved before) appears at once, for everyone', async () => {
  const [held] = await t.services.comments.moderation.queue({ status: 'pending', limit: 1 });
  const moderator = { kind: 'user' as const, id: 1, role: 'moderator' as const, name: 'Mo' };
  await t.services.comments.moderation.move(held!.id, 'approve', moderator);
  const page = await t.app.inject({ method: 'GET', url: storyPath });
  assert.match(page.body, /1 Comment</);
  const token = await tokenFor();
  later();
  const res = await post(valid({ comment: 'Me again, with a second thought.', email: 'margaret@example.com', comment_token: token }), { json: true });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json() as { id: number; status: string; location: string };
  assert.equal(body.status, 'approved');
  const after = await t.app.inject({ method: 'GET', url: storyPath });
  assert.match(after.body, /2 Comments/);
  assert.match(after.body, new RegExp(`id="comment-${body.id}"`));
  assert.ok(!after.body.includes('margaret@example.com'), 'the email is never shown');
});

test('every bad input is refused with its message, and nothing is stored', async () => {
  const before = await countComments();
  const cases: [string, Record<string, string>, RegExp][] = [
    ['no comment', valid({ comment: '' }), /Please type your comment/],
    ['no name', valid({ author: '' }), /Please enter your name/],
    ['no email', valid({ email: '' }), /Please enter your email address/],
    ['invalid email', valid({ email: 'not-an-email' }), /valid email address/],
    ['100 KB comment', valid({ comment: 'x'.repeat(100_000) }), /too long: at most 5,000 characters/],
    ['name with a header break', valid({ author: 'Eve\r\nBcc: all@example.com' }), /line breaks/],
    ['email with a header break', valid({ email: 'eve@example.com\r\nBcc: x@example.com' }), /valid email address/],
    ['javascript: website', valid({ url: 'javascript:alert(1)' }), /http:\/\/ or https:\/\//],
    ['long website', valid({ url: `https://example.com/${'a'.repeat(250)}` }), /at most 200 characters/],
    ['long name', valid({ author: 'n'.repeat(101) }), /at most 100 characters/],
  ];
  for (const [label, fields, message] of cases) {
    const res = await post(fields, { json: true });
    assert.equal(res.statusCode, 400, label);
    const errors = (res.json() as { errors: { code: string; message: string }[] }).errors;
    assert.ok(errors.some((e) => message.test(e.message)), `${label}: ${JSON.stringify(errors)}`);
    assert.ok(!res.body.includes('Bcc'), `${label}: input is not echoed`);
    const html = await post(fields);
    assert.equal(html.statusCode, 400, `${label} (form)`);
    assert.doesNotMatch(html.body, /<script>|at Object\.|node_modules/);
  }
  assert.equal(await countComments(), before);
});

test('form tokens: forged, reused, too fast, expired and another story’s are refused', async () => {
  const before = await countComments();
  const expectRefused = async (fields: Record<string, string>, message: RegExp, label: string) => {
    const res = await post(fields, { json: true });
    assert.equal(res.statusCode, 400, `${label}: ${res.body}`);
    const errors = (res.json() as { errors: { field?: string; message: string }[] }).errors;
    assert.equal(errors[0]!.field, 'comment_token', label);
    assert.match(errors[0]!.message, message, label);
  };
  const fresh = await tokenFor();
  await expectRefused(valid({ comment: 'Too quick to be a person.', comment_token: fresh }), /very fast/, 'too fast');
  await expectRefused(valid({ comment: 'Forged.', comment_token: `${fresh.split('.')[0]}.AAAA` }), /not valid/, 'forged');
  await expectRefused(valid({ comment: 'Garbage.', comment_token: 'garbage' }), /not valid/, 'garbage');
  later();
  const ok = await post(valid({ author: 'Ravi', email: 'ravi@example.com', comment: 'Using my token once.', comment_token: fresh }), { json: true });
  assert.equal(ok.statusCode, 201, ok.body);
  await expectRefused(valid({ author: 'Ravi', email: 'ravi@example.com', comment: 'And again.', comment_token: fresh }), /already used/, 'reused');
  const old = await tokenFor();
  later(3 * 3600_000);
  await expectRefused(valid({ comment: 'Much later.', comment_token: old }), /expired/, 'expired');
  const other = await t.services.articles.save(storyInput({ headline: 'Another story entirely' }));
  const otherToken = await tokenFor(other.id);
  later();
  await expectRefused(valid({ comment: 'Wrong story.', comment_token: otherToken }), /another story/, 'other story');
  assert.equal(await countComments(), before + 1);
});

test('the honeypot filled: answered as if held, nothing stored', async () => {
  const before = await countComments();
  const token = await tokenFor();
  later();
  const res = await post(valid({ comment: 'I am a robot.', fax: 'http://spam.example', comment_token: token }));
  assert.equal(res.statusCode, 303);
  assert.equal(await countComments(), before);
});

test('closed, unpublished and unknown stories take no comments', async () => {
  const closed = await t.services.articles.save(storyInput({ headline: 'Closed for comments' }));
  await t.services.comments.comments.setOpen(closed.id, false);
  const page = await t.app.inject({ method: 'GET', url: `/${closed.section.slug}/${closed.slug}` });
  assert.match(page.body, /Comments are closed\./);
  assert.doesNotMatch(page.body, /id="commentform"/);
  const refused = await post(valid({ comment_post_ID: String(closed.id) }), { json: true });
  assert.equal(refused.statusCode, 403);
  assert.equal((refused.json() as { errors: { code: string }[] }).errors[0]!.code, 'comments_closed');
  const draft = await t.services.articles.save(storyInput({ headline: 'Not out yet', status: 'draft' }));
  assert.equal((await post(valid({ comment_post_ID: String(draft.id) }), { json: true })).statusCode, 404);
  assert.equal((await post(valid({ comment_post_ID: '999999' }), { json: true })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'GET', url: `/comments/token?article=${draft.id}` })).statusCode, 404);
});

test('replies: to another story’s comment, to a held one, and past the depth limit are refused', async () => {
  const approved = (await t.services.comments.moderation.queue({ status: 'approved', limit: 1 }))[0]!;
  const held = (await t.services.comments.moderation.queue({ status: 'pending', limit: 1 }))[0]!;
  const other = await t.services.articles.save(storyInput({ headline: 'A third story' }));
  const refused = async (fields: Record<string, string>, label: string) => {
    const res = await post(fields, { json: true });
    assert.equal(res.statusCode, 400, `${label}: ${res.body}`);
    assert.equal((res.json() as { errors: { field?: string }[] }).errors[0]!.field, 'comment_parent', label);
  };
  await refused(valid({ comment_post_ID: String(other.id), comment_parent: String(approved.id) }), 'other story');
  await refused(valid({ comment_parent: String(held.id) }), 'held parent');
  await refused(valid({ comment_parent: '424242' }), 'unknown parent');
  await t.app.inject({ method: 'GET', url: '/' });
  // Depth: a chain of replies as the newsroom up to the limit (5), then a reader's reply to the deepest.
  const moderator = { kind: 'user' as const, id: 1, role: 'moderator' as const, name: 'Mo' };
  let parent = approved;
  for (let depth = parent.depth; depth < 5; depth++) parent = await t.services.comments.moderation.reply(parent.id, `Reply at depth ${depth + 1}`, moderator);
  assert.equal(parent.depth, 5);
  const res = await post(valid({ comment_parent: String(parent.id) }), { json: true });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /only 5 levels deep/);
});

test('a flood from one address gets 429 while another reader keeps commenting', async () => {
  const flooder = nextIp();
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await post(valid({ author: `Bot ${i}`, email: `bot${i}@example.com` }), { ip: flooder, json: true })).statusCode);
  assert.ok(statuses.includes(429), statuses.join(','));
  const res = await post(valid({ email: 'someone@example.com' }), { json: true });
  assert.notEqual(res.statusCode, 429);
});
