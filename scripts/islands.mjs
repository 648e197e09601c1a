// Browser code for islands: every `src/**/<name>-island.ts` is one bundle, named <name>. Used by
// scripts/build.mjs (ahead of time, for `npm start`) and by the server run from the sources
// (`npm run dev`, tests through tsx), which bundles on first use; both produce the same bytes under
// the same content-hashed names, so a page never names a file the server cannot send.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ISLAND_FILE = /^([a-z][a-z-]*)-island\.ts$/;

/** The island entries under `srcDir`, sorted by name; two islands with one name are an error. */
export function findIslands(srcDir) {
  const found = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const match = ISLAND_FILE.exec(entry.name);
        if (!match) continue;
        const name = match[1];
        if (found.has(name)) throw new Error(`two islands are named "${name}": ${found.get(name)} and ${full}`);
        found.set(name, full);
      }
    }
  };
  walk(srcDir);
  return [...found].sort(([a], [b]) => a.localeCompare(b)).map(([name, entry]) => ({ name, entry }));
}

/** Bundles each island for the browser; returns its file name (`<name>-<hash12>.js`) and code. */
export async function bundleIslands(islands) {
  // Loaded here, not at the top: the server bundle includes this module but never calls this
  // function, so esbuild is never loaded by `npm start`'s server.
  const { build } = await import('esbuild');
  return Promise.all(
    islands.map(async ({ name, entry }) => {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format: 'esm',
        target: 'es2022',
        platform: 'browser',
        write: false,
        legalComments: 'none',
        logLevel: 'silent',
      });
      const code = Buffer.from(result.outputFiles[0].contents);
      const hash = createHash('sha256').update(code).digest('base64url').slice(0, 12);
      return { name, fileName: `${name}-${hash}.js`, code };
    }),
  );
}

/** The manifest the server reads at start: island name → file name under assets/. */
export const MANIFEST_FILE = 'manifest.json';
