// Breaking-news alerts in Chromium, on the build `npm start` runs, with mail going to a real SMTP
// server: a reader signs up with the box inside a story, confirms from the mail, keeps the story
// open; an editor writes, reviews and sends an alert in the newsroom; the banner appears on the open
// page and the mail arrives; one click unsubscribes (as a mail client does it) and the next alert
// does not arrive. axe finds nothing on the box, /alerts, the preferences page and the send screens.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { seedBasics, storyInput } from '../helpers/fixtures.ts';
import { signedInSession } from '../helpers/newsroom-session.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';
const READER = 'reader.journey@example.org';

describe('breaking-news alerts, from the box in a story to the unsubscribe, in Chromium', { skip, timeout: 300_000 }, () => {
  let run: ServerAndChromium;
  let smtp: SmtpSink;
  let storyUrl: string;
  let storyId: number;
  const contexts: BrowserContext[] = [];

  async function axe(page: Page, what: string) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations on ${what}:\n${describeViolations(violations)}`);
  }
  const to = (mail: SmtpSink['mails'][number]) => (mail.to && 'text' in mail.to ? mail.to.text : '');

  before(async () => {
    smtp = await startSmtpSink();
    run = await startServerAndChromium({ SMTP_URL: smtp.url });
    const { services } = run.server.testApp;
    await seedBasics(services);
    const story = await services.articles.save(storyInput({ headline: 'Storm expected on the coast tonight' }));
    storyId = story.id;
    storyUrl = `${run.server.url}/${story.section.slug}/${story.slug}`;
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await run?.close();
    await smtp?.close();
  });

  test('sign up in the story, confirm, see the banner and get the mail, unsubscribe in one click', async () => {
    const context = await run.chrome.browser.newContext();
    contexts.push(context);
    const reader = await context.newPage();
    await reader.goto(storyUrl);
    const box = reader.locator('.story-body aside.alerts-box');
    assert.equal(await box.locator('h2').innerText(), 'Get the latest national news');
    await axe(reader, 'the story with the alerts box');
    await box.getByLabel('Email address').fill(READER);
    await box.getByLabel('All breaking news').check();
    // A person takes a few seconds over the form (the box refuses one posted at once).
    await reader.waitForTimeout(3200);
    await Promise.all([reader.waitForURL(/\/alerts$/), box.getByRole('button', { name: 'Sign up' }).click()]);
    assert.match(await reader.locator('main').innerText(), /Check your inbox/i);

    const [confirmation] = await smtp.waitFor(1);
    assert.equal(to(confirmation!), READER);
    const confirmLink = /https?:\/\/[^/\s]+(\/alerts\/confirm\?token=[^\s"<]+)/.exec(confirmation!.text!)![1]!;
    const confirmPage = await context.newPage();
    await confirmPage.goto(run.server.url + confirmLink);
    await axe(confirmPage, 'the confirmation page');
    await Promise.all([confirmPage.waitForLoadState(), confirmPage.getByRole('button', { name: 'Confirm my alerts' }).click()]);
    assert.equal(await confirmPage.locator('h1').innerText(), 'You are signed up');

    // The editor sends an alert about the story while the reader's page is open.
    await reader.goto(storyUrl);
    const { page: desk, close, consoleErrors } = await signedInSession(run.chrome.browser, run.server, { email: 'ed@news.test', name: 'Ed Editor', role: 'editor' });
    await desk.goto(`${run.server.url}/newsroom/alerts/new?article=${storyId}`);
    await axe(desk, 'the alert form');
    await desk.fill('#title', 'Storm warning for the coast');
    await desk.fill('#text', 'Winds up to 120 km/h expected after 8 p.m.');
    await desk.click('button:has-text("Review")');
    assert.match(await desk.locator('main').innerText(), /1 subscriber by email/);
    await axe(desk, 'the review screen');
    const before = smtp.mails.length;
    await Promise.all([desk.waitForURL(/\/newsroom\/alerts\/\d+$/), desk.click('button:has-text("Send to 1 now")')]);
    const banner = reader.locator('.breaking-banner');
    await banner.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await banner.innerText(), /Storm warning for the coast/);
    const [alertMail] = (await smtp.waitFor(before + 1)).slice(before);
    assert.equal(to(alertMail!), READER);
    assert.equal(alertMail!.subject, 'Breaking: Storm warning for the coast');
    await desk.reload();
    await axe(desk, 'the alert’s delivery screen');

    // The preferences page from the mail, then one click from the List-Unsubscribe header.
    const manageLink = /https?:\/\/[^/\s]+(\/alerts\/manage\?token=[^\s"<]+)/.exec(alertMail!.text!)![1]!;
    const manage = await context.newPage();
    await manage.goto(run.server.url + manageLink);
    assert.equal(await manage.locator('h1').innerText(), 'Your breaking news alerts');
    await axe(manage, 'the preferences page');
    const unsubscribe = /<https?:\/\/[^/>]+([^>]+)>/.exec(alertMail!.headerLines.find((h) => h.key === 'list-unsubscribe')!.line)![1]!;
    const clicked = await fetch(run.server.url + unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(clicked.status, 200);

    const { services } = run.server.testApp;
    const next = await services.alerts.send(await services.alerts.check({ title: 'Storm passes', text: 'The warning is lifted.', url: '/national', sections: '*' }), { by: 'cli' });
    for (let i = 0; i < 200 && (await services.alerts.get(next.alert.id)).status !== 'complete'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await services.alerts.get(next.alert.id)).status, 'complete', 'the next alert’s fan-out finished');
    assert.ok(!smtp.mails.slice(before + 1).some((m) => to(m) === READER), 'the unsubscribed reader got nothing');

    const page = await context.newPage();
    await page.goto(`${run.server.url}/alerts`);
    await axe(page, '/alerts');
    assert.deepEqual(consoleErrors, []);
    await close();
  });
});
