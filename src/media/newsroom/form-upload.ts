// The upload form that works without JavaScript posts multipart/form-data with its CSRF token as
// a field. Fastify parses a body before the staff gate runs, and the gate looks for the token in
// the parsed body, so this form needs a body parser of its own: @fastify/multipart (the JSON upload
// route's) only reads parts inside the handler, after the gate. The body is read into memory, as the
// JSON route reads its file, but only for someone whose session may upload, and never past the limit.
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UploadedFile } from '../image-upload-http.ts';

/** What the parser hands the route as `request.body`. */
export interface UploadForm {
  _csrf?: string;
  /** The chosen file; absent when the form was sent without one. */
  file?: UploadedFile;
  /** How many files the form carried (the form has one file field; a forged one might carry more). */
  files: number;
}

/** The edge schema of the form's body: the fields above, the file as this parser read it. */
export const UploadFormBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  files: Type.Optional(Type.Integer({ minimum: 0 })),
  file: Type.Optional(Type.Unknown({ description: 'The chosen file, as read by the form parser (bytes and name).' })),
});

/** Room for the form's other fields and the multipart framing around the file. */
const FORM_OVERHEAD = 64 * 1024;

/** Raised by the parser (before the gate has run): the route scope's error handler answers it. */
export class UploadFormRefused extends Error {
  constructor(
    readonly statusCode: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

export interface UploadFormOptions {
  maxBytes: number;
  /** True when the request carries a session whose role may upload; others are left to the gate. */
  mayUpload(request: FastifyRequest): Promise<boolean>;
}

/** Installs the parser in `scope` (an encapsulated scope holding the form's route alone). */
export function installUploadFormParser(scope: FastifyInstance, options: UploadFormOptions): void {
  scope.addContentTypeParser('multipart/form-data', async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    // Unread, the bytes are discarded by Node once the gate has answered (sign in, or not allowed).
    if (!(await options.mayUpload(request))) return { files: 0 } satisfies UploadForm;
    const limit = options.maxBytes + FORM_OVERHEAD;
    const chunks: Buffer[] = [];
    let size = 0;
    // Read on past the limit (keeping nothing), so the browser receives the answer instead of a
    // connection reset in the middle of its upload; but not without end: far past it, stop reading.
    for await (const chunk of payload as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
      if (size > limit * 2 + FORM_OVERHEAD) break;
    }
    if (size > limit) {
      throw new UploadFormRefused(413, `The file is larger than the limit of ${options.maxBytes / 1024 / 1024} MB; choose a smaller file.`);
    }
    let form: FormData;
    try {
      form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': request.headers['content-type'] ?? '' } }).formData();
    } catch {
      throw new UploadFormRefused(400, 'The upload could not be read; try again.');
    }
    const body: UploadForm = { files: 0 };
    const csrf = form.get('_csrf');
    if (typeof csrf === 'string') body._csrf = csrf;
    for (const [name, value] of form) {
      // A file field left empty arrives as a nameless, empty part.
      if (typeof value === 'string' || (value.name === '' && value.size === 0)) continue;
      body.files += 1;
      if (name === 'file') body.file = { bytes: Buffer.from(await value.arrayBuffer()), filename: value.name, declaredType: value.type };
    }
    return body;
  });
}
