// The media library screen: who may open it, what it lists (newest first, paged, searched), and the
// upload form without JavaScript, whose refusals are shown on the screen and leave nothing behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { Browser, staff } from '../../../test/helpers/newsroom.ts';
import type { ImageRecord } from '../image-service.ts';
import { multipartBody, sampleImage, SVG_IMAGE, type MultipartPart } from '../image-test-samples.ts';

let t: TestApp;
let author: { id: number; browser: Browser };
let editor: { id: number; browser: Browser };
let tiny: Buffer;

before(async () => {
  t = await buildTestApp({ MEDIA_MAX_UPLOAD_MB: '1' });
  author = await staff(t, 'author');
  editor = await staff(t, 'editor');
  tiny = await sampleImage('png', 40, 30);
});
after(() => t.close());

const imagesRoot = () => path.join(t.dataDir, 'media', 'images');
const folders = () => (fs.existsSync(imagesRoot()) ? fs.readdirSync(imagesRoot()).sort() : []);
const total = async () => (await t.services.images.list()).total;

/** The library's upload form as a browser without JavaScript sends it: the CSRF token first, then the file. */
async function postForm(who: Browser, parts: MultipartPart[], csrf = true) {
  if (!who.csrf) await who.get('/newsroom/media');
  const body = multipartBody(csrf ? [{ name: '_csrf', value: who.csrf }, ...parts] : parts);
  const cookie = [...who.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return t.app.inject({ method: 'POST', url: '/newsroom/media', payload: body.payload, headers: { ...body.headers, cookie } });
}

const file = (filename: string, bytes: Buffer, type = 'image/png'): MultipartPart => ({ name: 'file', filename, type, bytes });

test('who may open the library: authors, editors and contributors; not moderators; anonymous visitors sign in first', async () => {
  for (const who of [author, editor, await staff(t, 'contributor')]) {
    const res = await who.browser.get('/newsroom/media');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Media library<\/h1>/);
    assert.match(res.body, /<a href="\/newsroom\/media" aria-current="page">Media<\/a>/, 'the navigation names it');
    assert.match(res.body, /<form class="stack" method="post" action="\/newsroom\/media" enctype="multipart\/form-data"/);
    assert.match(res.body, /<script type="module" src="\/assets\/media-[A-Za-z0-9_-]{12}\.js"><\/script>/);
    assert.doesNotMatch(res.body, /<script>|style="/, 'no inline script or style (CSP)');
  }
  const moderator = await staff(t, 'moderator');
  assert.equal((await moderator.browser.get('/newsroom/media')).statusCode, 403);
  assert.doesNotMatch((await moderator.browser.get('/newsroom')).body, /href="\/newsroom\/media"/, 'no Media item for moderators');
  const anonymous = await new Browser(t).get('/newsroom/media?q=harbour');
  assert.equal(anonymous.statusCode, 303);
  assert.equal(anonymous.headers.location, `/newsroom/sign-in?next=${encodeURIComponent('/newsroom/media?q=harbour')}`);
});

test('the island bundle is served and carries the upload code', async () => {
  const page = await author.browser.get('/newsroom/media');
  const url = /src="(\/assets\/media-[^"]+)"/.exec(page.body)![1]!;
  const res = await t.app.inject(url);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.match(res.body, /data-media-upload/);
  assert.match(res.body, /x-csrf-token/);
});

test('newest first with thumbnail, size and a "Needs alt text" marker; 24 a page with Newer and Older links', async () => {
  const made: ImageRecord[] = [];
  for (let i = 1; i <= 26; i++) made.push(await t.services.images.upload({ bytes: tiny, filename: `list-${String(i).padStart(2, '0')}.png` }));
  await t.services.images.updateMeta(made[25]!.id, { alt: 'A red circle on blue' });

  const first = await author.browser.get('/newsroom/media');
  const names = [...first.body.matchAll(/class="media-name" href="\/newsroom\/media\/\d+">([^<]+)</g)].map((m) => m[1]);
  assert.equal(names.length, 24);
  assert.deepEqual(names.slice(0, 3), ['list-26.png', 'list-25.png', 'list-24.png']);
  const newest = made[25]!;
  const thumb = newest.variants.find((v) => v.file === 'w40.webp')!;
  assert.ok(
    first.body.includes(`<img src="/media/images/${newest.folder}/w40.webp" width="${thumb.width}" height="${thumb.height}" alt="A red circle on blue"`),
    'the smallest WebP, with its size and the alt text',
  );
  const item = (name: string) => new RegExp(`>${name}</a><span class="media-size">40 × 30 px</span>(<strong class="media-needs-alt">Needs alt text</strong>)?</li>`).exec(first.body);
  assert.equal(item('list-26\\.png')![1], undefined, 'no marker once it has alt text');
  assert.ok(item('list-25\\.png')![1], 'marked while it has none');
  assert.match(first.body, /Page 1 of 2/);
  assert.match(first.body, /<a href="\/newsroom\/media\?page=2" rel="next">Older<\/a>/);
  assert.doesNotMatch(first.body, />Newer</);

  const second = await author.browser.get('/newsroom/media?page=2');
  assert.match(second.body, />list-02\.png</);
  assert.match(second.body, />list-01\.png</);
  assert.match(second.body, /<a href="\/newsroom\/media" rel="prev">Newer<\/a>/);
  assert.doesNotMatch(second.body, />Older</);

  const bad = await author.browser.get('/newsroom/media?page=zero');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /There is no page “zero”; pages are numbered from 1\./);
});

test('search: file name, alt text, caption or credit, ignoring case the same way on both engines', async () => {
  const harbour = await t.services.images.upload({ bytes: tiny, filename: 'Harbour-Crane.png' });
  const credited = await t.services.images.upload({ bytes: tiny, filename: 'dsc_0042.png', meta: { credit: 'HARBOUR Photos Ltd' } });
  const captioned = await t.services.images.upload({ bytes: tiny, filename: 'x.png', meta: { caption: 'Élodie Marchand at the harbour wall' } });
  const res = await author.browser.get('/newsroom/media?q=hArBoUr');
  assert.equal(res.statusCode, 200);
  const ids = [...res.body.matchAll(/href="\/newsroom\/media\/(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(ids, [captioned.id, credited.id, harbour.id]);
  assert.match(res.body, /3 images match “hArBoUr”\. <a href="\/newsroom\/media">Show all images<\/a>/);
  assert.match(res.body, /<input type="search" id="q" name="q" value="hArBoUr"/);
  // Letters beyond A–Z keep their case on SQLite; PostgreSQL is held to the same.
  const accented = async (q: string) => [...(await author.browser.get(`/newsroom/media?q=${encodeURIComponent(q)}`)).body.matchAll(/href="\/newsroom\/media\/(\d+)"/g)].length;
  assert.equal(await accented('élodie'), 0);
  assert.equal(await accented('Élodie'), 1);
  assert.equal(await accented('ÉLODIE'), 1);
  assert.equal(await accented('100%'), 0, 'wildcards are literal');

  const long = await author.browser.get(`/newsroom/media?q=${'x'.repeat(201)}`);
  assert.equal(long.statusCode, 400);
  assert.match(long.body, /<a href="#q">Search for at most 200 characters\.<\/a>/);
});

test('upload without JavaScript: the screen again, with the new image first and a link to its alt text', async () => {
  const res = await postForm(author.browser, [file('quay.png', await sampleImage('png', 200, 120))]);
  assert.equal(res.statusCode, 201, res.body);
  assert.match(res.headers['content-type'] as string, /^text\/html/);
  const image = (await t.services.images.list({ limit: 1 })).images[0]!;
  assert.equal(image.filename, 'quay.png');
  assert.equal(image.createdBy, author.id);
  assert.ok(res.body.includes(`Uploaded “quay.png”. Next, <a href="/newsroom/media/${image.id}">add its alt text</a>`));
  const first = /class="media-name" href="\/newsroom\/media\/(\d+)"/.exec(res.body)!;
  assert.equal(Number(first[1]), image.id, 'listed first');
});

test('bad uploads without JavaScript: each shows its error in HTML with a 4xx status and leaves no row or folder', async () => {
  const png = await sampleImage('png', 64, 64);
  const cases: [string, MultipartPart[], number, RegExp][] = [
    ['an SVG called a JPEG', [file('photo.jpg', SVG_IMAGE, 'image/jpeg')], 415, /This file is an SVG; upload a JPEG, PNG, WebP, AVIF or GIF\./],
    ['no file chosen', [file('', Buffer.alloc(0), 'application/octet-stream')], 400, /Choose an image to upload: a JPEG, PNG, WebP, AVIF or GIF\./],
    ['a damaged file', [file('cut.png', png.subarray(0, 60))], 400, /damaged or incomplete/],
    ['two files', [file('a.png', png), file('b.png', png)], 413, /Upload one image at a time\./],
    ['too large a file', [file('big.png', Buffer.alloc(1024 * 1024 + 100 * 1024, 0xff))], 413, /larger than the limit of 1 MB/],
    // Past twice the limit the server stops reading (the rest is never buffered or even read).
    ['far too large a file', [file('huge.png', Buffer.alloc(4 * 1024 * 1024, 0xff))], 413, /larger than the limit of 1 MB/],
  ];
  for (const [label, parts, status, message] of cases) {
    const before = { rows: await total(), folders: folders() };
    const res = await postForm(editor.browser, parts);
    assert.equal(res.statusCode, status, `${label}: ${res.body.slice(0, 300)}`);
    assert.match(res.headers['content-type'] as string, /^text\/html/, label);
    assert.match(res.body, message, label);
    assert.doesNotMatch(res.body, /at \w+ \(|Error:/, `${label}: no stack trace`);
    assert.equal(await total(), before.rows, `${label}: no row`);
    assert.deepEqual(folders(), before.folders, `${label}: no folder, no leftovers`);
  }
  // On the library screen, the refusal sits at the file field, linked from the summary.
  const svg = await postForm(editor.browser, [file('photo.jpg', SVG_IMAGE, 'image/jpeg')]);
  assert.match(svg.body, /<a href="#file">This file is an SVG/);
  assert.match(svg.body, /<p class="field-error" id="file-error">This file is an SVG/);
  assert.match(svg.body, /aria-invalid="true"/);
});

test('who may NOT upload through the form: a forged post without the token, moderators, anonymous visitors', async () => {
  const before = { rows: await total(), folders: folders() };
  const forged = await postForm(editor.browser, [file('x.png', tiny)], false);
  assert.equal(forged.statusCode, 403);
  const moderator = await staff(t, 'moderator');
  await moderator.browser.get('/newsroom'); // a CSRF token, as a real form would carry
  assert.equal((await postForm(moderator.browser, [file('x.png', tiny)])).statusCode, 403);
  const anonymous = new Browser(t);
  await anonymous.get('/newsroom/sign-in');
  const res = await postForm(anonymous, [file('x.png', tiny)]);
  assert.equal(res.statusCode, 303);
  assert.match(res.headers.location as string, /^\/newsroom\/sign-in/);
  assert.equal(await total(), before.rows);
  assert.deepEqual(folders(), before.folders);
});
