// Alerts that wait for a scheduled story: written in the newsroom while the story is scheduled,
// sent once when it goes live, moved with the story when it is
// rescheduled, dropped when it is taken back before its time; bad input and who may not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { staff } from '../../test/helpers/newsroom.ts';

let t: TestApp;
let now = new Date('2026-12-02T08:00:00Z');
const inMinutes = (n: number) => new Date(now.getTime() + n * 60_000).toISOString();

before(async () => {
  t = await buildTestApp({}, { clock: { now: () => now } });
  await seedBasics(t.services);
});
after(() => t.close());

async function scheduled(headline: string, minutes: number) {
  return t.services.articles.save(storyInput({ headline, status: 'scheduled', publishedAt: inMinutes(minutes) }));
}

/** Lets the clock reach `at` and runs the jobs due, as the running site would over a few seconds. */
async function reach(at: string) {
  now = new Date(Date.parse(at) + 1);
  for (let i = 0; i < 5; i++) {
    await t.jobs.runDue();
    now = new Date(now.getTime() + 2000);
  }
}

const sentTitled = async (title: string) => (await t.services.alerts.list()).filter((a) => a.title === title);

test('an editor writes the alert on a scheduled story; it goes out once, when the story goes live', async () => {
  const story = await scheduled('Budget to be tabled at noon', 30);
  const editor = await staff(t, 'editor');
  const form = await editor.browser.get(`/newsroom/alerts/when-live?article=${story.id}`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /value="Budget to be tabled at noon"/, 'the headline as its first title');
  assert.match(form.body, /value="national" checked/, 'the story’s section chosen');
  const armed = await editor.browser.post('/newsroom/alerts/when-live', { articleId: String(story.id), title: 'Budget tabled', text: 'The budget is out: what it means for you.', sections: '*' });
  assert.equal(armed.statusCode, 303);
  const list = await editor.browser.get(String(armed.headers.location));
  assert.match(list.body, /The alert will be sent when the story goes live\./);
  assert.match(list.body, /Budget tabled/);
  assert.match(list.body, new RegExp(inMinutes(30).slice(0, 16).replace('T', ' ')));

  await reach(inMinutes(10));
  assert.deepEqual(await sentTitled('Budget tabled'), [], 'nothing before the story’s time');
  await reach(inMinutes(20));
  const [alert] = await sentTitled('Budget tabled');
  assert.ok(alert, 'sent when the story went live');
  assert.equal(alert.url, `/national/${story.slug}`);
  assert.equal(alert.createdBy, 'scheduler');
  assert.equal(await t.services.whenLive.waiting(story.id), undefined, 'no longer waiting');
  // The job running again (a retry after a crash) finds nothing to send.
  assert.equal(await t.services.whenLive.fire(story.id), 'none');
  assert.equal((await sentTitled('Budget tabled')).length, 1);
  const entries = await t.services.audit.recent(20);
  assert.ok(entries.some((e) => e.action === 'alert.arm' && e.target === `article:${story.id}`), 'arming is audited');
});

test('a story moved to a later time takes its alert with it; one taken back to draft drops it, unsent', async () => {
  const later = await scheduled('Ferry strike vote', 10);
  const dropped = await scheduled('Mayor to resign', 10);
  for (const story of [later, dropped]) await t.services.whenLive.arm({ articleId: story.id, title: story.headline, text: 'Details soon.', sections: ['*'] }, 'cli');
  await t.services.articles.save(storyInput({ headline: 'Ferry strike vote', status: 'scheduled', publishedAt: inMinutes(60) }), { id: later.id, expectedVersion: later.version });
  await t.services.articles.save(storyInput({ headline: 'Mayor to resign', status: 'draft' }), { id: dropped.id, expectedVersion: dropped.version });

  await reach(inMinutes(15));
  assert.deepEqual(await sentTitled('Ferry strike vote'), [], 'not at the old time');
  assert.ok(await t.services.whenLive.waiting(later.id), 'still waiting for the new time');
  assert.equal(await t.services.whenLive.waiting(dropped.id), undefined);
  assert.deepEqual(await sentTitled('Mayor to resign'), [], 'never sent');
  const entries = await t.services.audit.recent(50);
  assert.ok(entries.some((e) => e.action === 'alert.drop' && e.target === `article:${dropped.id}`), 'the drop is audited, with why');

  await reach(inMinutes(50));
  assert.equal((await sentTitled('Ferry strike vote')).length, 1, 'sent at the new time');
});

test('“Do not send” takes the alert off the story', async () => {
  const story = await scheduled('Harbour report due', 10);
  const editor = await staff(t, 'editor');
  await editor.browser.post('/newsroom/alerts/when-live', { articleId: String(story.id), title: 'Harbour report out', text: 'Read it first.', sections: '*' });
  await editor.browser.get('/newsroom/alerts/waiting');
  const cancelled = await editor.browser.post(`/newsroom/alerts/waiting/${story.id}/cancel`, {});
  assert.equal(cancelled.statusCode, 303);
  assert.match((await editor.browser.get(String(cancelled.headers.location))).body, /it will not be sent/);
  await reach(inMinutes(20));
  assert.deepEqual(await sentTitled('Harbour report out'), []);
  assert.equal((await editor.browser.post(`/newsroom/alerts/waiting/${story.id}/cancel`, {})).statusCode, 404, 'nothing left to take off');
});

test('bad input: each refused at its field, nothing stored', async () => {
  const editor = await staff(t, 'editor');
  await editor.browser.get('/newsroom/alerts/when-live');
  const live = await t.services.articles.save(storyInput({ headline: 'Already live' }));
  const draft = await t.services.articles.save(storyInput({ headline: 'Still a draft', status: 'draft' }));
  const story = await scheduled('Tomorrow’s story', 60 * 24);
  const cases: [Record<string, string>, RegExp][] = [
    [{ articleId: '', title: 'x', text: 'y', sections: '*' }, /Give the number of a scheduled story\./],
    [{ articleId: 'abc', title: 'x', text: 'y', sections: '*' }, /Give the number of a scheduled story\./],
    [{ articleId: '999999', title: 'x', text: 'y', sections: '*' }, /There is no story with that number\./],
    [{ articleId: String(live.id), title: 'x', text: 'y', sections: '*' }, /already live: send its alert now instead/],
    [{ articleId: String(draft.id), title: 'x', text: 'y', sections: '*' }, /Only a scheduled story can carry an alert/],
    [{ articleId: String(story.id), title: 'x'.repeat(81), text: 'y', sections: '*' }, /The title is at most 80 characters/],
    [{ articleId: String(story.id), title: 'Fine', text: '', sections: '*' }, /Write the alert’s text\./],
    [{ articleId: String(story.id), title: 'Fine', text: 'y', sections: 'no-such-section' }, /Choose from the sections listed\./],
  ];
  for (const [fields, message] of cases) {
    const res = await editor.browser.post('/newsroom/alerts/when-live', fields);
    assert.equal(res.statusCode, 400, JSON.stringify(fields));
    assert.match(res.body, message);
    assert.doesNotMatch(res.body, /at \w+ \(|Error:/, 'no stack trace');
  }
  assert.equal(await t.services.whenLive.waiting(story.id), undefined);
});

test('who may NOT: authors, contributors, moderators (403), anonymous (to sign-in)', async () => {
  const story = await scheduled('Not theirs to alert', 60);
  for (const role of ['author', 'contributor', 'moderator'] as const) {
    const person = await staff(t, role);
    for (const path of ['/newsroom/alerts/when-live', '/newsroom/alerts/waiting']) assert.equal((await person.browser.get(path)).statusCode, 403, `${role} ${path}`);
    await person.browser.get('/newsroom');
    assert.equal((await person.browser.post('/newsroom/alerts/when-live', { articleId: String(story.id), title: 'x', text: 'y', sections: '*' })).statusCode, 403, role);
  }
  assert.equal((await t.app.inject('/newsroom/alerts/waiting')).statusCode, 303);
  assert.equal(await t.services.whenLive.waiting(story.id), undefined);
});

// Only editors and administrators open a live or scheduled story's edit screen, and both may send.
test('the story’s edit screen links to its alert: “Send alert” when live, “Alert when it goes live” when scheduled', async () => {
  const waiting = await scheduled('A scheduled story with a link', 60);
  const live = await t.services.articles.save(storyInput({ headline: 'A live story with a link' }));
  const editor = await staff(t, 'editor');
  const scheduledScreen = (await editor.browser.get(`/newsroom/stories/${waiting.id}/edit`)).body;
  assert.match(scheduledScreen, new RegExp(`<a href="/newsroom/alerts/when-live\\?article=${waiting.id}">Alert when it goes live</a>`));
  assert.match((await editor.browser.get(`/newsroom/stories/${live.id}/edit`)).body, new RegExp(`<a href="/newsroom/alerts/new\\?article=${live.id}">Send alert</a>`));
});
