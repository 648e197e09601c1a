// Backup and restore, end to end on the configured engine (SQLite by default; PostgreSQL with
// TEST_DATABASE_URL): a site with stories, images, revisions, staff and settings is backed up
// while its app is open, restored into a new data folder (and schema), and serves the same pages
// byte for byte. Bad archives and a non-empty target are refused, changing nothing. Media in a
// bucket (s3rver, test/helpers/s3-server.ts) go through the same archive.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { articlePath } from '../../articles/model.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { buildAppOnSite, buildTestApp, dropTestSchema, testEnv, type TestApp } from '../../../test/helpers/build-test-app.ts';
import { libraryImage, seedBasics, storyInput } from '../../../test/helpers/fixtures.ts';
import { startS3Server } from '../../../test/helpers/s3-server.ts';
import { runBackupCommand } from './backup-command.ts';

let site: TestApp;
let archive: string;
const urls: string[] = [];
let storyId = 0;

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return { stream: new Writable({ write: (chunk, _e, done) => void ((text += String(chunk)), done()) }), text: () => text };
}

async function run(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runBackupCommand(args[0] as 'backup' | 'restore', args.slice(1), loadConfig(env, env.DATA_DIR), { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

/** The render stamp of the alerts box differs between any two renders; everything else must match. */
const unstamped = (html: string) => html.replace(/name="started" value="[^"]*"/g, '');

before(async () => {
  site = await buildTestApp({}, { watchChanges: false });
  const { ada } = await seedBasics(site.services);
  const image = await libraryImage(site, 'harbour.jpg', { width: 900, height: 600 });
  await site.services.images.updateMeta(image.id, { alt: 'The harbour at dawn', credit: 'Photo: Northwire' });
  const story = await site.services.articles.save(storyInput({ leadImage: { imageId: image.id, url: '', alt: '', caption: 'Boats at rest', credit: '' } }));
  await site.services.articles.save(storyInput({ headline: 'Council approves flood barrier after long debate', leadImage: { imageId: image.id, url: '', alt: '', caption: 'Boats at rest', credit: '' } }), { id: story.id, expectedVersion: story.version });
  await site.services.articles.save(storyInput({ headline: 'A second story', sectionSlug: 'world', topicNames: ['Trade'] }));
  await site.services.accounts.addUser('cli', { email: 'desk@news.test', role: 'editor', name: 'Desk Editor' });
  await site.services.settings.update({ siteName: 'Restored Gazette', tagline: 'News that survives' });
  const current = (await site.services.articles.findById(story.id))!;
  storyId = story.id;
  urls.push('/', articlePath(current), '/national', '/world', `/author/${ada.slug}`, '/feed.xml');
  for (const variant of image.variants.slice(0, 3)) urls.push(`/media/images/${image.folder}/${variant.file}`);
  archive = path.join(site.dataDir, '..', `bulletin-backup-${process.pid}-${Date.now()}.tar.gz`);
});
after(async () => {
  if (archive) fs.rmSync(archive, { force: true });
  await site.close();
});

test('backup while the site is open → restore into a new data folder → the same pages, byte for byte', async () => {
  const made = await run(site.env, 'backup', archive, '--verify');
  assert.equal(made.code, 0, made.err);
  assert.match(made.out, /wrote .*: the database and \d+ media files/);
  assert.match(made.out, /verified: made .* media files/);
  assert.equal((await run(site.env, 'backup', archive)).code, 1, 'never overwrites a file');

  const targetEnv = testEnv();
  try {
    const restored = await run(targetEnv, 'restore', archive);
    assert.equal(restored.code, 0, restored.err);
    const copy = await buildAppOnSite(targetEnv, { watchChanges: false });
    try {
      for (const url of urls) {
        const [a, b] = await Promise.all([site.app.inject({ method: 'GET', url }), copy.app.inject({ method: 'GET', url })]);
        assert.equal(a.statusCode, 200, url);
        assert.equal(b.statusCode, a.statusCode, url);
        if (url.startsWith('/media/')) assert.deepEqual(b.rawPayload, a.rawPayload, url);
        else assert.equal(unstamped(b.body), unstamped(a.body), url);
      }
      assert.deepEqual(await copy.services.articles.revisions(storyId), await site.services.articles.revisions(storyId));
      assert.deepEqual((await copy.services.accounts.listUsers()).map((u) => u.email), (await site.services.accounts.listUsers()).map((u) => u.email));
      // Ids go on from where they were: a new story on the restored site gets the next one.
      const next = await copy.services.articles.save(storyInput({ headline: 'After the restore' }));
      assert.ok(next.id > storyId);
    } finally {
      await copy.close();
    }
  } finally {
    await dropTestSchema(targetEnv);
    fs.rmSync(targetEnv.DATA_DIR!, { recursive: true, force: true });
  }
});

test('a truncated archive, a foreign file and a changed byte are refused with a message; nothing is restored', async () => {
  if (!fs.existsSync(archive)) assert.equal((await run(site.env, 'backup', archive)).code, 0);
  const bytes = fs.readFileSync(archive);
  const dir = fs.mkdtempSync(path.join(path.dirname(archive), 'bad-'));
  try {
    const bad = {
      truncated: bytes.subarray(0, Math.floor(bytes.length * 0.7)),
      foreign: Buffer.from('PK\x03\x04 this is a zip file, not a backup'),
      empty: Buffer.alloc(0),
    };
    // One byte changed inside a media file's data: the archive still unpacks, its manifest catches it.
    const tarBytes = gunzipSync(bytes);
    const header = tarBytes.indexOf(Buffer.from('media/images/'));
    assert.ok(header > 0 && header % 512 === 0, 'a media entry header');
    const flipped = Buffer.from(tarBytes);
    const at = header + 512 + 10;
    flipped.writeUInt8(flipped.readUInt8(at) ^ 0xff, at);
    const changed = { changed: gzipSync(flipped) };
    for (const [name, content] of Object.entries({ ...bad, ...changed })) {
      const file = path.join(dir, `${name}.tar.gz`);
      fs.writeFileSync(file, content);
      const targetEnv = testEnv();
      try {
        const verify = await run(targetEnv, 'restore', file, '--verify');
        assert.equal(verify.code, 1, name);
        assert.match(verify.err, name === 'changed' ? /^error: This backup is damaged: media\/images\/.* does not match its manifest/ : /^error: This (is not a Bulletin backup|backup is incomplete)/, `${name}: ${verify.err}`);
        const restore = await run(targetEnv, 'restore', file);
        assert.equal(restore.code, 1, name);
        assert.equal(fs.readdirSync(targetEnv.DATA_DIR!).length, 0, `${name}: nothing written`);
      } finally {
        await dropTestSchema(targetEnv);
        fs.rmSync(targetEnv.DATA_DIR!, { recursive: true, force: true });
      }
    }
    const missing = await run(site.env, 'restore', path.join(dir, 'nope.tar.gz'), '--verify');
    assert.match(missing.err, /There is no file/);
    const usage = await run(site.env, 'restore', archive, '--force', '--verify');
    assert.equal(usage.code, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a restore onto a site that holds anything is refused without --force, and changes nothing; with --force it replaces it', async () => {
  if (!fs.existsSync(archive)) assert.equal((await run(site.env, 'backup', archive)).code, 0);
  const env = testEnv();
  try {
    const other = await buildApp(loadConfig(env, env.DATA_DIR), { watchChanges: false });
    await other.services.articles.createSection({ name: 'Sport' });
    await other.close(); // a restore goes onto a stopped site
    const refused = await run(env, 'restore', archive);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /This site is not empty .*--force.*nothing was changed/);
    const still = await buildApp(loadConfig(env, env.DATA_DIR), { watchChanges: false });
    assert.deepEqual((await still.services.articles.sections()).map((s) => s.name), ['Sport']);
    await still.close();

    const forced = await run(env, 'restore', archive, '--force');
    assert.equal(forced.code, 0, forced.err);
    const replaced = await buildApp(loadConfig(env, env.DATA_DIR), { watchChanges: false });
    assert.deepEqual((await replaced.services.articles.sections()).map((s) => s.name).sort(), ['National', 'World']);
    assert.equal((await replaced.app.inject({ method: 'GET', url: urls[1]! })).statusCode, 200);
    await replaced.close();
  } finally {
    await dropTestSchema(env);
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
  }
});

test('media in an S3-compatible bucket are backed up and restored into another bucket prefix the same way', async () => {
  const s3 = await startS3Server();
  const from = await buildTestApp(s3.env(`from-${process.pid}`), { watchChanges: false });
  const file = path.join(path.dirname(archive), `bulletin-backup-s3-${process.pid}-${Date.now()}.tar.gz`);
  const targetEnv = testEnv(s3.env(`to-${process.pid}`));
  try {
    const image = await libraryImage(from, 'bucket.jpg', { width: 500, height: 400 });
    assert.equal((await run(from.env, 'backup', file)).code, 0);
    const restored = await run(targetEnv, 'restore', file);
    assert.equal(restored.code, 0, restored.err);
    assert.match(restored.out, new RegExp(`and ${image.variants.length + 1} media files`), 'every variant and the original');
    const copy = await buildAppOnSite(targetEnv, { watchChanges: false });
    try {
      for (const variant of image.variants) {
        const url = `/media/images/${image.folder}/${variant.file}`;
        const [a, b] = await Promise.all([from.app.inject({ method: 'GET', url }), copy.app.inject({ method: 'GET', url })]);
        assert.equal(b.statusCode, 200, url);
        assert.deepEqual(b.rawPayload, a.rawPayload, url);
      }
    } finally {
      await copy.close();
    }
  } finally {
    fs.rmSync(file, { force: true });
    await from.close();
    await s3.close();
  }
});
