// `npm run bench -- image-upload [--runs 8]`
// How long an image upload keeps the uploader waiting, through the admin API of a running site (the
// bundle `npm start` runs), for a generated 2400×1600 JPEG; and how long after it returns the AVIF
// variants (made by a background job) are in the image's record. The baseline in the same run is
// the old upload path, every variant including AVIF made inline: processImage with AVIF, called
// directly in this process (no HTTP, no database), so the ratio understates the gain a little.
// Runs alternate baseline and upload, and each upload waits for its AVIF job before the next
// starts, so neither measure shares the machine with the other.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServices } from '../src/app.ts';
import { processImage } from '../src/media/image-processing.ts';
import { sampleImage } from '../src/media/image-test-samples.ts';
import { loadConfig } from '../src/platform/config.ts';
import { buildServer, flag, startServer, table } from './_harness.ts';

interface ApiImage {
  id: number;
  variants: { format: string }[];
}

export async function main(args: string[]): Promise<void> {
  const runs = flag(args, 'runs', 8);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-images-'));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-inline-'));
  const env = { DATA_DIR: dataDir, DEMO_CONTENT: 'off', LOG_LEVEL: 'warn', SITE_NAME: 'Technical News' };
  const bytes = await sampleImage('jpeg', 2400, 1600);

  buildServer();
  // An editor's API token, made the way `bulletin token add` makes one (this also creates the
  // database before the server starts using it).
  const setup = await buildServices(loadConfig(env), { watchChanges: false });
  const { token } = await setup.services.tokens.create('cli', { name: 'image upload bench', role: 'editor' });
  await setup.database.close();
  const server = await startServer('../dist/main.js', env, '/');
  const headers = { authorization: `Bearer ${token}` };

  const upload = async (): Promise<{ image: ApiImage; ms: number }> => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'harbour.jpg');
    form.append('alt', 'The harbour at dawn');
    const started = performance.now();
    const res = await fetch(`${server.url}/api/admin/v1/media/images`, { method: 'POST', headers, body: form });
    const json = (await res.json()) as { image?: ApiImage; errors?: unknown };
    const ms = performance.now() - started;
    if (res.status !== 201 || !json.image) throw new Error(`upload: ${res.status} ${JSON.stringify(json.errors)}`);
    if (json.image.variants.some((v) => v.format === 'avif')) throw new Error('upload: AVIF variants made inline');
    return { image: json.image, ms };
  };
  /** Milliseconds until the image's record lists AVIF variants (what pages are rendered from). */
  const avifReady = async (id: number): Promise<number> => {
    const started = performance.now();
    for (;;) {
      const res = await fetch(`${server.url}/api/admin/v1/media/images/${id}`, { headers });
      const { image } = (await res.json()) as { image: ApiImage };
      if (image.variants.some((v) => v.format === 'avif')) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error(`image ${id}: no AVIF variants after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const inline = async (avif: boolean): Promise<number> => {
    const dir = fs.mkdtempSync(path.join(scratch, 'run-'));
    const started = performance.now();
    const result = await processImage(bytes, dir, { avif });
    const ms = performance.now() - started;
    fs.rmSync(dir, { recursive: true, force: true });
    if (result.variants.length !== (avif ? 15 : 10)) throw new Error(`inline: ${result.variants.length} variants`);
    return ms;
  };

  const uploads: number[] = [];
  const ready: number[] = [];
  const total: number[] = [];
  const baseline: number[] = [];
  const withoutAvif: number[] = [];
  try {
    // Warm-up, not counted: the first sharp calls load codecs in each process.
    await inline(true);
    const first = await upload();
    await avifReady(first.image.id);
    for (let run = 1; run <= runs; run++) {
      baseline.push(await inline(true));
      withoutAvif.push(await inline(false));
      const { image, ms } = await upload();
      uploads.push(ms);
      const wait = await avifReady(image.id);
      ready.push(wait);
      total.push(ms + wait);
      process.stderr.write(`run ${run}/${runs}: upload ${ms.toFixed(0)} ms, AVIF ${wait.toFixed(0)} ms later; inline with AVIF ${baseline.at(-1)!.toFixed(0)} ms\n`);
    }
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
  };
  const up = stats(uploads);
  const base = stats(baseline);
  const ms = (x: number) => x.toFixed(0);
  const ratio = (x: number, of: number) => `${(x / of).toFixed(2)}×`;
  const row = (measure: string, values: number[]) => {
    const s = stats(values);
    return { measure, 'median ms': ms(s.median), 'max ms': ms(s.max), 'median vs baseline': ratio(s.median, base.median) };
  };
  console.log(`\n${(bytes.length / 1024).toFixed(0)} KB 2400×1600 JPEG, ${runs} uploads through POST /api/admin/v1/media/images (editor token), ${os.availableParallelism()} cores:\n`);
  console.log(
    table([
      row('upload request (WebP + JPEG inline, AVIF queued)', uploads),
      row('upload returned → AVIF variants in the record', ready),
      row('upload started → AVIF variants in the record', total),
      row('inline WebP + JPEG only (direct call, no HTTP)', withoutAvif),
      row('baseline: inline with AVIF (direct call, the old path)', baseline),
    ]),
  );
  console.log(`\nupload median ${ms(up.median)} ms = ${ratio(up.median, base.median)} of the old inline path (${ms(base.median)} ms); max ${ms(up.max)} ms vs ${ms(base.max)} ms.`);
  console.log(`${up.median <= base.median / 2 ? 'PASS' : 'FAIL'}  upload median at most half the old inline path`);
}
