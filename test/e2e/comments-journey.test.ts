// Comments in Chromium, on the build `npm start` runs: a reader without JavaScript posts through
// the check step and alone sees "awaiting moderation"; a moderator approves it in the queue by
// keyboard; everyone sees it; a reader with JavaScript replies in place and ticks "Save my name…",
// which fills the form next time; the first reader's second comment appears without moderation;
// a reader reports a comment in place and the moderator replies from the Reported queue (r opens
// the reply box); a standard set of XSS vectors renders as inert text; axe finds nothing on the
// story or the queue (with the reply box open too).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/accounts/http.ts';
import { sameOnEveryEngine } from '../helpers/build-test-app.ts';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { seedBasics, storyInput } from '../helpers/fixtures.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

/** From the OWASP XSS filter evasion cheat sheet: each must show as the very text typed. */
const XSS_VECTORS = [
  '<script>window.__xss=1</script>',
  '<IMG SRC="javascript:window.__xss=1;">',
  '<img src=x onerror="window.__xss=1">',
  '<svg/onload=window.__xss=1>',
  '"><script>window.__xss=1</script>',
  "';window.__xss=1;//",
  '<a href="javascript:window.__xss=1">click</a>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '<body onload=window.__xss=1>',
  '<div style="background-image: url(javascript:window.__xss=1)">',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  'javascript:window.__xss=1',
  'https://example.com/"onmouseover="window.__xss=1"',
];

describe('comments, from a reader’s post to the moderator’s keyboard, in Chromium', { skip: skip || sameOnEveryEngine('The comment form and the moderation screens in the browser (posting, moderation and the queues are checked on PostgreSQL by src/comments’ tests)'), timeout: 300_000 }, () => {
  let run: ServerAndChromium;
  let storyUrl: string;
  let storyId: number;
  const contexts: BrowserContext[] = [];

  async function page(options: { javaScriptEnabled?: boolean; session?: string } = {}): Promise<Page> {
    const context = await run.chrome.browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
    contexts.push(context);
    if (options.session) await context.addCookies([{ name: SESSION_COOKIE, value: options.session, url: run.server.url }]);
    return context.newPage();
  }

  before(async () => {
    run = await startServerAndChromium();
    const { services } = run.server.testApp;
    await seedBasics(services);
    const story = await services.articles.save(storyInput({ headline: 'Harbour wall to be rebuilt' }));
    storyId = story.id;
    storyUrl = `${run.server.url}/${story.section.slug}/${story.slug}`;
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await run?.close();
  });

  test('the whole journey', async () => {
    const { services } = run.server.testApp;
    // A reader without JavaScript: the check step, then the post; only they see the held comment.
    const noJs = await page({ javaScriptEnabled: false });
    await noJs.goto(storyUrl);
    await noJs.fill('#comment', 'About time. The old wall has been crumbling for years.');
    await noJs.fill('#author', 'Nora Nojs');
    await noJs.fill('#email', 'nora@example.com');
    await Promise.all([noJs.waitForURL(`${run.server.url}/comments`), noJs.click('#submit')]);
    assert.match(await noJs.textContent('h1') ?? '', /Check your comment/);
    await noJs.waitForTimeout(3200);
    await Promise.all([noJs.waitForURL(/unapproved=/), noJs.click('#submit')]);
    assert.match(await noJs.textContent('#comments') ?? '', /Your comment is awaiting moderation/);

    const other = await page();
    await other.goto(storyUrl);
    assert.doesNotMatch(await other.textContent('#comments') ?? '', /awaiting moderation|crumbling/);
    const storyViolations = await axeViolations(other);
    assert.equal(storyViolations.length, 0, describeViolations(storyViolations));

    // The moderator approves it from the queue with the keyboard (j, then a).
    const { id: moderatorId } = await services.accounts.addUser('cli', { email: 'mo@news.test', name: 'Mo Moderator', role: 'moderator' });
    const queue = await page({ session: await services.accounts.sessionFor(moderatorId) });
    await queue.goto(`${run.server.url}/newsroom/comments`);
    assert.match(await queue.textContent('nav[aria-label=Newsroom]') ?? '', /Comments\s*1/);
    const queueViolations = await axeViolations(queue);
    assert.equal(queueViolations.length, 0, describeViolations(queueViolations));
    await queue.keyboard.press('j');
    await Promise.all([queue.waitForURL(/notice=/), queue.keyboard.press('a')]);
    assert.match(await queue.textContent('.notice') ?? '', /approved/);

    await other.reload();
    assert.match(await other.textContent('#comments') ?? '', /crumbling/);
    assert.match(await other.textContent('#comments-title') ?? '', /1 Comment/);

    // A reader with JavaScript replies in place and asks to be remembered.
    await other.click('.comment-reply-link');
    assert.equal(await other.isVisible('#cancel-comment-reply-link'), true);
    await other.fill('#comment', 'Agreed, and the steps are slippery too.');
    await other.fill('#author', 'Jay Script');
    await other.fill('#email', 'jay@example.com');
    await other.check('#wp-comment-cookies-consent');
    await other.click('#submit');
    await other.waitForSelector('.comment-awaiting-moderation', { timeout: 10_000 });
    assert.match(await other.textContent('#comments .children') ?? '', /slippery/);
    await other.reload();
    assert.equal(await other.inputValue('#author'), 'Jay Script');
    assert.equal(await other.inputValue('#email'), 'jay@example.com');
    assert.doesNotMatch(await other.textContent('#comments') ?? '', /slippery/, 'held: not shown to anyone on the cached page');

    // The first reader's second comment (same name and email) appears without moderation.
    const again = await page();
    await again.goto(storyUrl);
    await again.fill('#comment', 'Second thought: will the footpath stay open?');
    await again.fill('#author', 'Nora Nojs');
    await again.fill('#email', 'nora@example.com');
    await again.click('#submit');
    await again.waitForSelector('.comment-content >> text=footpath stay open', { timeout: 15_000 });
    assert.match(again.url(), /#comment-\d+$/);
    assert.doesNotMatch(await again.textContent('#comments') ?? '', /awaiting moderation/);
    void storyId;
  });

  test('a reader reports a comment in place; the moderator sees it under Reported, opens the reply box with r (axe 0 with it open) and replies', async () => {
    const { services } = run.server.testApp;
    const token = await services.comments.comments.formToken(storyId);
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const posted = await services.comments.comments.post({ articleId: storyId, parentId: null, text: 'The council never consulted anyone on this.', authorName: 'Rita Reported', email: 'rita@example.com', url: '', token, honeypot: '' }, '192.0.2.200');
    assert.ok(posted.kind === 'stored');
    const staffActor = { kind: 'user' as const, id: 1, role: 'moderator' as const, name: 'Mo' };
    if (posted.status !== 'approved') await services.comments.moderation.move(posted.id, 'approve', staffActor);

    const reader = await page();
    await reader.goto(`${storyUrl}#comment-${posted.id}`);
    await reader.click(`#comment-${posted.id} .comment-report-link`);
    await reader.waitForSelector(`#comment-${posted.id} form.comment-report-form`);
    assert.equal(new URL(reader.url()).pathname, new URL(storyUrl).pathname, 'the form opens in place');
    await reader.check(`#report-${posted.id}-misinformation`);
    await reader.fill(`#report-${posted.id}-note`, 'There was a consultation in May.');
    await reader.click(`#comment-${posted.id} form.comment-report-form button[type=submit]`);
    await reader.waitForSelector(`#comment-${posted.id} .comment-report-status >> text=Thank you`);

    const { id: moderatorId } = await services.accounts.addUser('cli', { email: 'rae@news.test', name: 'Rae Replier', role: 'moderator' });
    const queue = await page({ session: await services.accounts.sessionFor(moderatorId) });
    await queue.goto(`${run.server.url}/newsroom/comments?status=reported`);
    assert.match(await queue.textContent('.queue-reports') ?? '', /Reported by 1 reader: False or misleading ×1/);
    assert.match(await queue.textContent('.queue-reports') ?? '', /consultation in May/);
    await queue.keyboard.press('j');
    await queue.keyboard.press('r');
    assert.equal(await queue.evaluate(() => document.activeElement?.id), `reply-${posted.id}`);
    const violations = await axeViolations(queue);
    assert.equal(violations.length, 0, describeViolations(violations));
    await queue.keyboard.type('Thank you: we have asked the council.');
    await Promise.all([queue.waitForURL(/notice=/), queue.click(`#queue-${posted.id} details.queue-reply button`)]);
    assert.match(await queue.textContent('.notice') ?? '', new RegExp(`Replied to comment ${posted.id}`));
    await reader.reload();
    assert.match(await reader.textContent(`#comment-${posted.id}`) ?? '', /we have asked the council/);
  });

  test('XSS vectors render as the text typed, and nothing runs', async () => {
    const { services } = run.server.testApp;
    const moderator = { kind: 'user' as const, id: 1, role: 'moderator' as const, name: 'Mo' };
    const tokens = await Promise.all(XSS_VECTORS.map(() => services.comments.comments.formToken(storyId)));
    await new Promise((resolve) => setTimeout(resolve, 3100));
    for (const [i, vector] of XSS_VECTORS.entries()) {
      const result = await services.comments.comments.post({ articleId: storyId, parentId: null, text: vector, authorName: vector.slice(0, 90), email: `x${i}@example.com`, url: '', token: tokens[i], honeypot: '' }, `192.0.2.${i + 1}`);
      assert.equal(result.kind, 'stored');
      if (result.kind === 'stored') await services.comments.moderation.move(result.id, 'approve', moderator);
    }
    const reader = await page();
    let dialogs = 0;
    reader.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await reader.goto(storyUrl);
    await reader.waitForTimeout(300);
    const texts = await reader.$$eval('.comment-content', (nodes) => nodes.map((n) => (n as HTMLElement).innerText.trim()));
    for (const vector of XSS_VECTORS) assert.ok(texts.includes(vector.trim()), `shown as typed: ${vector}`);
    const foreign = await reader.$$eval('.comment-content *', (nodes) => nodes.map((n) => n.tagName).filter((tag) => !['P', 'BR', 'A'].includes(tag)));
    assert.deepEqual(foreign, []);
    const hrefs = await reader.$$eval('.comment-content a', (nodes) => nodes.map((n) => (n as HTMLAnchorElement).href));
    assert.ok(hrefs.every((href) => /^https?:/.test(href)), hrefs.join(' '));
    assert.equal(await reader.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.equal(dialogs, 0);
  });
});
