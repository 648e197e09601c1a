// HTTP for images: the newsroom upload (behind the caller's permission guard) and public serving
// of the variants with year-long immutable caching (a new upload gets a new folder, so a URL never
// changes meaning).
import { Type } from 'typebox';
import { UploadedImageJson } from './newsroom/picker-schemas.ts';
import { ErrorsJson } from '../platform/schemas.ts';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendJsonErrors } from '../platform/http-errors.ts';
import { thumbnailUrl } from './image-json.ts';
import type { ImageService } from './image-service.ts';
import { contentTypeOf, type ByteRange } from './store/media-store.ts';
import { noFileError, readUpload, uploadLimits, uploadRefusal } from './image-upload-http.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface ImageRouteDeps {
  images: ImageService;
}

export function registerImageRoutes(app: FastifyInstance, deps: ImageRouteDeps): void {
  app.get('/media/images/*', async (request, reply) => serveFile(deps.images, request, reply));

  // Multipart parsing is scoped to the upload route alone, with limits from the configuration.
  void app.register(async (scope) => {
    await scope.register(multipart, uploadLimits(deps.images.maxUploadBytes));
    // `config.permission` is what the accounts gate (src/accounts/http.ts) checks, before the body is read.
    // Browser code (the library screen, the editor's picker) calls this through upload-client.ts.
    const schema = { body: Type.Unknown({ description: 'multipart: one `file`, read by image-upload-http.ts' }), response: { 201: UploadedImageJson, 400: ErrorsJson, 413: ErrorsJson, 415: ErrorsJson } };
    scope.post('/newsroom/media/images', { config: { permission: 'canUploadMedia' }, schema }, async (request, reply) => {
      const read = await readUpload(request, deps.images.maxUploadBytes);
      if (!read.ok) return sendJsonErrors(reply, read.status, read.errors);
      if (!read.file) return sendJsonErrors(reply, 400, [noFileError()]);
      try {
        const image = await deps.images.upload({ ...read.file, createdBy: request.actor?.kind === 'user' ? request.actor.id : null });
        // The record, plus the list fields (PickerImage) the browser code shows the new image with.
        return reply.code(201).header('cache-control', 'no-store').send({ image: { ...image, thumbnail: thumbnailUrl(image) } });
      } catch (error) {
        const refused = uploadRefusal(error);
        return sendJsonErrors(reply, refused.status, refused.errors);
      }
    });
  });
}

async function serveFile(images: ImageService, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const parts = (request.params as { '*': string })['*'].split('/');
  const key = parts.length === 2 ? images.publicKey(parts[0]!, parts[1]!) : null;
  const files = images.files;
  // With MEDIA_PUBLIC_URL the bucket or CDN serves the bytes: the same file, forever, at that address.
  const elsewhere = key && files.store.publicUrl(key);
  if (elsewhere) return reply.header('cache-control', IMMUTABLE).redirect(elsewhere, 301);
  const stats = key ? await files.stat(key) : null;
  if (!key || !stats) {
    reply.callNotFound();
    return reply;
  }
  // The folder name carries the content hash and the files never change, so name + size is a strong tag.
  const etag = `"${parts[0]}-${parts[1]}-${stats.size}"`;
  reply.header('cache-control', IMMUTABLE).header('etag', etag).header('accept-ranges', 'bytes').type(contentTypeOf(key));
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  const range = requestedRange(request, etag, stats.size);
  if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${stats.size}`).send();
  // Streamed from the store: a large file is never read whole into memory.
  const body = await files.open(key, range ?? undefined);
  if (!body) {
    reply.callNotFound();
    return reply;
  }
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${stats.size}`);
  return reply.header('content-length', range ? range.end - range.start + 1 : stats.size).send(body);
}

/**
 * One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`), as video players and download managers ask
 * for; null for the whole file (no Range, several ranges, an If-Range that does not match).
 */
export function requestedRange(request: FastifyRequest, etag: string, size: number): ByteRange | null | 'unsatisfiable' {
  const header = request.headers.range;
  if (!header || (request.headers['if-range'] && request.headers['if-range'] !== etag)) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (!match[1] && !match[2])) return null;
  let start: number;
  let end: number;
  if (!match[1]) {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  }
  if (start > end || start >= size) return 'unsatisfiable';
  return { start, end };
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
