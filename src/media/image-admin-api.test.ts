// The admin API for the media library, as a script would use it: Bearer tokens with roles,
// multipart in, JSON out; refusals as {errors}, and a refused upload leaves nothing behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { multipartBody, sampleImage, SVG_IMAGE, type MultipartPart } from './image-test-samples.ts';

let t: TestApp;
const token: Record<string, string> = {};
let png: Buffer;

before(async () => {
  // The app's job worker stays off: the AVIF job runs when a test says so (t.jobs.runDue()).
  t = await buildTestApp({ MEDIA_MAX_UPLOAD_MB: '1' }, { watchChanges: false });
  for (const role of ['editor', 'author', 'contributor', 'moderator']) {
    token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
  }
  png = await sampleImage('png', 400, 300);
});
after(() => t.close());

type ApiImage = {
  id: number;
  filename: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  thumbnail: string;
  createdAt: string;
  variants: { format: string; width: number; height: number; bytes: number; url: string }[];
};
type Errors = { errors: { field?: string; message: string }[] };

const auth = (role: string | null): Record<string, string> => (role ? { authorization: `Bearer ${token[role] ?? role}` } : {});
const api = (role: string | null, method: 'GET' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/admin/v1/media/images${url}`, payload: payload as object, headers: auth(role) });
const upload = (role: string | null, parts: MultipartPart[]) => {
  const body = multipartBody(parts);
  return t.app.inject({ method: 'POST', url: '/api/admin/v1/media/images', payload: body.payload, headers: { ...body.headers, ...auth(role) } });
};
const file = (bytes = png, filename = 'pier.png', type = 'image/png'): MultipartPart => ({ name: 'file', filename, type, bytes });

const imagesRoot = () => path.join(t.dataDir, 'media', 'images');
const state = async () => ({ rows: (await t.services.images.list()).total, folders: fs.existsSync(imagesRoot()) ? fs.readdirSync(imagesRoot()).sort() : [] });

test('upload with alt text, caption and credit; read it back; change it; list it', async () => {
  const res = await upload('author', [file(), { name: 'alt', value: 'A wooden pier at low tide' }, { name: 'caption', value: 'The pier in March.' }, { name: 'credit', value: 'Northwire' }]);
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.headers['cache-control'], 'private, no-store');
  const { image } = res.json() as { image: ApiImage };
  assert.deepEqual(
    { filename: image.filename, mime: image.mime, width: image.width, height: image.height, alt: image.alt, caption: image.caption, credit: image.credit },
    { filename: 'pier.png', mime: 'image/png', width: 400, height: 300, alt: 'A wooden pier at low tide', caption: 'The pier in March.', credit: 'Northwire' },
  );
  assert.equal(image.bytes, png.length);
  const stored = await t.services.images.get(image.id);
  assert.equal(image.thumbnail, `http://news.test/media/images/${stored.folder}/w320.webp`);
  const files = (variants: ApiImage['variants']) => variants.map((v) => v.url.replace(`http://news.test/media/images/${stored.folder}/`, '')).sort();
  // The answer comes before the AVIF variants, which a background job adds.
  assert.deepEqual(files(image.variants), ['w320.jpg', 'w320.webp', 'w400.jpg', 'w400.webp']);
  assert.equal((await t.app.inject(new URL(image.variants[0]!.url).pathname)).statusCode, 200);
  assert.equal(stored.createdBy, null, 'a token is nobody in the staff list');

  const read = await api('contributor', 'GET', `/${image.id}`);
  assert.equal(read.statusCode, 200);
  assert.deepEqual((read.json() as { image: ApiImage }).image, image);

  await t.jobs.runDue();
  const withAvif = ((await api('contributor', 'GET', `/${image.id}`)).json() as { image: ApiImage }).image;
  assert.deepEqual(files(withAvif.variants), ['w320.avif', 'w320.jpg', 'w320.webp', 'w400.avif', 'w400.jpg', 'w400.webp']);
  const avif = withAvif.variants.find((v) => v.format === 'avif')!;
  assert.equal((await t.app.inject(new URL(avif.url).pathname)).headers['content-type'], 'image/avif');
  assert.deepEqual({ ...withAvif, variants: withAvif.variants.filter((v) => v.format !== 'avif') }, image, 'nothing else changed');

  const patched = await api('editor', 'PATCH', `/${image.id}`, { caption: '  The pier\n in March 2026. ' });
  assert.equal(patched.statusCode, 200);
  const after = (patched.json() as { image: ApiImage }).image;
  assert.equal(after.caption, 'The pier in March 2026.');
  assert.equal(after.alt, 'A wooden pier at low tide', 'fields not named stay as they were');

  const list = await api('author', 'GET', '?q=PIER');
  assert.equal(list.statusCode, 200);
  const found = list.json() as { images: ApiImage[]; next: number | null };
  assert.deepEqual(found.images.map((i) => i.id), [image.id]);
  assert.equal(found.next, null);
});

test('list pages like the picker: 24 newest first, then before=next', async () => {
  const small = await sampleImage('png', 32, 24);
  for (let i = 0; i < 25; i++) await t.services.images.upload({ bytes: small, filename: `page-${i}.png` });
  const first = (await api('author', 'GET', '')).json() as { images: ApiImage[]; next: number };
  assert.equal(first.images.length, 24);
  assert.equal(first.images[0]!.filename, 'page-24.png');
  assert.equal(first.next, first.images[23]!.id);
  const second = (await api('author', 'GET', `?before=${first.next}`)).json() as { images: ApiImage[]; next: number | null };
  assert.deepEqual(second.images.map((i) => i.filename), ['page-0.png', 'pier.png']);
  assert.equal(second.next, null);
  const bad = await api('author', 'GET', '?before=abc');
  assert.equal(bad.statusCode, 400);
  assert.equal((await api('author', 'GET', '?page=2')).statusCode, 400, 'unknown parameters are refused');
});

test('bad uploads: no file, wrong type, too large, damaged, bad or unknown fields; each leaves nothing behind', async () => {
  const cases: [string, MultipartPart[], number, string | undefined, RegExp][] = [
    ['no file', [{ name: 'alt', value: 'An image' }], 400, 'file', /Choose an image to upload/],
    ['an SVG', [file(SVG_IMAGE, 'logo.png')], 415, 'file', /This file is an SVG/],
    ['too large', [file(Buffer.alloc(1024 * 1024 + 10, 0xff), 'big.jpg', 'image/jpeg')], 413, 'file', /larger than the limit of 1 MB/],
    ['damaged', [file(png.subarray(0, 80))], 400, 'file', /damaged or incomplete/],
    ['two files', [file(), file()], 413, 'file', /one image per request/],
    ['too-long alt text', [file(), { name: 'alt', value: 'a'.repeat(301) }], 400, 'alt', /Alt text is at most 300 characters/],
    ['too-long credit', [{ name: 'credit', value: 'c'.repeat(301) }, file()], 400, 'credit', /A credit is at most 300 characters/],
    ['an unknown field', [file(), { name: 'title', value: 'Pier' }], 400, 'title', /Unknown field "title"/],
  ];
  for (const [label, parts, status, field, message] of cases) {
    const before = await state();
    const res = await upload('editor', parts);
    assert.equal(res.statusCode, status, `${label}: ${res.body}`);
    const { errors } = res.json() as Errors;
    assert.equal(errors[0]!.field, field, label);
    assert.match(errors[0]!.message, message, label);
    assert.deepEqual(await state(), before, `${label}: no row, no folder`);
  }
  const json = await t.app.inject({ method: 'POST', url: '/api/admin/v1/media/images', headers: auth('editor'), payload: { file: 'x' } });
  assert.equal(json.statusCode, 415);
  assert.match((json.json() as Errors).errors[0]!.message, /multipart\/form-data/);
});

test('bad changes: too long, unknown fields, wrong types, unknown image', async () => {
  const { id } = await t.services.images.upload({ bytes: png, filename: 'patch.png' });
  const cases: [unknown, number, string, RegExp][] = [
    [{ alt: 'a'.repeat(301) }, 400, 'alt', /Alt text is at most 300 characters/],
    [{ caption: 'c'.repeat(1001) }, 400, 'caption', /A caption is at most 1000 characters/],
    [{ alt: 'Fine', filename: 'renamed.png' }, 400, 'filename', /Unknown field "filename"/],
    [{ alt: { text: 'A pier' } }, 400, 'alt', /must be string/],
  ];
  for (const [payload, status, field, message] of cases) {
    const res = await api('editor', 'PATCH', `/${id}`, payload);
    assert.equal(res.statusCode, status, JSON.stringify(payload));
    const { errors } = res.json() as Errors;
    assert.equal(errors[0]!.field, field);
    assert.match(errors[0]!.message, message);
  }
  const stored = await t.services.images.get(id);
  assert.deepEqual([stored.alt, stored.caption, stored.filename], ['', '', 'patch.png'], 'nothing changed');
  assert.equal((await api('editor', 'PATCH', '/999999', { alt: 'x' })).statusCode, 404);
  assert.equal((await api('editor', 'GET', '/999999')).statusCode, 404);
  assert.equal((await api('editor', 'GET', '/abc')).statusCode, 404, 'an id that cannot name a row names nothing');
  assert.equal((await api('editor', 'GET', '/99999999999')).statusCode, 404, 'past the integer column: nothing, on both engines');
});

test('who may NOT: no token or an invalid one (401), a moderator token (403); nothing is stored', async () => {
  const before = await state();
  const { id } = (await t.services.images.list({ limit: 1 })).images[0]!;
  for (const [who, status] of [[null, 401], ['not-a-real-token', 401], ['moderator', 403]] as const) {
    assert.equal((await upload(who, [file(), { name: 'alt', value: 'x' }])).statusCode, status, `upload as ${who}`);
    assert.equal((await api(who, 'GET', '')).statusCode, status, `list as ${who}`);
    assert.equal((await api(who, 'GET', `/${id}`)).statusCode, status, `read as ${who}`);
    const patch = await api(who, 'PATCH', `/${id}`, { alt: 'Changed' });
    assert.equal(patch.statusCode, status, `patch as ${who}`);
    assert.ok((patch.json() as Errors).errors[0]!.message);
  }
  assert.equal((await upload(null, [file()])).headers['www-authenticate'], 'Bearer');
  assert.deepEqual(await state(), before);
  assert.notEqual((await t.services.images.get(id)).alt, 'Changed');
});

test('the OpenAPI document describes the media endpoints, the upload as multipart', async () => {
  const spec = (await t.app.inject('/api/docs/json')).json() as {
    paths: Record<string, Record<string, { tags?: string[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, { format?: string }>; required?: string[] } }> } }>>;
  };
  const images = spec.paths['/api/admin/v1/media/images']!;
  assert.deepEqual(Object.keys(images).sort(), ['get', 'post']);
  const form = images.post!.requestBody!.content['multipart/form-data']!.schema;
  assert.equal(form.properties.file!.format, 'binary');
  assert.deepEqual(Object.keys(form.properties).sort(), ['alt', 'caption', 'credit', 'file']);
  assert.deepEqual(form.required, ['file']);
  assert.deepEqual(Object.keys(spec.paths['/api/admin/v1/media/images/{id}']!).sort(), ['get', 'patch']);
  assert.deepEqual(images.get!.tags, ['media']);
  assert.match((await t.app.inject('/api/docs')).body, /<code>PATCH<\/code><\/td><td><code>\/api\/admin\/v1\/media\/images\/\{id\}<\/code>/);
});
