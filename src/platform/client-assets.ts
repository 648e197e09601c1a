// Browser code for islands (the story editor), bundled with esbuild on first use and served from
// memory under content-hashed names with immutable caching. Reader pages use none of it, so the
// bundling cost (a fraction of a second, once per process) never touches them or start-up.
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { CachedPage, chooseEncoding } from './page-cache.ts';
import { projectFile } from './paths.ts';

export interface ClientEntry {
  /** Short name pages ask for, e.g. "editor". */
  name: string;
  /** Entry file, from the project folder. */
  entry: string;
}

interface Built {
  /** name → public URL */
  urls: Map<string, string>;
  /** file name → bytes */
  files: Map<string, CachedPage>;
}

export class ClientAssets {
  private built: Promise<Built> | undefined;

  constructor(private readonly entries: ClientEntry[]) {}

  /** The public URL of an entry's bundle (bundles everything on first call). */
  async url(name: string): Promise<string> {
    const url = (await this.build()).urls.get(name);
    if (!url) throw new Error(`no client entry named "${name}"`);
    return url;
  }

  async file(fileName: string): Promise<CachedPage | undefined> {
    return (await this.build()).files.get(fileName);
  }

  private build(): Promise<Built> {
    this.built ??= bundle(this.entries).catch((error: unknown) => {
      this.built = undefined;
      throw error;
    });
    return this.built;
  }
}

async function bundle(entries: ClientEntry[]): Promise<Built> {
  const urls = new Map<string, string>();
  const files = new Map<string, CachedPage>();
  for (const { name, entry } of entries) {
    const result = await build({
      entryPoints: [projectFile(entry)],
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.contents;
    const hash = createHash('sha256').update(code).digest('base64url').slice(0, 12);
    const fileName = `${name}-${hash}.js`;
    files.set(
      fileName,
      new CachedPage({ body: Buffer.from(code), contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable', tags: [] }),
    );
    urls.set(name, `/assets/${fileName}`);
  }
  return { urls, files };
}

export function registerClientAssetRoutes(app: FastifyInstance, assets: ClientAssets): void {
  app.get('/assets/:file', { schema: { params: { type: 'object', properties: { file: { type: 'string', pattern: '^[a-z-]+-[A-Za-z0-9_-]{12}\\.js$' } }, required: ['file'] } } }, async (request, reply) => {
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
