// A contributor's story through the desk, in Chromium, each person in a browser of their own: the
// administrator (added as `bulletin user add` adds one) invites a contributor and an editor on the
// Staff screen; both choose a password with their one-time link. The contributor writes a story and
// hands it in — no Publish button, and the publish route refuses them even with a valid form — the
// editor finds it under "Ready for edit" and publishes it; a reader sees it with the contributor's
// byline, and the contributor can no longer edit it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hasChromium, startServerAndChromium, type ServerAndChromium } from '../helpers/browser.ts';
import { addAuthorProfile, addSection, browserSession, choosePassword, onServer, openScreen, signIn, writeStory, type BrowserSession } from '../helpers/newsroom-session.ts';
import { sameOnEveryEngine } from '../helpers/build-test-app.ts';

const skip = hasChromium() ? false : 'Chromium is not installed at /usr/bin/chromium: browser e2e tests skipped';

const ADMIN = { name: 'Chief Admin', email: 'chief@news.test', password: 'front-page-news-2026' };
const CONTRIBUTOR = { name: 'Cara Contributor', email: 'cara@news.test', password: 'tide-tables-and-ferries' };
const EDITOR = { name: 'Eddie Editor', email: 'eddie@news.test', password: 'copy-desk-by-midnight' };
const HEADLINE = 'Ferry timetable changes for the winter';

describe('a contributor’s story through the desk, in Chromium', { skip: skip || sameOnEveryEngine('The desk’s screens in the browser (the review workflow and its roles are checked on PostgreSQL by src/articles’ and src/newsroom’s tests)'), timeout: 240_000 }, () => {
  let e2e: ServerAndChromium;
  let admin: BrowserSession;
  let contributor: BrowserSession;
  let editor: BrowserSession;
  const invitations: Record<string, string> = {};
  let story: { id: number; path: string };

  before(async () => {
    e2e = await startServerAndChromium();
  });

  after(() => e2e?.close());

  test('the administrator invites a contributor and an editor on the Staff screen', async () => {
    const { link } = await e2e.server.testApp.services.accounts.addUser('cli', { email: ADMIN.email, name: ADMIN.name, role: 'administrator' });
    admin = await browserSession(e2e.chrome.browser);
    const { page } = admin;
    await choosePassword(page, onServer(e2e.server.url, link), ADMIN.password);
    await signIn(page, e2e.server.url, ADMIN.email, ADMIN.password);

    // A section to write in, and the contributor's author profile for the byline (contributors may
    // not add either themselves).
    await addSection(page, e2e.server.url, { name: 'Local' });
    await addAuthorProfile(page, e2e.server.url, { name: CONTRIBUTOR.name });

    for (const [person, role] of [[CONTRIBUTOR, 'contributor'], [EDITOR, 'editor']] as const) {
      await openScreen(page, e2e.server.url, 'Staff', '/newsroom/staff');
      await page.fill('#name', person.name);
      await page.fill('#email', person.email);
      await page.selectOption('#role', role);
      await page.click('form[action="/newsroom/staff"] button:has-text("Invite")');
      await page.waitForSelector('main .notice .secret');
      invitations[role] = (await page.textContent('main .notice .secret'))!.trim();
      assert.match(invitations[role]!, /\/newsroom\/password\?token=/);
      const row = page.locator('main tbody tr', { hasText: person.email });
      assert.equal(await row.locator('select').inputValue(), role);
    }
    assert.deepEqual(admin.consoleErrors, []);
  });

  test('each person opens their own link and chooses a password; the contributor signs in', async () => {
    contributor = await browserSession(e2e.chrome.browser);
    await choosePassword(contributor.page, onServer(e2e.server.url, invitations.contributor!), CONTRIBUTOR.password);
    await signIn(contributor.page, e2e.server.url, CONTRIBUTOR.email, CONTRIBUTOR.password);
    const nav = await contributor.page.locator('nav[aria-label=Newsroom] a').allTextContents();
    assert.ok(nav.includes('Stories'), `a contributor writes stories: ${nav.join(', ')}`);
    for (const screen of ['Sections', 'Authors', 'Staff', 'Settings']) assert.ok(!nav.includes(screen), `a contributor has no ${screen} screen`);

    editor = await browserSession(e2e.chrome.browser);
    await choosePassword(editor.page, onServer(e2e.server.url, invitations.editor!), EDITOR.password);
    // The links work once.
    const used = await browserSession(e2e.chrome.browser);
    assert.equal((await used.page.goto(onServer(e2e.server.url, invitations.editor!)))?.status(), 403);
    await used.close();
  });

  test('the contributor writes a story; there is no Publish button and the publish route refuses them', async () => {
    const { page } = contributor;
    story = await writeStory(page, e2e.server.url, {
      headline: HEADLINE,
      section: 'Local',
      bylines: [CONTRIBUTOR.name],
      blocks: [
        { paragraph: 'The last evening crossing leaves at 21:40 from next week.' },
        { heading: 'What changes' },
        { paragraph: 'Weekend sailings are cut to four a day until March.' },
      ],
    });
    assert.equal(await page.locator('section.workflow button', { hasText: 'Publish now' }).count(), 0);
    assert.equal(await page.locator('section.workflow button', { hasText: 'Schedule' }).count(), 0);
    assert.equal(await page.locator('section.workflow button', { hasText: 'Submit for edit' }).count(), 1);

    // A hand-made POST from their own signed-in browser, with a valid CSRF token, is refused.
    const csrf = await page.inputValue('form[data-story-form] input[name=_csrf]');
    const refused = await page.request.post(`${e2e.server.url}/newsroom/stories/${story.id}/publish`, { form: { _csrf: csrf }, maxRedirects: 0 });
    assert.equal(refused.status(), 403);
    const anonymous = await browserSession(e2e.chrome.browser);
    assert.equal((await anonymous.page.goto(e2e.server.url + story.path))?.status(), 404, 'still not public');
    await anonymous.close();

    // Handed in, the story is the editors' now: the contributor is back on their list of stories.
    await Promise.all([page.waitForURL(`${e2e.server.url}/newsroom/stories?done=submitted`), page.click('section.workflow button:has-text("Submit for edit")')]);
    assert.equal(await page.textContent('main p.notice[role=status]:not(.presence)'), 'Submitted for edit.');
    assert.equal(await page.locator('main tbody tr', { hasText: HEADLINE }).locator('td').nth(2).textContent(), 'ready');
    assert.deepEqual(contributor.consoleErrors, []);
  });

  test('the editor signs in, finds it under "Ready for edit" and publishes it', async () => {
    const { page } = editor;
    await signIn(page, e2e.server.url, EDITOR.email, EDITOR.password);
    const waiting = page.locator('section[aria-labelledby=awaiting-edit]');
    assert.equal(await waiting.locator('h2').textContent(), 'Ready for edit (1)');
    await Promise.all([page.waitForURL(`${e2e.server.url}/newsroom/stories/${story.id}/edit`), waiting.locator('a', { hasText: HEADLINE }).click()]);
    assert.match((await page.textContent('main > p')) ?? '', /Status: ready/);
    await Promise.all([page.waitForURL(/done=published/), page.click('section.workflow button:has-text("Publish now")')]);
    assert.equal(await page.textContent('main p.notice[role=status]:not(.presence)'), 'Published.');
    assert.deepEqual(editor.consoleErrors, []);
  });

  test('a reader sees it on the front page and its page, with the contributor’s byline', async () => {
    const reader = await browserSession(e2e.chrome.browser);
    const { page } = reader;
    assert.equal((await page.goto(`${e2e.server.url}/`))?.status(), 200);
    await Promise.all([page.waitForURL(e2e.server.url + story.path), page.click(`main a:has-text("${HEADLINE}")`)]);
    assert.equal(await page.textContent('article h1'), HEADLINE);
    assert.equal(await page.textContent('.story-body h2'), 'What changes');
    assert.equal((await page.textContent('.byline'))?.trim(), `By ${CONTRIBUTOR.name}`);
    await reader.close();
  });

  test('the contributor can no longer edit the published story', async () => {
    const { page } = contributor;
    await page.goto(`${e2e.server.url}/newsroom/stories`);
    assert.equal(await page.locator('main tbody tr', { hasText: HEADLINE }).locator('td').nth(2).textContent(), 'published');
    const response = await page.goto(`${e2e.server.url}/newsroom/stories/${story.id}/edit`);
    assert.equal(response?.status(), 404);
    await page.goto(`${e2e.server.url}/newsroom`);
    const csrf = await page.inputValue('form.who input[name=_csrf]');
    const save = await page.request.post(`${e2e.server.url}/newsroom/stories/${story.id}/autosave`, {
      headers: { accept: 'application/json', 'x-csrf-token': csrf },
      data: { expectedVersion: 99, headline: 'Changed after publication', section: 'local', body: '{"type":"doc","content":[]}' },
    });
    assert.equal(save.status(), 404);
    const live = await page.request.get(e2e.server.url + story.path);
    assert.match(await live.text(), new RegExp(HEADLINE));
  });
});
