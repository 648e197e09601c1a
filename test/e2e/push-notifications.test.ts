// Web push in Chromium, on the build `npm start` runs: without JavaScript the sign-up box shows
// no notifications button; with it, "Turn on notifications" registers the service worker on the
// click, asks the permission, and sends the subscription with the ticked sections; an alert sent
// in the newsroom reaches the (local, HTTPS) push service, which decrypts it; that very payload,
// delivered to the worker over the DevTools Protocol, shows a notification with the alert's
// title; its click opens the story; "Turn off notifications" ends the subscription. axe finds
// nothing on the box with the button.
//
// Two things a test browser cannot do, and what stands in for them:
// - subscribe at a real push service: Playwright's contexts are incognito, where Chromium has no
//   Push API, and a persistent profile waits forever for Google's push service (no network
//   here). PushManager.subscribe is answered in the page with a subscription on the test push
//   service (its own key pair), so everything after it is real: the island's request, the
//   server's storage, the encryption, the push service's decryption.
// - click a notification: the DevTools Protocol has no such command. A `notificationclick` is
//   dispatched inside the worker; Chromium then refuses clients.openWindow (no user gesture), so
//   the test records the address the worker asks to open, and opens it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { axeViolations, describeViolations, hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { seedBasics, storyInput } from '../helpers/fixtures.ts';
import { startPushService, type TestPushService } from '../helpers/push-service.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

describe('web push notifications, from the button to the notification’s click, in Chromium', { skip, timeout: 300_000 }, () => {
  let run: ServerAndChromium;
  let push: TestPushService;
  const contexts: BrowserContext[] = [];

  before(async () => {
    push = await startPushService();
    run = await startServerAndChromium({ PUSH_ALLOW_PRIVATE_ENDPOINTS: 'on', PUSH_CA_FILE: push.caFile });
    await seedBasics(run.server.testApp.services);
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await run?.close();
    await push?.close();
  });

  test('no script, no button: the box stays a plain form', async () => {
    const context = await run.chrome.browser.newContext({ javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${run.server.url}/alerts`);
    assert.equal(await page.getByRole('button', { name: 'Sign up' }).isVisible(), true);
    assert.equal(await page.locator('[data-alerts-push]').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: /notifications/i }).count(), 0);
  });

  test('turn on, receive, click, turn off', async () => {
    const { services } = run.server.testApp;
    const story = await services.articles.save(storyInput({ headline: 'Tidal barrier closes tonight' }));
    const storyUrl = `${run.server.url}/${story.section.slug}/${story.slug}`;
    const browserSide = push.subscribe();
    const context = await run.chrome.browser.newContext();
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: run.server.url });
    // As text: a function from this file would carry the test runner's transpiler helpers with it.
    await context.addInitScript({
      content: `(() => {
        const sub = ${JSON.stringify(browserSide)};
        let current = null;
        const made = { endpoint: sub.endpoint, options: {}, toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }), unsubscribe: async () => { current = null; return true; } };
        PushManager.prototype.subscribe = async (options) => {
          window.pushOptions = { userVisibleOnly: options && options.userVisibleOnly, key: options && options.applicationServerKey };
          current = made;
          return made;
        };
        PushManager.prototype.getSubscription = async () => current;
      })();`,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${run.server.url}/alerts`);

    const turnOn = page.getByRole('button', { name: 'Turn on notifications' });
    await turnOn.waitFor();
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0, 'nothing is registered before the click');

    await page.getByLabel('National').check();
    await page.getByLabel('All breaking news').uncheck();
    await turnOn.click();
    await page.getByText('Notifications about National news are on in this browser.').waitFor();
    const registration = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, script: reg.active?.scriptURL };
    });
    assert.deepEqual(registration, { scope: `${run.server.url}/`, script: `${run.server.url}/sw.js` });
    const options = await page.evaluate(() => (window as unknown as { pushOptions: { userVisibleOnly: boolean; key: string } }).pushOptions);
    assert.deepEqual(options, { userVisibleOnly: true, key: (await services.vapidKeys()).publicKey }, 'subscribed with the site’s VAPID key');
    const stored = await services.push.status(browserSide.endpoint);
    assert.deepEqual(stored, { sections: ['national'] });
    assert.ok(await page.getByRole('button', { name: 'Turn off notifications' }).isVisible());

    // The editor sends; the server (its own process, its job worker) pushes to the push service.
    const sent = await services.alerts.send(await services.alerts.check({ title: 'Tidal barrier to close', text: 'The barrier closes at 9 pm.', articleId: story.id, sections: ['national'] }), { by: 'cli' });
    const [received] = await push.waitFor(1, 60_000);
    assert.deepEqual(push.problems, []);
    assert.equal(received!.id, browserSide.id);
    assert.equal(received!.topic, `alert-${sent.alert.id}`);
    const payload = received!.payload as { title: string; url: string };
    assert.equal(payload.title, 'Tidal barrier to close');
    assert.equal(payload.url, storyUrl);

    // That payload, delivered to this browser's worker.
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event: { registrations: typeof registrations }) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    for (let i = 0; i < 50 && !registrations.some((r) => !r.isDeleted); i++) await page.waitForTimeout(100);
    const live = registrations.find((r) => !r.isDeleted && r.scopeURL === `${run.server.url}/`)!;
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: run.server.url, registrationId: live.registrationId, data: JSON.stringify(payload) });
    let shown: { title: string; body: string; icon: string; data: { url: string } }[] = [];
    for (let i = 0; i < 50 && shown.length === 0; i++) {
      await page.waitForTimeout(100);
      shown = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, icon: n.icon, data: n.data as { url: string } })));
    }
    assert.equal(shown.length, 1);
    assert.equal(shown[0]!.title, 'Tidal barrier to close');
    assert.equal(shown[0]!.body, 'The barrier closes at 9 pm.');
    assert.equal(shown[0]!.icon, `${run.server.url}/favicon.svg`);

    // Its click, inside the worker.
    const worker = context.serviceWorkers().find((w) => w.url() === `${run.server.url}/sw.js`)!;
    const asked = await worker.evaluate(async () => {
      const scope = self as unknown as { registration: ServiceWorkerRegistration; clients: { openWindow(url: string): Promise<unknown> }; dispatchEvent(e: Event): boolean; NotificationEvent: new (type: string, init: { notification: Notification }) => Event & { waitUntil(p: Promise<unknown>): void } };
      const opened: string[] = [];
      scope.clients.openWindow = async (url: string) => (opened.push(url), null);
      const [notification] = await scope.registration.getNotifications();
      const event = new scope.NotificationEvent('notificationclick', { notification: notification! });
      let work: Promise<unknown> = Promise.resolve();
      const waitUntil = event.waitUntil.bind(event);
      event.waitUntil = (p) => ((work = p), waitUntil(p));
      scope.dispatchEvent(event);
      await work;
      return { opened, left: (await scope.registration.getNotifications()).length };
    });
    assert.deepEqual(asked, { opened: [storyUrl], left: 0 }, 'the click closes the notification and opens the story');
    const opened = await context.newPage();
    await opened.goto(asked.opened[0]!);
    assert.equal(await opened.getByRole('heading', { level: 1 }).textContent(), 'Tidal barrier closes tonight');

    await page.getByRole('button', { name: 'Turn off notifications' }).click();
    await page.getByText('Notifications are off in this browser.').waitFor();
    assert.equal(await services.push.status(browserSide.endpoint), null);
    assert.deepEqual(problems, []);
  });
});
