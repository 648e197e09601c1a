// Resumable clip uploads (tus 1.0.0) over real HTTP: created, sent in pieces, broken off mid-request
// and taken up again from the offset the server kept, then checked like any upload; every refusal
// worded as {errors} and leaving nothing behind; nobody but the creator can see or touch an upload.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { staff } from '../../../test/helpers/newsroom.ts';
import { makeClip } from './video-test-clips.ts';

let t: TestApp;
let base: string;
const token: Record<string, string> = {};
const API = '/api/admin/v1/media/videos/uploads';

before(async () => {
  t = await buildTestApp({ MEDIA_MAX_VIDEO_MB: '1', MEDIA_MAX_VIDEO_MINUTES: '1' }, { watchChanges: false });
  for (const role of ['author', 'contributor', 'moderator']) token[role] = (await t.services.tokens.create('cli', { name: `${role} bot`, role })).token;
  token.otherAuthor = (await t.services.tokens.create('cli', { name: 'second author bot', role: 'author' })).token;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
after(() => t.close());

const tus = { 'tus-resumable': '1.0.0' };
const auth = (who: string | null): Record<string, string> => (who ? { authorization: `Bearer ${token[who]}` } : {});
const metadata = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
const uploadsDir = () => path.join(t.dataDir, 'media', 'videos', '.uploads');
const leftovers = () => (fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()) : []);
const clipCount = async () => (await t.services.videos.browse({ limit: 100 })).videos.length;
const errorsOf = async (res: Response) => ((await res.json()) as { errors: { field?: string; message: string }[] }).errors;

async function create(who: string | null, length: number, fields: Record<string, string>, extra: Record<string, string> = {}) {
  return fetch(`${base}${API}`, { method: 'POST', headers: { ...tus, ...auth(who), 'upload-length': String(length), 'upload-metadata': metadata(fields), ...extra } });
}

function patch(who: string | null, url: string, offset: number, bytes: Buffer) {
  return fetch(`${base}${url}`, { method: 'PATCH', headers: { ...tus, ...auth(who), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, body: new Uint8Array(bytes) });
}

const head = (who: string | null, url: string) => fetch(`${base}${url}`, { method: 'HEAD', headers: { ...tus, ...auth(who) } });

/** A PATCH whose connection breaks after `bytes` of the body: what a dropped Wi-Fi does. */
function brokenPatch(who: string, url: string, offset: number, total: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(`${base}${url}`, {
      method: 'PATCH',
      headers: { ...tus, ...auth(who), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'content-length': String(total) },
    });
    request.on('error', () => resolve());
    request.on('close', () => resolve());
    request.write(bytes, () => setTimeout(() => request.destroy(), 150));
  });
}

test('a clip sent in pieces, broken off mid-request and taken up from the kept offset, becomes a clip with its text', async () => {
  const clip = makeClip({ width: 640, height: 360, seconds: 2 });
  const created = await create('author', clip.length, { filename: 'harbour.mp4', title: 'Harbour at dawn', credit: 'Northwire' });
  assert.equal(created.status, 201, await created.text());
  const url = created.headers.get('location')!;
  assert.match(url, new RegExp(`^${API}/[0-9a-f]{32}$`));
  assert.equal(created.headers.get('cache-control'), 'private, no-store');
  assert.equal(created.headers.get('access-control-allow-origin'), null);

  const first = Math.floor(clip.length / 3);
  const sent = await patch('author', url, 0, clip.subarray(0, first));
  assert.equal(sent.status, 204);
  assert.equal(sent.headers.get('upload-offset'), String(first));

  // The connection drops partway through the next piece: what arrived is kept.
  await brokenPatch('author', url, first, clip.length - first, clip.subarray(first, first + 20_000));
  const where = await head('author', url);
  assert.equal(where.status, 200);
  const offset = Number(where.headers.get('upload-offset'));
  assert.ok(offset >= first && offset <= first + 20_000, `offset ${offset}`);
  assert.equal(where.headers.get('upload-length'), String(clip.length));

  // Sending from the wrong place is refused without touching the upload.
  const wrong = await patch('author', url, 0, clip.subarray(0, 10));
  assert.equal(wrong.status, 409);
  assert.match((await errorsOf(wrong))[0]!.message, /ask with HEAD for the Upload-Offset/);

  const last = await patch('author', url, offset, clip.subarray(offset));
  assert.equal(last.status, 201, await last.clone().text());
  const answer = (await last.json()) as { id: number; status: string };
  assert.equal(answer.status, 'processing');
  assert.deepEqual(leftovers(), [], 'the finished upload left the store');
  assert.equal((await head('author', url)).status, 404);

  await t.jobs.runDue();
  const video = await t.services.videos.get(answer.id);
  assert.equal(video.status, 'ready', video.error ?? '');
  assert.deepEqual([video.title, video.credit, video.width, video.height], ['Harbour at dawn', 'Northwire', 640, 360]);
});

test('refusals: no protocol header, too large, bad text, malformed metadata, an unknown clip, a file that is not a video; nothing is left', async () => {
  const before = await clipCount();
  const plain = await fetch(`${base}${API}`, { method: 'POST', headers: { ...auth('author'), 'upload-length': '10' } });
  assert.equal(plain.status, 412);
  assert.match((await errorsOf(plain))[0]!.message, /Tus-Resumable: 1\.0\.0/);

  const large = await create('author', 2 * 1024 * 1024, { filename: 'big.mp4' });
  assert.equal(large.status, 413);
  assert.match((await errorsOf(large))[0]!.message, /limit of 1 MB/);

  const long = await create('author', 1000, { filename: 'clip.mp4', title: 'x'.repeat(301) });
  assert.equal(long.status, 400);
  assert.deepEqual((await errorsOf(long)).map((e) => e.field), ['title']);

  const malformed = await create('author', 1000, {}, { 'upload-metadata': 'title not base64!!,,' });
  assert.equal(malformed.status, 400);
  assert.match((await errorsOf(malformed))[0]!.message, /Upload-Metadata is malformed/);

  const unknownClip = await create('author', 1000, { filename: 'clip.mp4', videoId: '999999' });
  assert.equal(unknownClip.status, 404);
  const badId = await create('author', 1000, { filename: 'clip.mp4', videoId: 'seven' });
  assert.deepEqual((await errorsOf(badId)).map((e) => e.field), ['videoId']);
  assert.deepEqual(leftovers(), []);

  // A web page named .mp4, sent whole: refused by the same checks as any upload, and removed.
  const page = Buffer.from('<!doctype html><title>not a clip</title><p>hello</p>'.repeat(20));
  const disguised = await create('author', page.length, { filename: 'clip.mp4', title: 'Disguised' });
  const url = disguised.headers.get('location')!;
  const refused = await patch('author', url, 0, page);
  assert.equal(refused.status, 415);
  assert.match((await errorsOf(refused))[0]!.message, /not a video/i);
  assert.equal((await head('author', url)).status, 404);
  assert.deepEqual(leftovers(), []);
  assert.equal(await clipCount(), before);
  assert.ok(!fs.readdirSync(path.join(t.dataDir, 'media', 'videos')).some((name) => name.startsWith('.incoming-')));
});

test('who may not: anonymous, moderators, and anybody but its creator (who can cancel it)', async () => {
  assert.equal((await create(null, 1000, { filename: 'clip.mp4' })).status, 401);
  assert.equal((await create('moderator', 1000, { filename: 'clip.mp4' })).status, 403);

  const mine = await create('contributor', 1000, { filename: 'clip.mp4', title: 'Mine' });
  assert.equal(mine.status, 201);
  const url = mine.headers.get('location')!;
  assert.equal((await patch('contributor', url, 0, Buffer.alloc(100, 1))).status, 204);
  // Another author sees no such upload, and can neither add to it nor cancel it.
  assert.equal((await head('otherAuthor', url)).status, 404);
  assert.equal((await patch('otherAuthor', url, 100, Buffer.alloc(100, 2))).status, 404);
  assert.equal((await fetch(`${base}${url}`, { method: 'DELETE', headers: { ...tus, ...auth('otherAuthor') } })).status, 404);
  assert.equal((await head(null, url)).status, 401);
  assert.equal((await head('contributor', url)).headers.get('upload-offset'), '100');

  const cancelled = await fetch(`${base}${url}`, { method: 'DELETE', headers: { ...tus, ...auth('contributor') } });
  assert.equal(cancelled.status, 204);
  assert.equal((await head('contributor', url)).status, 404);
  assert.deepEqual(leftovers(), []);
});

test('the newsroom endpoint takes a signed-in person with the CSRF token, and refuses one without it', async () => {
  const author = await staff(t, 'author');
  await author.browser.get('/newsroom/media/videos');
  const cookie = [...author.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const headers = { ...tus, cookie, accept: 'application/json', 'upload-length': '1000', 'upload-metadata': metadata({ filename: 'clip.mp4' }) };
  const forged = await fetch(`${base}/newsroom/media/videos/uploads`, { method: 'POST', headers });
  assert.equal(forged.status, 403);
  const signedOut = await fetch(`${base}/newsroom/media/videos/uploads`, { method: 'POST', headers: { ...headers, cookie: '', 'x-csrf-token': author.browser.csrf } });
  assert.equal(signedOut.status, 401);
  const started = await fetch(`${base}/newsroom/media/videos/uploads`, { method: 'POST', headers: { ...headers, 'x-csrf-token': author.browser.csrf } });
  assert.equal(started.status, 201, await started.text());
  assert.match(started.headers.get('location')!, /^\/newsroom\/media\/videos\/uploads\/[0-9a-f]{32}$/);
  // A person's upload is not a token's, even with the same role, asked at the Admin API's address.
  const id = started.headers.get('location')!.split('/').pop()!;
  assert.equal((await head('author', `${API}/${id}`)).status, 404);
  assert.equal((await fetch(`${base}/newsroom/media/videos/uploads/${id}`, { method: 'HEAD', headers: { ...tus, cookie } })).status, 200);
});
