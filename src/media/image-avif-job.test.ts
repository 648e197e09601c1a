// The AVIF variants an upload leaves to a durable job: made from the kept original, added to the
// folder and the record, pages re-rendered with the AVIF source; safe to re-run; quiet for a
// deleted image; a failure leaves the image as it was and is retried.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../test/helpers/build-test-app.ts';
import { seedBasics, storyInput } from '../../test/helpers/fixtures.ts';
import { JobRunner } from '../platform/job-runner.ts';
import { backoffMs, enqueue, type JobLogger } from '../platform/jobs.ts';
import { IMAGE_AVIF, imageAvifJob } from './image-avif-job.ts';
import { writeVariant } from './image-processing.ts';
import type { ImageRecord } from './image-service.ts';
import { sampleImage } from './image-test-samples.ts';

let t: TestApp;
before(async () => {
  // The app's own worker stays off: each test runs the jobs when it means to.
  t = await buildTestApp({}, { watchChanges: false });
  await seedBasics(t.services);
});
after(() => t.close());

const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const folderOf = (image: ImageRecord) => path.join(t.dataDir, 'media', 'images', image.folder);
const filesOf = (image: ImageRecord) => fs.readdirSync(folderOf(image)).sort();
const formats = (image: ImageRecord) => image.variants.map((v) => `${v.file} ${v.width}x${v.height}`);
const jobsFor = async (image: ImageRecord) => (await t.jobs.list(IMAGE_AVIF.kind)).filter((job) => (job.payload as { imageId: number }).imageId === image.id);

/** A worker of its own on a clock the test moves (from now: make it after queueing), for retries after a backoff. */
function manualRunner() {
  let now = Date.now();
  const runner = new JobRunner(t.database.db, t.database.engine, { now: () => new Date(now) }, quiet);
  runner.register(imageAvifJob(t.services.images));
  return { runner, advance: (ms: number) => void (now += ms) };
}

test('upload → no AVIF yet → the job runs → AVIF files and variants, and the cached page re-renders with an AVIF source', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 900, 540), filename: 'quay.jpg' });
  await t.services.images.updateMeta(image.id, { alt: 'The quay at dawn' });
  assert.deepEqual(formats(image), ['w320.webp 320x192', 'w320.jpg 320x192', 'w640.webp 640x384', 'w640.jpg 640x384', 'w900.webp 900x540', 'w900.jpg 900x540']);
  assert.deepEqual(filesOf(image), ['original.jpg', 'w320.jpg', 'w320.webp', 'w640.jpg', 'w640.webp', 'w900.jpg', 'w900.webp']);
  assert.deepEqual((await jobsFor(image)).map((job) => job.status), ['pending'], 'queued with the row');

  const story = await t.services.articles.save(storyInput({ headline: 'Quay reopens', leadImage: { imageId: image.id, url: '', alt: '', caption: '', credit: '' } }));
  const url = `/national/${story.slug}`;
  const first = await t.app.inject(url);
  assert.match(first.body, /<picture><source type="image\/webp" srcset="[^"]+w320\.webp 320w/, 'shown at once, with srcset');
  assert.ok(!first.body.includes('image/avif'));
  assert.equal((await t.app.inject(url)).headers['x-cache'], 'HIT');

  await t.jobs.runDue();
  const [job] = await jobsFor(image);
  assert.equal(job?.status, 'done');
  assert.deepEqual(filesOf(image), ['original.jpg', 'w320.avif', 'w320.jpg', 'w320.webp', 'w640.avif', 'w640.jpg', 'w640.webp', 'w900.avif', 'w900.jpg', 'w900.webp']);
  const done = await t.services.images.get(image.id);
  assert.deepEqual(formats(done), [
    'w320.avif 320x192', 'w320.webp 320x192', 'w320.jpg 320x192',
    'w640.avif 640x384', 'w640.webp 640x384', 'w640.jpg 640x384',
    'w900.avif 900x540', 'w900.webp 900x540', 'w900.jpg 900x540',
  ]);
  for (const variant of done.variants.filter((v) => v.format === 'avif')) {
    const file = path.join(folderOf(image), variant.file);
    const meta = await sharp(file).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['heif', variant.width, variant.height], variant.file);
    assert.equal(fs.statSync(file).size, variant.bytes);
    assert.equal((await t.app.inject(`/media/images/${image.folder}/${variant.file}`)).headers['content-type'], 'image/avif');
  }

  const again = await t.app.inject(url);
  assert.equal(again.headers['x-cache'], 'MISS', 'the image tag dropped the cached page');
  assert.match(again.body, new RegExp(`<picture><source type="image/avif" srcset="/media/images/${image.folder}/w320\\.avif 320w, [^"]+w900\\.avif 900w"`));
});

test('a re-run ends in the same state: after the job finished, after partial work, and two runs at once', async () => {
  const bytes = await sampleImage('png', 700, 500);
  const reference = await t.services.images.upload({ bytes, filename: 'reference.png' });
  assert.equal(await t.services.images.addAvifVariants(reference.id), 'added');
  const finished = await t.services.images.get(reference.id);
  const sizes = filesOf(reference).map((f) => `${f} ${fs.statSync(path.join(folderOf(reference), f)).size}`);

  // Run again after it finished (a worker that outlived its lease): nothing changes, nothing is recorded.
  assert.equal(await t.services.images.addAvifVariants(reference.id), 'present');
  assert.deepEqual(await t.services.images.get(reference.id), finished);
  assert.deepEqual(filesOf(reference).map((f) => `${f} ${fs.statSync(path.join(folderOf(reference), f)).size}`), sizes);

  // Partial work: one AVIF file finished, another left half-written by a crash an hour and more ago.
  const partial = await t.services.images.upload({ bytes, filename: 'partial.png' });
  await writeVariant(bytes, 320, 'avif', path.join(folderOf(partial), 'w320.avif'));
  const finishedFile = fs.statSync(path.join(folderOf(partial), 'w320.avif')).ino;
  const crashed = path.join(folderOf(partial), '.partial-0000-w640.avif');
  fs.writeFileSync(crashed, 'half an AVIF');
  const longAgo = new Date(Date.now() - 2 * 3600_000);
  fs.utimesSync(crashed, longAgo, longAgo);
  assert.equal(await t.services.images.addAvifVariants(partial.id), 'added');
  const resumed = await t.services.images.get(partial.id);
  assert.deepEqual(resumed.variants, finished.variants, 'the same variants as a run from scratch');
  assert.deepEqual(filesOf(partial), filesOf(reference), 'the crash leftover is swept, nothing else remains');
  assert.equal(fs.statSync(path.join(folderOf(partial), 'w320.avif')).ino, finishedFile, 'the finished file was kept, not made again');

  // Two workers on one job at once (a lease ran out while the first was still encoding).
  const twice = await t.services.images.upload({ bytes, filename: 'twice.png' });
  const outcomes = await Promise.all([t.services.images.addAvifVariants(twice.id), t.services.images.addAvifVariants(twice.id)]);
  assert.ok(outcomes.every((o) => o === 'added' || o === 'present'), outcomes.join());
  assert.deepEqual((await t.services.images.get(twice.id)).variants, finished.variants);
  assert.deepEqual(filesOf(twice), filesOf(reference));
});

test('a job for an image deleted meanwhile ends quietly and leaves no files', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 640, 400), filename: 'gone.jpg' });
  await t.services.images.delete(image.id);
  await t.jobs.runDue();
  const [job] = await jobsFor(image);
  assert.equal(job?.status, 'done');
  assert.equal(job?.lastError, null);
  assert.equal(fs.existsSync(folderOf(image)), false);
  const root = path.join(t.dataDir, 'media', 'images');
  assert.deepEqual(fs.readdirSync(root).filter((name) => name.startsWith('.')), [], 'nothing set aside or half-written');
  assert.equal(await t.services.images.addAvifVariants(image.id), 'deleted');
});

test('an image deleted while its job runs: the job still ends quietly and nothing is left', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('jpeg', 1600, 1000), filename: 'racing.jpg' });
  // Whichever gets there first, neither fails and no file outlives the image.
  const job = t.services.images.addAvifVariants(image.id);
  await t.services.images.delete(image.id);
  assert.ok(['deleted', 'added'].includes(await job));
  assert.equal(fs.existsSync(folderOf(image)), false);
  assert.deepEqual(fs.readdirSync(path.join(t.dataDir, 'media', 'images')).filter((name) => name.startsWith('.') || name === image.folder), []);
});

test('a damaged original fails the job for a retry, leaving the image usable without AVIF; the retry succeeds once it is fixed', async () => {
  const bytes = await sampleImage('jpeg', 800, 500);
  const image = await t.services.images.upload({ bytes, filename: 'damaged.jpg' });
  const { runner, advance } = manualRunner();
  await t.services.images.updateMeta(image.id, { alt: 'A damaged file' });
  const original = path.join(folderOf(image), 'original.jpg');
  fs.writeFileSync(original, bytes.subarray(0, Math.floor(bytes.length / 2)));

  await runner.runDue();
  let [job] = await jobsFor(image);
  assert.equal(job?.status, 'pending', 'to be retried');
  assert.equal(job?.attempts, 1);
  assert.match(job!.lastError!, new RegExp(`^AVIF variants of image ${image.id}: This image file is damaged or incomplete`));
  const stored = await t.services.images.get(image.id);
  assert.deepEqual(stored.variants, image.variants, 'the record is as the upload left it');
  assert.deepEqual(filesOf(image), ['original.jpg', 'w320.jpg', 'w320.webp', 'w640.jpg', 'w640.webp', 'w800.jpg', 'w800.webp'], 'no AVIF and no half-written file');
  const story = await t.services.articles.save(storyInput({ headline: 'Damaged but shown', leadImage: { imageId: image.id, url: '', alt: '', caption: '', credit: '' } }));
  const page = await t.app.inject(`/national/${story.slug}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<picture><source type="image\/webp"/);

  assert.deepEqual(await runner.runDue(), [], 'not before its backoff');
  fs.writeFileSync(original, bytes);
  advance(backoffMs(1));
  await runner.runDue();
  [job] = await jobsFor(image);
  assert.equal(job?.status, 'done');
  assert.equal(job?.attempts, 2);
  assert.equal((await t.services.images.get(image.id)).variants.filter((v) => v.format === 'avif').length, 3);
});

test('a missing original or a payload without an image id fails the job with a message saying so', async () => {
  const image = await t.services.images.upload({ bytes: await sampleImage('webp', 400, 300), filename: 'lost.webp' });
  fs.rmSync(path.join(folderOf(image), 'original.webp'));
  const bad = await t.database.db.transaction().execute((trx) => enqueue(trx, IMAGE_AVIF, { image: 'x' } as unknown as { imageId: number }, { now: new Date() }));
  const { runner } = manualRunner();
  await runner.runDue();
  const [lost] = await jobsFor(image);
  assert.equal(lost?.status, 'pending');
  assert.equal(lost?.lastError, `AVIF variants of image ${image.id}: the original file is missing`);
  assert.deepEqual((await t.services.images.get(image.id)).variants, image.variants);
  const refused = await runner.find(bad);
  assert.equal(refused?.status, 'pending');
  assert.equal(refused?.lastError, 'media.image-avif: the payload does not fit its schema: {"image":"x"}');
});
