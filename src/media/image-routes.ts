// HTTP for images: the newsroom upload (behind the caller's permission guard) and public serving
// of the variants with year-long immutable caching (a new upload gets a new folder, so a URL never
// changes meaning).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { sendJsonErrors } from '../platform/http-errors.ts';
import { ACCEPTED_TYPES, ImageRejected } from './image-processing.ts';
import type { ImagesService } from './image-service.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = { '.avif': 'image/avif', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.png': 'image/png' };
const STATUS = { unsupported: 415, too_large: 413, invalid: 400 } as const;

export interface ImageRouteDeps {
  images: ImagesService;
}

export function registerImageRoutes(app: FastifyInstance, deps: ImageRouteDeps, guard: preHandlerAsyncHookHandler): void {
  app.get('/media/images/*', async (request, reply) => serveFile(deps.images, request, reply));

  // Multipart parsing is scoped to the upload route alone, with limits from the configuration.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: deps.images.maxUploadBytes, files: 1, fields: 10, parts: 11, fieldSize: 10_000 },
    });
    // `config.permission` is what the accounts gate (src/accounts/http.ts) checks; `guard` runs after it.
    scope.post('/newsroom/media/images', { config: { permission: 'canUploadMedia' }, preHandler: guard }, async (request, reply) => {
      if (!request.isMultipart()) {
        return sendJsonErrors(reply, 415, [{ field: 'file', message: 'Send the image as multipart/form-data with one file field.' }]);
      }
      let upload: { bytes: Buffer; filename: string; declaredType: string } | undefined;
      try {
        // Every part is read (other fields ignored) so that a second file trips the files limit.
        for await (const part of request.parts()) {
          if (part.type === 'file') upload = { bytes: await part.toBuffer(), filename: part.filename, declaredType: part.mimetype };
        }
      } catch (error) {
        return multipartError(reply, error, deps.images.maxUploadBytes);
      }
      if (!upload) return sendJsonErrors(reply, 400, [{ field: 'file', message: `Choose an image to upload: ${ACCEPTED_TYPES}.` }]);
      try {
        const image = await deps.images.upload({ ...upload, createdBy: request.actor?.kind === 'user' ? request.actor.id : null });
        return reply.code(201).header('cache-control', 'no-store').send({ image });
      } catch (error) {
        if (error instanceof ImageRejected) return sendJsonErrors(reply, STATUS[error.reason], error.details);
        if (error instanceof AppError) return sendJsonErrors(reply, error.status, error.details);
        throw error;
      }
    });
  });
}

function multipartError(reply: FastifyReply, error: unknown, maxBytes: number): FastifyReply {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return sendJsonErrors(reply, 413, [{ field: 'file', message: `The file is larger than the limit of ${maxBytes / 1024 / 1024} MB.` }]);
  }
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return sendJsonErrors(reply, 413, [{ field: 'file', message: 'Upload one image per request.' }]);
  }
  if (code?.startsWith('FST_')) return sendJsonErrors(reply, 400, [{ field: 'file', message: 'The upload could not be read; try again.' }]);
  throw error;
}

async function serveFile(images: ImagesService, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
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
