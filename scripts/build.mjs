// `npm start`'s build step: bundles the server, with its packages, into dist/main.js (and the push
// encryption thread's body beside it), and each
// newsroom island into dist/assets/<name>-<hash>.js with a manifest naming them. Node then loads one
// file instead of hundreds of modules and starts in a third of a second, and the server sends the
// built islands as they are: no build tool runs inside the server (ADR 004).
// usage: node scripts/build.mjs [--outdir DIR]   (default dist; tests build into a folder of their own)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleIslands, findIslands, MANIFEST_FILE } from './islands.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = process.argv.indexOf('--outdir');
const outdir = path.resolve(root, at > 0 ? process.argv[at + 1] : 'dist');

/**
 * The sources' on-demand island builder (scripts/islands.mjs, which loads esbuild) is left out of
 * the server bundle: the bundle serves the islands built below, so neither can load at run time.
 */
const withoutIslandBuilder = {
  name: 'without-island-builder',
  setup(bundler) {
    bundler.onResolve({ filter: /\/scripts\/islands\.mjs$/ }, () => ({ path: 'islands', namespace: 'prebuilt-islands' }));
    bundler.onLoad({ filter: /.*/, namespace: 'prebuilt-islands' }, () => ({
      contents: "const prebuilt = () => { throw new Error('this bundle serves prebuilt islands'); }; export const findIslands = prebuilt, bundleIslands = prebuilt;",
    }));
  },
};

const started = performance.now();
const server = build({
  // The push encryption thread's body is a file of its own, which the server starts as a worker.
  entryPoints: { main: path.join(root, 'src/main.ts'), 'push-encryption-worker': path.join(root, 'src/alerts/push/push-encryption-worker.ts') },
  outdir,
  bundle: true,
  // Native addons stay external; so does the S3 client (1.5 MB), loaded from node_modules only by
  // a site whose media live in a bucket (MEDIA_STORE=s3://…), so no other start parses it.
  external: ['better-sqlite3', 'pg-native', 'sharp', '@img/*', '@node-rs/*', '@aws-sdk/*'],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: true,
  logLevel: 'warning',
  // Tells the code it runs from this bundle: islands come from assets/, built below.
  define: { 'globalThis.BULLETIN_BUNDLE': 'true' },
  plugins: [withoutIslandBuilder],
  // Some bundled packages are CommonJS and call require(); give the ES module one.
  banner: { js: "import { createRequire as bulletinCreateRequire } from 'node:module'; const require = bulletinCreateRequire(import.meta.url);" },
});
const islands = bundleIslands(findIslands(path.join(root, 'src'))).then((bundled) => {
  const assets = path.join(outdir, 'assets');
  fs.rmSync(assets, { recursive: true, force: true });
  fs.mkdirSync(assets, { recursive: true });
  for (const { fileName, code } of bundled) fs.writeFileSync(path.join(assets, fileName), code);
  const manifest = Object.fromEntries(bundled.map(({ name, fileName }) => [name, fileName]));
  fs.writeFileSync(path.join(assets, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return bundled.length;
});
const [, count] = await Promise.all([server, islands]);
console.error(`built ${path.relative(root, outdir) || '.'}/main.js and ${count} islands in ${Math.round(performance.now() - started)} ms`);
