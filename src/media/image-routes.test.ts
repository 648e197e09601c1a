import assert from 'node:assert/strict';
import { IMAGE_AVIF } from './image-avif-job.ts';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { IMMUTABLE } from './image-routes.ts';
import type { ImageRecord } from './image-service.ts';
import { sampleImage, SVG_IMAGE } from './image-test-samples.ts';

let t: TestApp;
let image: ImageRecord;

before(async () => {
  t = await buildTestApp({ MEDIA_MAX_UPLOAD_MB: '1' }, { watchChanges: false });
  const uploaded = await t.services.images.upload({ bytes: await sampleImage('jpeg', 700, 500), filename: 'harbour.jpg' });
  // Its AVIF variants come from the job the upload queued.
  await t.jobs.runDue();
  image = await t.services.images.get(uploaded.id);
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

test('variants are served with their type, a year of immutable caching and a strong ETag', async () => {
  const variant = image.variants.find((v) => v.file === 'w640.avif')!;
  const res = await get(`/media/images/${image.folder}/w640.avif`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'image/avif');
  assert.equal(res.headers['cache-control'], IMMUTABLE);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(Number(res.headers['content-length']), variant.bytes);
  assert.deepEqual(res.rawPayload, fs.readFileSync(path.join(t.dataDir, 'media', 'images', image.folder, 'w640.avif')));
  const etag = res.headers.etag as string;
  assert.match(etag, /^"[^"]+"$/);

  for (const [file, type] of [['w320.webp', 'image/webp'], ['w700.jpg', 'image/jpeg']]) {
    const other = await get(`/media/images/${image.folder}/${file}`);
    assert.equal(other.statusCode, 200);
    assert.equal(other.headers['content-type'], type);
  }

  const again = await get(`/media/images/${image.folder}/w640.avif`, { 'if-none-match': `"other", ${etag}` });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
  assert.equal(again.headers.etag, etag);
  assert.equal(again.headers['cache-control'], IMMUTABLE);
  assert.equal((await get(`/media/images/${image.folder}/w640.avif`, { 'if-none-match': '"stale"' })).statusCode, 200);
  assert.equal((await t.app.inject({ method: 'HEAD', url: `/media/images/${image.folder}/w640.avif` })).statusCode, 200);
});

test('the original (with its camera metadata) and anything not a variant is never served', async () => {
  const urls = [
    `/media/images/${image.folder}/original.jpg`,
    `/media/images/${image.folder}/w999.jpg`,
    `/media/images/${image.folder}/`,
    `/media/images/${image.folder}`,
    `/media/images/${image.id}-0000000000000000/w640.avif`,
    `/media/images/${image.folder}/w640.avif/extra`,
    `/media/images/${image.folder.toUpperCase()}/w640.avif`,
  ];
  for (const url of urls) assert.equal((await get(url)).statusCode, 404, url);
});

test('path traversal is impossible: .., encoded dots and slashes, absolute paths → 404', async () => {
  fs.writeFileSync(path.join(t.dataDir, 'media', 'secret.png'), 'not for readers');
  const urls = [
    '/media/images/../../bulletin.db',
    `/media/images/${image.folder}/../../secret.png`,
    `/media/images/${image.folder}/..%2f..%2fsecret.png`,
    '/media/images/%2e%2e/%2e%2e/secret.png',
    '/media/images/%2e%2e%2f%2e%2e%2fsecret.png',
    `/media/images/${image.folder}/%2e%2e%2fw640.avif`,
    '/media/images//etc/passwd',
    '/media/images/%2fetc%2fpasswd',
    '/media/images/C:%5cWindows%5cwin.ini',
    `/media/images/${image.folder}%00/w640.avif`,
    `/media/images/${image.folder}/w640.avif%00.png`,
  ];
  for (const url of urls) {
    const res = await get(url);
    assert.equal(res.statusCode, 404, url);
    assert.notEqual(res.body, 'not for readers', url);
  }
});

type Body = { payload: Buffer | string; headers: Record<string, string> };

function multipart(files: { filename: string; type: string; bytes: Buffer }[], fields: Record<string, string> = {}): Body {
  const boundary = '----bulletin-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The same body without its closing boundary. */
function truncated(body: Body): Body {
  const bytes = body.payload as Buffer;
  return { ...body, payload: bytes.subarray(0, bytes.length - '\r\n--------bulletin-test-boundary--\r\n'.length) };
}

/** Cookies and CSRF header of a signed-in staff member with `role`, as the newsroom page hands them out. */
async function signedIn(role: string): Promise<{ userId: number; headers: Record<string, string> }> {
  const { id } = await t.services.accounts.addUser('cli', { email: `${role}@news.test`, role, name: `Test ${role}` });
  const session = `bulletin_session=${await t.services.accounts.sessionFor(id)}`;
  const page = await get('/newsroom', { cookie: session });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const csrfCookie = [page.headers['set-cookie']].flat().find((c) => c?.startsWith('bulletin_csrf='))?.split(';')[0];
  assert.ok(token && csrfCookie, `the newsroom page hands out a CSRF token (status ${page.statusCode})`);
  return { userId: id, headers: { cookie: `${session}; ${csrfCookie}`, 'x-csrf-token': token } };
}

const upload = (body: Body, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/newsroom/media/images', payload: body.payload, headers: { ...body.headers, ...headers } });

test('who may NOT upload: nobody signed out, no role without the media right; nothing is stored', async () => {
  const before = (await t.services.images.list()).total;
  const body = multipart([{ filename: 'a.png', type: 'image/png', bytes: await sampleImage('png', 64, 64) }]);
  const anonymous = await upload(body);
  assert.equal(anonymous.statusCode, 303);
  assert.match(anonymous.headers.location as string, /^\/newsroom\/sign-in/);
  const moderator = await signedIn('moderator');
  assert.equal((await upload(body, moderator.headers)).statusCode, 403);
  const contributor = await signedIn('contributor');
  const { 'x-csrf-token': _, ...withoutCsrf } = contributor.headers;
  assert.equal((await upload(body, withoutCsrf)).statusCode, 403, 'a form without its CSRF token is refused');
  assert.equal((await t.services.images.list()).total, before);
});

test('a contributor uploads: 201 with the image record and its thumbnail, credited to them', async () => {
  const { userId, headers } = await signedIn('author');
  const res = await upload(multipart([{ filename: 'gate.png', type: 'image/png', bytes: await sampleImage('png', 400, 300) }]), headers);
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.headers['cache-control'], 'private, no-store');
  const { image: created } = res.json() as { image: ImageRecord & { thumbnail: string } };
  const { thumbnail, ...record } = created;
  assert.equal(created.filename, 'gate.png');
  assert.equal(created.mime, 'image/png');
  assert.equal(created.createdBy, userId);
  assert.deepEqual(await t.services.images.get(created.id), record);
  // Answered before the slow AVIF encodes: those are a job queued with the row.
  assert.deepEqual([...new Set(created.variants.map((v) => v.format))], ['webp', 'jpeg']);
  const queued = (await t.jobs.list(IMAGE_AVIF.kind)).filter((job) => (job.payload as { imageId: number }).imageId === created.id);
  assert.deepEqual(queued.map((job) => job.status), ['pending']);
  // The list fields the newsroom's browser code shows it with (PickerImage): the smallest WebP as thumbnail.
  assert.equal(thumbnail, `/media/images/${created.folder}/w320.webp`);
  assert.equal((await get(thumbnail)).headers['content-type'], 'image/webp');
});

test('bad uploads over HTTP: 415 for non-images, 413 for size or extra files, 400 for damage or no file', async () => {
  const { headers } = await signedIn('editor');
  const before = (await t.services.images.list()).total;
  const png = await sampleImage('png', 64, 64);
  const cases: [Body, number, RegExp][] = [
    [multipart([{ filename: 'photo.jpg', type: 'image/jpeg', bytes: SVG_IMAGE }]), 415, /^This file is an SVG; upload a JPEG, PNG, WebP, AVIF or GIF\.$/],
    [multipart([{ filename: 'big.jpg', type: 'image/jpeg', bytes: Buffer.alloc(1024 * 1024 + 10, 0xff) }]), 413, /larger than the limit of 1 MB/],
    [multipart([{ filename: 'cut.png', type: 'image/png', bytes: png.subarray(0, 60) }]), 400, /damaged or incomplete/],
    [multipart([{ filename: 'empty.png', type: 'image/png', bytes: Buffer.alloc(0) }]), 400, /The file is empty/],
    [multipart([{ filename: 'a.png', type: 'image/png', bytes: png }, { filename: 'b.png', type: 'image/png', bytes: png }]), 413, /one image per request/],
    [multipart([], { alt: 'no file here' }), 400, /Choose an image to upload/],
    [{ payload: '{"file":"x"}', headers: { 'content-type': 'application/json' } }, 415, /multipart\/form-data/],
    // Cut off before its closing boundary (a dropped or forged upload): the sender's error, not ours.
    [truncated(multipart([{ filename: 'photo.png', type: 'image/png', bytes: png }])), 400, /could not be read \(it ended early or is malformed\)/],
  ];
  for (const [body, status, message] of cases) {
    const res = await upload(body, headers);
    assert.equal(res.statusCode, status, res.body);
    const { errors } = res.json() as { errors: { field?: string; message: string }[] };
    assert.match(errors[0]!.message, message);
  }
  assert.equal((await t.services.images.list()).total, before, 'none of them stored anything');
  const leftovers = fs.readdirSync(path.join(t.dataDir, 'media', 'images')).filter((f) => f.startsWith('.'));
  assert.deepEqual(leftovers, []);
});
