// Browser code for islands (the story editor, the media library, image fields, the comment form
// and the moderation queue's keys), served under content-hashed names with immutable caching.
// Reader pages load one: the comment form's, under stories that take comments.
// - Run from the bundle (`npm start`): the islands were built with the server by scripts/build.mjs;
//   their manifest and files are read once at start, and nothing is built while serving (ADR 004).
// - Run from the sources (`npm run dev`, tests through tsx): bundled with esbuild on first use, by
//   the same code the build script uses, so both give the same files under the same names.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { CachedPage, chooseEncoding } from './page-cache.ts';
import { projectFile } from './paths.ts';

declare global {
  /** Replaced by `true` in the bundle (scripts/build.mjs); undefined when running from the sources. */
  var BULLETIN_BUNDLE: boolean | undefined;
}

interface Assets {
  /** name → public URL */
  urls: Map<string, string>;
  /** file name → bytes */
  files: Map<string, CachedPage>;
}

export class ClientAssets {
  private assets: Promise<Assets> | undefined;

  constructor(private readonly load: () => Promise<Assets>) {}

  /** The public URL of an island's bundle. */
  async url(name: string): Promise<string> {
    const url = (await this.get()).urls.get(name);
    if (!url) throw new Error(`no island named "${name}" (a file src/**/${name}-island.ts)`);
    return url;
  }

  async file(fileName: string): Promise<CachedPage | undefined> {
    return (await this.get()).files.get(fileName);
  }

  private get(): Promise<Assets> {
    this.assets ??= this.load().catch((error: unknown) => {
      this.assets = undefined;
      throw error;
    });
    return this.assets;
  }
}

/** The islands this build has: built ones in the bundle, bundled on demand from the sources. */
export function clientAssetsForThisBuild(): ClientAssets {
  // A constant in the bundle, so esbuild drops the other branch, and esbuild with it.
  if (globalThis.BULLETIN_BUNDLE) return prebuiltAssets(new URL('./assets/', import.meta.url));
  return onDemandAssets();
}

/** Islands scripts/build.mjs wrote to `dir` (its manifest and files), read now. */
export function prebuiltAssets(dir: URL): ClientAssets {
  const assets = readBuilt(dir);
  return new ClientAssets(async () => assets);
}

/** Every `src/**\/<name>-island.ts`, bundled the first time any island is asked for. */
export function onDemandAssets(): ClientAssets {
  return new ClientAssets(async () => {
    const { bundleIslands, findIslands } = await import('../../scripts/islands.mjs');
    return toAssets(await bundleIslands(findIslands(projectFile('src'))));
  });
}

function readBuilt(dir: URL): Assets {
  const manifestFile = new URL('manifest.json', dir);
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (error) {
    throw new Error(`the built islands are missing or unreadable (${manifestFile.pathname}): run npm run build (${(error as Error).message})`);
  }
  if (!manifest || typeof manifest !== 'object') throw new Error(`${manifestFile.pathname} is not an island manifest`);
  return toAssets(
    Object.entries(manifest).map(([name, fileName]) => {
      if (typeof fileName !== 'string' || !ASSET_FILE.test(fileName)) throw new Error(`${manifestFile.pathname}: "${name}" names no island file`);
      return { name, fileName, code: fs.readFileSync(new URL(fileName, dir)) };
    }),
  );
}

function toAssets(islands: { name: string; fileName: string; code: Buffer }[]): Assets {
  const urls = new Map<string, string>();
  const files = new Map<string, CachedPage>();
  for (const { name, fileName, code } of islands) {
    files.set(
      fileName,
      new CachedPage({ body: code, contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable', tags: [] }),
    );
    urls.set(name, `/assets/${fileName}`);
  }
  return { urls, files };
}

/** `<name>-<hash12>.js`, as scripts/islands.mjs names them. */
const ASSET_FILE = /^[a-z-]+-[A-Za-z0-9_-]{12}\.js$/;

export function registerClientAssetRoutes(app: FastifyInstance, assets: ClientAssets): void {
  app.get('/assets/:file', { schema: { params: { type: 'object', properties: { file: { type: 'string', pattern: ASSET_FILE.source } }, required: ['file'] } } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    const asset = await assets.file(file);
    if (!asset) return reply.callNotFound();
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    const body = asset.variant(encoding);
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    return reply
      .header('cache-control', asset.cacheControl)
      .header('etag', asset.etag)
      .header('vary', 'Accept-Encoding')
      .type(asset.contentType)
      .send(body);
  });
}
