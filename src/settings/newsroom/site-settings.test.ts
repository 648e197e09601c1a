// The site settings' logo and navigation: edited as plain form rows by administrators, checked
// with a message per problem (nothing saved on any), audited, and shown in every reader header.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput, libraryImage } from '../../../test/helpers/fixtures.ts';
import { Browser, staff } from '../../../test/helpers/newsroom.ts';

let t: TestApp;
let admin: { browser: Browser };

before(async () => {
  t = await buildTestApp({}, { runJobs: false });
  await seedBasics(t.services);
  admin = await staff(t, 'administrator');
  await admin.browser.get('/newsroom/settings');
});
after(() => t.close());

const base = { siteName: 'Test Gazette', tagline: '', adsTxt: '', logoImageId: '' };
const header = (html: string) => /<header class="site-header"[\s\S]*?<\/header>/.exec(html)![0];

test('the form shows the logo field and one empty navigation row to start with', async () => {
  const page = (await admin.browser.get('/newsroom/settings')).body;
  assert.match(page, /<input id="logoImageId" name="logoImageId"/);
  assert.match(page, /<legend>Navigation<\/legend>/);
  assert.match(page, /<label for="nav-1-label">Link 1 label<\/label>/);
  assert.match(page, /<label for="nav-1-href">Link 1 address<\/label>/);
  assert.doesNotMatch(page, /nav-2-label/);
});

test('bad links, too many links, long labels and unknown logos are explained; nothing is saved', async () => {
  const cases: [Record<string, string>, RegExp, string][] = [
    [{ 'nav-1-label': 'Home', 'nav-1-href': 'javascript:alert(1)' }, /Link 1: “javascript:alert\(1\)” is not an address here/, 'nav-1-href'],
    [{ 'nav-1-label': 'Elsewhere', 'nav-1-href': '//evil.example/' }, /Link 1: .* is not an address here/, 'nav-1-href'],
    [{ 'nav-1-label': 'Spaces', 'nav-1-href': '/a b' }, /Link 1: .* is not an address here/, 'nav-1-href'],
    [{ 'nav-1-label': 'No address', 'nav-1-href': '' }, /Link 1 needs an address\./, 'nav-1-href'],
    [{ 'nav-1-label': '', 'nav-1-href': '/world' }, /Link 1 needs a label\./, 'nav-1-label'],
    [{ 'nav-1-label': 'L'.repeat(41), 'nav-1-href': '/world' }, /Link 1: the label is 41 characters; the limit is 40\./, 'nav-1-label'],
    [Object.fromEntries(Array.from({ length: 13 }, (_, i) => [[`nav-${i + 1}-label`, `Link ${i + 1}`], [`nav-${i + 1}-href`, `/page-${i + 1}`]]).flat()), /The navigation has 13 links; at most 12 fit\./, 'nav-13-label'],
    [{ logoImageId: '999999' }, /There is no image 999999 in the media library/, 'logoImageId'],
    [{ logoImageId: 'logo.png' }, /The logo is the number of an image in the media library\./, 'logoImageId'],
  ];
  for (const [fields, message, field] of cases) {
    const res = await admin.browser.post('/newsroom/settings', { ...base, siteName: 'Never Saved', ...fields });
    assert.equal(res.statusCode, 400, JSON.stringify(fields).slice(0, 80));
    assert.match(res.body, message);
    assert.match(res.body, new RegExp(`<a href="#${field}">`), `the summary links to ${field}`);
    assert.match(res.body, new RegExp(`id="${field}" name="${field}"[^>]*aria-invalid="true"`));
    assert.match(res.body, /value="Never Saved"/, 'what was typed is kept');
  }
  const settings = await t.services.settings.get();
  assert.equal(settings.siteName, 'Test Gazette');
  assert.deepEqual(settings.navigation, []);
  assert.equal(settings.logo, null);
});

test('logo and links are saved, audited, and shown in the header in place of the name and the sections', async () => {
  const logo = await libraryImage(t, 'masthead.png', { format: 'png', width: 1200, height: 300 });
  const story = await t.services.articles.save(storyInput());
  const storyUrl = `/national/${story.slug}`;
  await t.app.inject('/');
  assert.equal((await t.app.inject('/')).headers['x-cache'], 'HIT');

  const saved = await admin.browser.post('/newsroom/settings', {
    ...base,
    logoImageId: String(logo.id),
    'nav-1-label': ' National ',
    'nav-1-href': '/national',
    'nav-2-label': '',
    'nav-2-href': '',
    'nav-3-label': 'Weather',
    'nav-3-href': 'https://weather.example/harbour',
  });
  assert.equal(saved.statusCode, 200, saved.body);
  assert.match(saved.body, /Settings saved\./);
  // The empty row is gone, the rest close up, and a new empty row follows.
  assert.match(saved.body, /id="nav-1-label" name="nav-1-label" type="text" value="National"/);
  assert.match(saved.body, /id="nav-2-label" name="nav-2-label" type="text" value="Weather"/);
  assert.match(saved.body, /id="nav-3-label" name="nav-3-label" type="text"\/>/);
  assert.doesNotMatch(saved.body, /id="nav-4-label"/);
  assert.match(saved.body, new RegExp(`id="logoImageId" name="logoImageId" type="text" value="${logo.id}"`));
  const entry = (await t.services.audit.recent(5)).find((e) => e.action === 'settings.update');
  assert.ok(entry && (entry.detail.fields as string[]).includes('navigation') && (entry.detail.fields as string[]).includes('logoImageId'));

  const front = await t.app.inject('/');
  assert.equal(front.headers['x-cache'], 'MISS', 'every page follows the settings');
  for (const html of [front.body, (await t.app.inject(storyUrl)).body, (await t.app.inject('/national')).body]) {
    const top = header(html);
    assert.match(top, /<nav class="sections" aria-label="Main"><ul><li><a href="\/national"[^>]*>National<\/a><\/li><li><a href="https:\/\/weather.example\/harbour">Weather<\/a><\/li><\/ul><\/nav>/);
    assert.doesNotMatch(top, /href="\/world"/, 'the sections give way to the links');
    const img = /<img class="site-logo" [^>]*>/.exec(top)?.[0] ?? '';
    assert.match(img, new RegExp(`src="/media/images/${logo.folder}/w320\\.webp"`), 'one small file');
    assert.match(img, /width="320" height="80"/);
    assert.match(img, /alt="Test Gazette"/);
    assert.doesNotMatch(img, /srcset|loading="lazy"/);
    assert.doesNotMatch(html, /rel="preload"/);
  }
  assert.match(header((await t.app.inject('/national')).body), /<a href="\/national" aria-current="page">National<\/a>/);
  const file = await t.app.inject(/src="([^"]+w320\.webp)"/.exec((await t.app.inject('/')).body)![1]!);
  assert.equal(file.statusCode, 200);
});

test('a logo whose image leaves the library gives way to the name; cleared rows bring the sections back', async () => {
  const logo = await libraryImage(t, 'old-logo.png', { format: 'png', width: 600, height: 200 });
  await t.services.settings.update({ logoImageId: logo.id, navigation: [{ label: 'World', href: '/world' }] });
  assert.equal((await t.services.settings.get()).logo?.imageId, logo.id);
  await t.services.images.delete(logo.id);
  assert.equal((await t.services.settings.get()).logo, null);

  const cleared = await admin.browser.post('/newsroom/settings', { ...base, 'nav-1-label': '', 'nav-1-href': '' });
  assert.equal(cleared.statusCode, 200, cleared.body);
  const top = header((await t.app.inject('/')).body);
  assert.match(top, /<a class="site-name" href="\/">Test Gazette<\/a>/);
  assert.match(top, /<nav class="sections" aria-label="Sections"><ul><li><a href="\/national">National<\/a>/);
});

test('only administrators may change the settings', async () => {
  for (const role of ['editor', 'author', 'contributor', 'moderator'] as const) {
    const who = await staff(t, role);
    await who.browser.get('/newsroom');
    const res = await who.browser.post('/newsroom/settings', { ...base, siteName: 'Hijacked', 'nav-1-label': 'Spam', 'nav-1-href': 'https://spam.example/' });
    assert.equal(res.statusCode, 403, role);
    assert.equal((await who.browser.get('/newsroom/settings')).statusCode, 403, role);
  }
  const settings = await t.services.settings.get();
  assert.equal(settings.siteName, 'Test Gazette');
  assert.deepEqual(settings.navigation, []);
});

test('a settings change and its audit entry commit together: a failing entry leaves the settings as they were', async () => {
  const before = await t.services.settings.get();
  await assert.rejects(
    t.services.settings.update({ tagline: 'Never saved' }, async () => {
      throw new Error('audit store unavailable');
    }),
    /audit store unavailable/,
  );
  assert.equal((await t.services.settings.get()).tagline, before.tagline);
  assert.ok(!(await t.services.audit.recent(50)).some((e) => JSON.stringify(e.detail).includes('Never saved')));
});

test('what feeds carry is chosen in the settings: the full text or a summary; anything else is refused', async () => {
  const story = await t.services.articles.save(storyInput({ headline: 'Feed setting story' }));
  assert.match((await admin.browser.get('/newsroom/settings')).body, /<option value="full" selected>The full text<\/option>/);
  const saved = await admin.browser.post('/newsroom/settings', { ...base, feedContent: 'excerpt' });
  assert.ok(saved.statusCode < 400, String(saved.statusCode));
  assert.equal((await t.services.settings.get()).feedContent, 'excerpt');
  assert.match((await admin.browser.get('/newsroom/settings')).body, /<option value="excerpt" selected>A summary and a link<\/option>/);
  assert.doesNotMatch((await t.app.inject('/feed.xml')).body, /<content:encoded>/);
  const refused = await admin.browser.post('/newsroom/settings', { ...base, feedContent: 'everything' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /Feeds carry the full text or an excerpt\./);
  assert.match(refused.body, /id="feedContent" name="feedContent"[^>]*aria-invalid="true"/);
  assert.equal((await t.services.settings.get()).feedContent, 'excerpt', 'nothing saved');
  await admin.browser.post('/newsroom/settings', { ...base, feedContent: 'full' });
  assert.match((await t.app.inject('/feed.xml')).body, new RegExp(`<link>http://news.test/national/${story.slug}</link>[\\s\\S]*<content:encoded>`));
});
