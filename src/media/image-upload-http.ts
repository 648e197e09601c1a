// Reading an image upload from a multipart request, and the HTTP status of each refusal: shared by
// the newsroom's upload route and the admin API. Parts are streamed by @fastify/multipart (which
// the caller registers in its own scope, with the limits from `uploadLimits`).
import type { FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../platform/errors.ts';
import { ACCEPTED_TYPES, ImageRejected } from './image-processing.ts';

export interface UploadedFile {
  bytes: Buffer;
  filename: string;
  declaredType: string;
}

export type UploadRead = { ok: true; file?: UploadedFile; fields: Record<string, string> } | { ok: false; status: number; errors: FieldError[] };

/** @fastify/multipart limits for one image and a few short fields. */
export function uploadLimits(maxBytes: number) {
  return { limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 11, fieldSize: 10_000 } };
}

const STATUS = { unsupported: 415, too_large: 413, invalid: 400 } as const;

export const noFileError = (): FieldError => ({ field: 'file', message: `Choose an image to upload: ${ACCEPTED_TYPES}.` });

/** Every part is read (so a second file trips the files limit); the file is buffered, fields kept as text. */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<UploadRead> {
  if (!request.isMultipart()) {
    return { ok: false, status: 415, errors: [{ field: 'file', message: 'Send the image as multipart/form-data with one file field.' }] };
  }
  let file: UploadedFile | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        file = { bytes: await part.toBuffer(), filename: part.filename, declaredType: part.mimetype };
      } else {
        if (part.valueTruncated) return { ok: false, status: 413, errors: [{ field: part.fieldname, message: `The field “${part.fieldname}” is too long.` }] };
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    return multipartRefusal(error, maxBytes);
  }
  return { ok: true, file, fields };
}

/** What went wrong reading the multipart body, as the sender's error (never a 500). */
function multipartRefusal(error: unknown, maxBytes: number): UploadRead {
  const code = (error as { code?: string }).code;
  const refuse = (status: number, message: string): UploadRead => ({ ok: false, status, errors: [{ field: 'file', message }] });
  if (code === 'FST_REQ_FILE_TOO_LARGE') return refuse(413, `The file is larger than the limit of ${maxBytes / 1024 / 1024} MB.`);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return refuse(413, 'Upload one image per request.');
  // Anything else went wrong reading the client's bytes: a body cut off before its closing boundary,
  // a malformed part header, a dropped connection. The sender's to fix, not a failure of ours.
  return refuse(400, 'The upload could not be read (it ended early or is malformed); try again.');
}

/** Status and messages for a refused upload or metadata change; rethrows anything else. */
export function uploadRefusal(error: unknown): { status: number; errors: FieldError[] } {
  if (error instanceof ImageRejected) return { status: STATUS[error.reason], errors: error.details };
  if (error instanceof AppError) return { status: error.status, errors: error.details };
  throw error;
}
