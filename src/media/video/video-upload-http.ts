// Reading a video upload from a multipart request: the file part is streamed to disk (a clip may
// be gigabytes; it is never held in memory), the text parts kept. Shared by the newsroom's upload
// and the Admin API; each registers @fastify/multipart in its own scope with `videoUploadLimits`.
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendJsonErrors } from '../../platform/http-errors.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { ACCEPTED_VIDEO } from './video-probe.ts';
import { VideoRejected, type VideoService } from './video-service.ts';
import { SOURCE_FILE } from './video-storage.ts';

export function videoUploadLimits(maxBytes: number) {
  return { limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 11, fieldSize: 10_000 } };
}

export type VideoUploadRead =
  | { ok: true; incoming: string; filename: string; fields: Record<string, string> }
  | { ok: false; status: number; errors: FieldError[] };

/** Streams the one file part into a new working folder; on any refusal the folder is removed. */
export async function readVideoUpload(request: FastifyRequest, videos: VideoService): Promise<VideoUploadRead> {
  const refuse = (status: number, message: string, field = 'file'): VideoUploadRead => ({ ok: false, status, errors: [{ field, message }] });
  if (!request.isMultipart()) return refuse(415, 'Send the video as multipart/form-data with one file field named “file”.');
  const incoming = await videos.createIncoming();
  let filename: string | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          await videos.discardIncoming(incoming);
          return refuse(400, `Unknown file field “${part.fieldname}”; send the video as “file”.`, part.fieldname);
        }
        await pipeline(part.file, createWriteStream(path.join(incoming, SOURCE_FILE)));
        if (part.file.truncated) {
          await videos.discardIncoming(incoming);
          return refuse(413, `The file is larger than the limit of ${videos.limits.maxBytes / 1024 / 1024} MB.`);
        }
        filename = part.filename;
      } else {
        if (part.valueTruncated) {
          await videos.discardIncoming(incoming);
          return refuse(413, `The field “${part.fieldname}” is too long.`, part.fieldname);
        }
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    await videos.discardIncoming(incoming);
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') return refuse(413, `The file is larger than the limit of ${videos.limits.maxBytes / 1024 / 1024} MB.`);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return refuse(413, 'Upload one video per request.');
    return refuse(400, 'The upload could not be read (it ended early or is malformed); try again.');
  }
  if (filename === undefined) {
    await videos.discardIncoming(incoming);
    return refuse(400, `Choose a video to upload: ${ACCEPTED_VIDEO}.`);
  }
  return { ok: true, incoming, filename, fields };
}

/** Sends a refused upload (or caption) as `{errors}`; rethrows anything else. */
export function sendVideoRefusal(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof VideoRejected) return sendJsonErrors(reply, error.status, error.details);
  if (error instanceof AppError) return sendJsonErrors(reply, error.status, error.details);
  throw error;
}

/** Refusal messages of a failed upload for an HTML page (the form without JavaScript); rethrows anything else. */
export function refusalOf(error: unknown): { status: number; errors: FieldError[] } {
  if (error instanceof VideoRejected || error instanceof AppError) return { status: error.status, errors: error.details };
  throw error;
}
