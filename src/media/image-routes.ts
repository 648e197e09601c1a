// HTTP for images: the newsroom upload (behind the caller's permission guard) and public serving
// of the variants with year-long immutable caching (a new upload gets a new folder, so a URL never
// changes meaning).
import { Type } from 'typebox';
import { UploadedImageJson } from './newsroom/picker-schemas.ts';
import { ErrorsJson } from '../platform/schemas.ts';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendJsonErrors } from '../platform/http-errors.ts';
import { thumbnailUrl } from './image-json.ts';
import type { ImageService } from './image-service.ts';
import { noFileError, readUpload, uploadLimits, uploadRefusal } from './image-upload-http.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = { '.avif': 'image/avif', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.png': 'image/png' };

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
  const file = parts.length === 2 ? images.publicFile(parts[0]!, parts[1]!) : null;
  const stats = file ? await stat(file).catch(() => null) : null;
  if (!file || !stats?.isFile()) {
    reply.callNotFound();
    return reply;
  }
  // The folder name carries the content hash and the files never change, so name + size is a strong tag.
  const etag = `"${parts[0]}-${parts[1]}-${stats.size}"`;
  reply.header('cache-control', IMMUTABLE).header('etag', etag);
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  // Streamed: a large variant is never read whole into memory.
  return reply
    .type(CONTENT_TYPES[path.extname(file)]!)
    .header('content-length', stats.size)
    .send(createReadStream(file));
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
