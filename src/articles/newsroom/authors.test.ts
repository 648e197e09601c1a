// The author profile screens: the list (photo, public page, story count, edit link), creating and
// editing a profile with the values kept, messages for bad input, public addresses that stay put,
// the cache dropped for the pages with the byline, and who may not use any of it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Author } from '../model.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput, libraryImage } from '../../../test/helpers/fixtures.ts';
import { Browser, staff } from '../../../test/helpers/newsroom.ts';

let t: TestApp;
let editor: { browser: Browser };
let ada: Author;
let storyUrl: string;

before(async () => {
  t = await buildTestApp({}, { runJobs: false });
  ({ ada } = await seedBasics(t.services));
  const story = await t.services.articles.save(storyInput({ headline: 'Harbour wall repaired' }));
  storyUrl = `/national/${story.slug}`;
  editor = await staff(t, 'editor');
  await editor.browser.get('/newsroom');
});
after(() => t.close());

const portrait = (filename: string) => libraryImage(t, filename, { width: 600, height: 600 });

test('the list shows every profile with its public page, photo, story count and an edit link', async () => {
  const image = await portrait('ben.jpg');
  await t.services.authors.save({ name: 'Ben Writer', photoImageId: image.id });
  const ben = (await t.services.articles.authorBySlug('ben-writer'))!;
  const page = await editor.browser.get('/newsroom/authors');
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'private, no-store');
  assert.match(page.body, /<a href="\/newsroom\/authors\/new">New author profile<\/a>/);
  // Ada has the story, Ben none; Ben has a photo, Ada none.
  assert.match(page.body, new RegExp(`<td><span class="muted">None</span></td><td>Ada Reporter</td><td><a href="/author/ada-reporter">/author/ada-reporter</a></td><td>1</td><td><a href="/newsroom/authors/${ada.id}">Edit<span class="skip"> Ada Reporter</span></a></td>`));
  assert.match(page.body, new RegExp(`<img src="/media/images/[^"]+" alt(="")? width="48" height="48"/></td><td>Ben Writer</td><td><a href="/author/ben-writer">/author/ben-writer</a></td><td>0</td><td><a href="/newsroom/authors/${ben.id}">`));
  assert.doesNotMatch(page.body, /<script/, 'the list has no island');
});

test('a new profile: created with its photo, then listed with a notice; the form keeps its values on errors', async () => {
  const image = await portrait('mara.jpg');
  const form = await editor.browser.get('/newsroom/authors/new');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<form class="stack" method="post" action="\/newsroom\/authors\/new" novalidate>/);
  assert.match(form.body, /<script type="module" src="\/assets\/image-field-[A-Za-z0-9_-]{12}\.js">/);
  assert.match(form.body, /data-image-field="photoImageId"/);

  const bad = await editor.browser.post('/newsroom/authors/new', { name: '', slug: 'Bad Slug', bio: 'x'.repeat(2001), photoImageId: String(image.id) });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<a href="#name">An author name is 1 to 100 characters\.<\/a>/);
  assert.match(bad.body, /<a href="#slug">An author slug uses a-z, 0-9 and single dashes\.<\/a>/);
  assert.match(bad.body, /<a href="#bio">The bio is longer than 2,000 characters\.<\/a>/);
  assert.match(bad.body, /value="Bad Slug"/, 'what was typed stays');
  assert.match(bad.body, new RegExp(`id="photoImageId"[^>]*value="${image.id}"|value="${image.id}"[^>]*id="photoImageId"`));
  assert.match(bad.body, /data-image-field-preview="true" data-image-id="\d+"><img src="\/media\/images\/[^"]+" alt(="")? width="96" height="96"\/><span>mara\.jpg<\/span>/, 'and its thumbnail');

  const created = await editor.browser.post('/newsroom/authors/new', { name: 'Mara Lind', slug: '', bio: 'Covers the port.', photoImageId: String(image.id) });
  assert.equal(created.statusCode, 303);
  const mara = (await t.services.articles.authorBySlug('mara-lind'))!;
  assert.deepEqual({ name: mara.name, bio: mara.bio, photoImageId: mara.photoImageId }, { name: 'Mara Lind', bio: 'Covers the port.', photoImageId: image.id });
  assert.equal(created.headers.location, `/newsroom/authors?saved=${mara.id}`);
  const list = await editor.browser.get(created.headers.location as string);
  assert.match(list.body, /<p class="notice" role="status">Saved the profile of Mara Lind \(\/author\/mara-lind\)\.<\/p>/);
  assert.match((await t.app.inject('/author/mara-lind')).body, /<h1>Mara Lind<\/h1><p>Covers the port\.<\/p>/);
});

test('an address in use is refused, not taken over', async () => {
  const taken = await editor.browser.post('/newsroom/authors/new', { name: 'Another Ada', slug: 'ada-reporter', bio: 'Impostor.' });
  assert.equal(taken.statusCode, 409);
  assert.match(taken.body, /There is an author at \/author\/ada-reporter already/);
  assert.match(taken.body, /value="Another Ada"/);
  const same = await editor.browser.post('/newsroom/authors/new', { name: 'Ada Reporter', bio: '' });
  assert.equal(same.statusCode, 409, 'a name that makes the same address too');
  assert.equal((await t.services.articles.authorBySlug('ada-reporter'))!.bio, 'Covers city hall.');
});

test('editing shows the saved values; a new name keeps the address; the pages with the byline are dropped from the cache', async () => {
  const form = await editor.browser.get(`/newsroom/authors/${ada.id}`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<h1>Edit author: Ada Reporter<\/h1>/);
  assert.match(form.body, /id="name"[^>]*value="Ada Reporter"|value="Ada Reporter"[^>]*id="name"/);
  assert.match(form.body, /<textarea id="bio" name="bio">Covers city hall\.<\/textarea>/);
  assert.match(form.body, /<strong>Public page:<\/strong> <a href="\/author\/ada-reporter">\/author\/ada-reporter<\/a>/);
  assert.doesNotMatch(form.body, /name="slug"/, 'the address is not editable');

  for (const url of [storyUrl, '/author/ada-reporter']) {
    await t.app.inject(url);
    assert.equal((await t.app.inject(url)).headers['x-cache'], 'HIT', url);
  }
  const image = await portrait('ada.jpg');
  const saved = await editor.browser.post(`/newsroom/authors/${ada.id}`, { name: 'Ada Q. Reporter', bio: 'Covers city hall and the port.', photoImageId: String(image.id), slug: 'hijack' });
  assert.equal(saved.statusCode, 303);
  const after = (await t.services.authors.byId(ada.id))!;
  assert.deepEqual(after, { id: ada.id, slug: 'ada-reporter', name: 'Ada Q. Reporter', bio: 'Covers city hall and the port.', photoImageId: image.id });
  const story = await t.app.inject(storyUrl);
  assert.equal(story.headers['x-cache'], 'MISS');
  assert.match(story.body, /<a href="\/author\/ada-reporter">Ada Q\. Reporter<\/a>/);
  const profile = await t.app.inject('/author/ada-reporter');
  assert.equal(profile.headers['x-cache'], 'MISS');
  assert.match(profile.body, /<h1>Ada Q\. Reporter<\/h1><p>Covers city hall and the port\.<\/p>/);
  assert.equal((await t.app.inject('/author/hijack')).statusCode, 404);

  // Saving again without retyping: the form's own values go back unchanged.
  const again = await editor.browser.get(`/newsroom/authors/${ada.id}`);
  assert.match(again.body, new RegExp(`data-image-field-preview="true" data-image-id="${image.id}"><img`));
  const resaved = await editor.browser.post(`/newsroom/authors/${ada.id}`, { name: 'Ada Q. Reporter', bio: 'Covers city hall and the port.', photoImageId: String(image.id) });
  assert.equal(resaved.statusCode, 303);
  assert.deepEqual(await t.services.authors.byId(ada.id), after);
});

test('bad edits are explained and change nothing; an unknown profile is a 404', async () => {
  const before = (await t.services.authors.byId(ada.id))!;
  const bad = await editor.browser.post(`/newsroom/authors/${ada.id}`, { name: ' ', bio: 'Kept?', photoImageId: '99999999999' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /An author name is 1 to 100 characters/);
  assert.match(bad.body, /<a href="#photoImageId">The photo must be an image from the media library\.<\/a>/);
  assert.match(bad.body, /<textarea id="bio" name="bio">Kept\?<\/textarea>/, 'what was typed stays');
  assert.match(bad.body, /<h1>Edit author: /);
  const gone = await editor.browser.post(`/newsroom/authors/${ada.id}`, { name: 'Ada', bio: '', photoImageId: '987654' });
  assert.equal(gone.statusCode, 400);
  assert.match(gone.body, /There is no image 987654 in the media library/);
  assert.deepEqual(await t.services.authors.byId(ada.id), before);

  for (const url of ['/newsroom/authors/999999', '/newsroom/authors/abc', '/newsroom/authors/99999999999']) {
    assert.equal((await editor.browser.get(url)).statusCode, 404, url);
  }
  assert.equal((await editor.browser.post('/newsroom/authors/999999', { name: 'Nobody', bio: '' })).statusCode, 404);
});

test('authors, contributors and moderators are refused; anonymous visitors are sent to sign in', async () => {
  const before = await t.services.articles.authors();
  for (const role of ['author', 'contributor', 'moderator'] as const) {
    const who = await staff(t, role);
    const home = await who.browser.get('/newsroom');
    assert.doesNotMatch(home.body, /href="\/newsroom\/authors"/, `${role}: no link`);
    for (const url of ['/newsroom/authors', '/newsroom/authors/new', `/newsroom/authors/${ada.id}`]) {
      assert.equal((await who.browser.get(url)).statusCode, 403, `${role} GET ${url}`);
    }
    assert.equal((await who.browser.post('/newsroom/authors/new', { name: `By ${role}`, bio: '' })).statusCode, 403, role);
    assert.equal((await who.browser.post(`/newsroom/authors/${ada.id}`, { name: 'Hijacked', bio: '' })).statusCode, 403, role);
  }
  const anonymous = new Browser(t);
  const list = await anonymous.get('/newsroom/authors');
  assert.equal(list.statusCode, 303);
  assert.match(String(list.headers.location), /^\/newsroom\/sign-in\?next=/);
  const post = await anonymous.post(`/newsroom/authors/${ada.id}`, { name: 'Hijacked', bio: '' });
  assert.match(String(post.headers.location), /^\/newsroom\/sign-in\?next=/);
  assert.deepEqual(await t.services.articles.authors(), before);
});

test('a form without its CSRF token is refused', async () => {
  const res = await editor.browser.post('/newsroom/authors/new', { _csrf: 'forged', name: 'Forged Author', bio: '' });
  assert.equal(res.statusCode, 403);
  assert.equal(await t.services.articles.authorBySlug('forged-author'), undefined);
});
