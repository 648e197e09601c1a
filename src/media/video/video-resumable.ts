// Resumable video uploads by the tus protocol (tus.io 1.0.0, served by @tus/server): a clip of
// gigabytes on a newsroom's hotel Wi-Fi goes on from where the connection broke instead of
// starting again. The client creates an upload (POST with Upload-Length and the clip's text in
// Upload-Metadata), sends the bytes in PATCHes, and after a break asks HEAD how far it got. The
// bytes land in DATA_DIR/media/videos/.uploads/ (the clips' file system, so the finished file is
// renamed, never copied). When the last byte arrives the file takes the same checks as a
// multipart upload (VideoService.upload), and the answer to that last PATCH is the new clip.
// The newsroom (session and CSRF token) and the Admin API (bearer token) each mount an endpoint;
// an upload belongs to whoever created it, and nobody else can see, continue or cancel it.
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ServerRequest } from 'srvx';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import type { Actor } from '../../newsroom/permissions.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { MISSING_FFMPEG } from './ffmpeg.ts';
import { checkVideoMeta, VideoRejected, type Video, type VideoService } from './video-service.ts';
import { SOURCE_FILE } from './video-storage.ts';

/** Unfinished uploads are kept this long after they were created, then removed. */
export const UNFINISHED_UPLOAD_KEPT_MS = 24 * 3600_000;
const SWEEP_EVERY_MS = 3600_000;
/** The metadata keys read; others (Uppy's `relativePath`, say) are kept by tus and ignored here. */
const TEXT_KEYS = ['title', 'caption', 'credit', 'alt'] as const;

export interface ResumableEndpoint {
  /** Where uploads are created; each upload's own address is `${path}/<id>`. */
  path: string;
  /** The route config the auth gate reads (`{ permission }`). */
  config: { permission: 'canUploadMedia' };
  /** The OpenAPI tags (Admin API) or none (newsroom). */
  tags?: string[];
  /** The body of the answer to the last PATCH, once the clip is recorded. */
  answer(video: Video): unknown;
}

/** One store of unfinished uploads for every endpoint; each endpoint is a tus server on its own path. */
export class ResumableVideoUploads {
  readonly store: FileStore;
  private lastSweep = 0;

  /** `directory` is on the clips' file system (VideoStorage.root), so a finished file is renamed into place. */
  constructor(
    private readonly videos: VideoService,
    directory: string,
  ) {
    this.store = new FileStore({ directory, expirationPeriodInMilliseconds: UNFINISHED_UPLOAD_KEPT_MS });
  }

  /** Registers POST `path` and HEAD/PATCH/DELETE `path/:uploadId` in a scope of their own. */
  register(app: FastifyInstance, endpoint: ResumableEndpoint): void {
    const uploaders = new WeakMap<object, Actor>();
    const tus = this.server(endpoint, uploaders);
    const maxMb = this.videos.limits.maxBytes / 1024 / 1024;
    void app.register(async (scope) => {
      // The bytes are tus's to read, straight from the socket: Fastify must not buffer them.
      scope.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
      const handle = async (request: FastifyRequest, reply: FastifyReply) => {
        uploaders.set(request.raw, request.actor!);
        reply.hijack();
        const answer = await tus.handleWeb(new NodeRequest({ req: request.raw, res: reply.raw }));
        await sendNodeResponse(reply.raw, await personal(answer, maxMb));
      };
      const describe = (method: 'POST' | 'HEAD' | 'PATCH' | 'DELETE') => {
        if (!endpoint.tags) return method === 'POST' ? { hide: true, body: Type.Unknown() } : { hide: true }; // no form-fields body schema: tus's POST has no body
        return { tags: endpoint.tags, summary: SUMMARIES[method], description: method === 'POST' ? protocolDescription(maxMb) : 'See the POST of this address.' };
      };
      scope.post(endpoint.path, { config: endpoint.config, schema: describe('POST') }, handle);
      for (const method of ['HEAD', 'PATCH', 'DELETE'] as const) {
        scope.route({ method, url: `${endpoint.path}/:uploadId`, config: endpoint.config, schema: describe(method), handler: handle });
      }
    });
  }

  private server(endpoint: ResumableEndpoint, uploaders: WeakMap<object, Actor>): Server {
    const { videos, store } = this;
    // The gate has settled who is asking; tus hands its hooks srvx's request around the same Node one.
    const uploaderOf = (req: ServerRequest) => {
      const actor = req.runtime?.node ? uploaders.get(req.runtime.node.req) : undefined;
      return actor ? `${actor.kind}:${actor.id}` : '';
    };
    return new Server({
      path: endpoint.path,
      datastore: store,
      maxSize: videos.limits.maxBytes,
      relativeLocation: true,
      // Same-origin only: tus would otherwise answer every origin with Access-Control-Allow-Origin: *.
      allowedOrigins: () => false,
      onUploadCreate: async (req, upload) => {
        await this.sweep();
        if (!(await videos.tools())) throw refusal(503, [{ field: 'file', message: MISSING_FFMPEG }]);
        const metadata = upload.metadata ?? {};
        const videoId = metadata.videoId ? Number(metadata.videoId) : undefined;
        if (videoId !== undefined && !(Number.isInteger(videoId) && videoId > 0 && videoId < 2 ** 31)) {
          throw refusal(400, [{ field: 'videoId', message: 'videoId is the id of a clip: a whole number from 1.' }]);
        }
        try {
          // The text is checked now, so nobody sends gigabytes to learn the title was too long.
          if (videoId === undefined) checkVideoMeta(textOf(metadata), filenameOf(metadata));
          else await videos.get(videoId);
        } catch (error) {
          throw refusalOf(error);
        }
        return { metadata: { ...metadata, uploader: uploaderOf(req) } };
      },
      onIncomingRequest: async (req, id) => {
        if (req.method === 'POST') return;
        const upload = await store.getUpload(id).catch(() => undefined);
        // Somebody else's upload is answered as one that does not exist.
        if (upload && upload.metadata?.uploader !== uploaderOf(req)) throw { status_code: 404, body: 'Not found' };
      },
      onUploadFinish: async (req, upload) => {
        const video = await this.finish(upload, uploaderOf(req));
        return { status_code: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(endpoint.answer(video)) };
      },
    });
  }

  /** The whole file has arrived: it leaves the tus store and goes through the upload checks. */
  private async finish(upload: Upload, uploader: string): Promise<Video> {
    const metadata = upload.metadata ?? {};
    const incoming = await this.videos.createIncoming();
    try {
      await rename(path.join(this.store.directory, upload.id), path.join(incoming, SOURCE_FILE));
    } catch (error) {
      await this.videos.discardIncoming(incoming);
      throw error;
    } finally {
      await this.store.configstore.delete(upload.id);
    }
    const [kind, id] = uploader.split(':');
    try {
      return await this.videos.upload({
        incoming,
        filename: filenameOf(metadata),
        meta: textOf(metadata),
        createdBy: kind === 'user' ? Number(id) : null,
        videoId: metadata.videoId ? Number(metadata.videoId) : undefined,
      });
    } catch (error) {
      throw refusalOf(error);
    }
  }

  /** Unfinished uploads past their time are removed at most hourly, when a new one starts. */
  private async sweep(): Promise<void> {
    if (Date.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = Date.now();
    await this.store.deleteExpired().catch(() => 0);
  }
}

const SUMMARIES = {
  POST: 'Start a resumable upload of a clip (tus 1.0.0)',
  HEAD: 'How far a resumable upload has come (Upload-Offset)',
  PATCH: 'Send the next bytes of a resumable upload',
  DELETE: 'Cancel a resumable upload',
};

function protocolDescription(maxMb: number): string {
  return `The tus protocol's creation step (https://tus.io/protocols/resumable-upload): send Tus-Resumable: 1.0.0, Upload-Length (bytes, up to ${maxMb} MB) and Upload-Metadata with the clip's filename, title, caption, credit, alt (and videoId to fill a clip named in a story), each value Base64. Answers 201 with the upload's address in Location. Send the bytes there with PATCH (Content-Type: application/offset+octet-stream, Upload-Offset); after a break, HEAD tells the offset to go on from. The answer to the PATCH that brings the last byte is the clip, 201 {id, status}, once the file has passed the same checks as a multipart upload. Unfinished uploads are removed after ${UNFINISHED_UPLOAD_KEPT_MS / 3600_000} hours; only their creator can see, continue or cancel (DELETE) them.`;
}

type Metadata = Record<string, string | null>;

function textOf(metadata: Metadata): { title?: string; caption?: string; credit?: string; alt?: string } {
  return Object.fromEntries(TEXT_KEYS.filter((key) => typeof metadata[key] === 'string').map((key) => [key, metadata[key]]));
}

/** tus-js-client says `filename`, Uppy `name`. */
function filenameOf(metadata: Metadata): string {
  return metadata.filename ?? metadata.name ?? 'video';
}

function refusal(status: number, errors: FieldError[]) {
  return { status_code: status, body: JSON.stringify({ errors }) };
}

function refusalOf(error: unknown) {
  if (error instanceof VideoRejected || error instanceof AppError) return refusal(error.status, error.details);
  throw error;
}

/**
 * tus answers refusals in plain English of its own ("Upload-Offset conflict"); ours are JSON
 * `{errors}` already. Every refusal leaves as `{errors}`, worded for the person or program that
 * sent it, and nothing here is stored by a browser or a shared cache.
 */
async function personal(answer: Response, maxMb: number): Promise<Response> {
  const headers = new Headers(answer.headers);
  headers.set('cache-control', 'private, no-store');
  if (answer.status < 400) return new Response(answer.body, { status: answer.status, headers });
  const text = await answer.text();
  let body = text;
  try {
    JSON.parse(text);
  } catch {
    body = JSON.stringify({ errors: [{ message: tusRefusalMessage(answer.status, text, maxMb) }] });
  }
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('content-length', String(Buffer.byteLength(body)));
  return new Response(body, { status: answer.status, headers });
}

export function tusRefusalMessage(status: number, text: string, maxMb: number): string {
  if (status === 412) return 'This address takes resumable uploads by the tus protocol: send the header Tus-Resumable: 1.0.0.';
  if (status === 413) return `The file is larger than the limit of ${maxMb} MB.`;
  if (status === 409) return 'Those bytes do not follow on from what has arrived: ask with HEAD for the Upload-Offset and send from there.';
  if (status === 404 || status === 410) return 'This upload does not exist or has expired; start it again.';
  if (/Upload-Metadata/i.test(text)) return 'Upload-Metadata is malformed: it is comma-separated pairs of a key and a Base64 value.';
  if (/Upload-Length|Upload-Defer-Length/i.test(text)) return 'Say the size of the file in bytes, in Upload-Length.';
  if (/Content-Type/i.test(text)) return 'Send the bytes with Content-Type: application/offset+octet-stream.';
  if (/Upload-Offset/i.test(text)) return 'Say where these bytes go, in Upload-Offset.';
  if (/^Invalid /.test(text)) return `These headers are malformed: ${text.replace(/^Invalid /, '').trim()}.`;
  if (/Concatenation/i.test(text)) return 'Parallel (concatenated) uploads are not taken: send the file as one upload.';
  if (status >= 500) return 'The upload could not be written just now; try again (it goes on from where it stopped).';
  return text.trim() || 'The upload was refused.';
}
