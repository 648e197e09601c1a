// The Admin API for clips (/api/admin/v1/media/videos): upload (multipart, streamed to disk and
// checked by ffprobe), read one clip's status and files, change its text, add captions, retry a
// failed conversion, delete. Tokens need canUploadMedia (the gate in src/accounts/http.ts).
import multipart from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sendJsonErrors } from '../../platform/http-errors.ts';
import { ErrorsJson as Errors } from '../../platform/schemas.ts';
import { ACCEPTED_VIDEO } from './video-probe.ts';
import { toVideoJson } from './video-json.ts';
import type { ResumableVideoUploads } from './video-resumable.ts';
import type { VideoService } from './video-service.ts';
import { readVideoUpload, sendVideoRefusal, videoUploadLimits } from './video-upload-http.ts';

const Clip = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  caption: Type.String(),
  credit: Type.String(),
  alt: Type.String({ description: 'A description of what the clip shows, for people who cannot see it' }),
  status: Type.Union([Type.Literal('reference'), Type.Literal('processing'), Type.Literal('ready'), Type.Literal('failed')], {
    description: 'reference: named in a story, nothing uploaded yet; processing: being converted (it may already play, see hlsUrl); ready; failed (see error)',
  }),
  progress: Type.Integer({ description: 'Percent of the conversion done' }),
  error: Type.Union([Type.String(), Type.Null()]),
  durationSeconds: Type.Union([Type.Number(), Type.Null()]),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  posterUrl: Type.Union([Type.String(), Type.Null()]),
  hlsUrl: Type.Union([Type.String(), Type.Null()], { description: 'The master playlist, once a first rendition plays' }),
  mp4Url: Type.Union([Type.String(), Type.Null()], { description: 'The progressive MP4 (360p, or the source’s size when smaller), once the clip plays' }),
  renditions: Type.Array(Type.Object({ height: Type.Integer(), width: Type.Integer(), bandwidth: Type.Integer(), bytes: Type.Integer() })),
  captions: Type.Array(Type.Object({ lang: Type.String(), label: Type.String(), url: Type.String() })),
  createdAt: Type.String(),
});
const Created = Type.Object({ id: Type.Integer(), status: Type.String() });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const LangParams = Type.Object({ id: Type.Integer({ minimum: 1 }), lang: Type.String({ maxLength: 35 }) });
const MetaPatch = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 2000 })),
    caption: Type.Optional(Type.String({ maxLength: 5000 })),
    credit: Type.Optional(Type.String({ maxLength: 2000 })),
    alt: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
const CaptionBody = Type.Object({ lang: Type.String(), label: Type.Optional(Type.String()), text: Type.String({ description: 'The WebVTT or SRT file as text' }) }, { additionalProperties: false });

const media = { permission: 'canUploadMedia' as const };
const refusals = { 400: Errors, 401: Errors, 403: Errors, 404: Errors, 409: Errors };
const UPLOAD_FIELDS = new Set(['title', 'caption', 'credit', 'alt', 'videoId']);

export function registerVideosAdminApi(fastify: FastifyInstance, videos: VideoService, uploads: ResumableVideoUploads, siteUrl: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const show = async (id: number) => toVideoJson(await videos.get(id), await videos.captions(id), siteUrl);

  app.get('/api/admin/v1/media/videos/:id', {
    config: media,
    schema: { tags: ['media'], summary: 'Read a clip: its status, conversion progress, files and captions', params: IdParams, response: { 200: Clip, ...refusals } },
  }, async (request) => show(request.params.id));

  app.patch('/api/admin/v1/media/videos/:id', {
    config: media,
    schema: { tags: ['media'], summary: 'Change a clip’s title, caption, credit or description', params: IdParams, body: MetaPatch, response: { 200: Clip, ...refusals } },
  }, async (request, reply) => {
    try {
      await videos.updateMeta(request.params.id, request.body);
    } catch (error) {
      return sendVideoRefusal(reply, error);
    }
    return show(request.params.id);
  });

  app.post('/api/admin/v1/media/videos/:id/retry', {
    config: media,
    schema: { tags: ['media'], summary: 'Convert a failed clip again from its kept upload', params: IdParams, response: { 200: Clip, ...refusals } },
  }, async (request, reply) => {
    try {
      await videos.retry(request.params.id);
    } catch (error) {
      return sendVideoRefusal(reply, error);
    }
    return show(request.params.id);
  });

  app.delete('/api/admin/v1/media/videos/:id', {
    config: media,
    schema: { tags: ['media'], summary: 'Delete a clip, its captions and files (stories naming it show its title without a player)', params: IdParams, response: { 204: Type.Null(), ...refusals } },
  }, async (request, reply) => {
    await videos.delete(request.params.id);
    return reply.code(204).send(null);
  });

  app.put('/api/admin/v1/media/videos/:id/captions', {
    config: media,
    schema: { tags: ['media'], summary: 'Add or replace a clip’s captions in one language (WebVTT, or SRT converted to WebVTT)', params: IdParams, body: CaptionBody, response: { 200: Clip, ...refusals } },
  }, async (request, reply) => {
    try {
      await videos.putCaption(request.params.id, { lang: request.body.lang, label: request.body.label ?? '', bytes: Buffer.from(request.body.text) });
    } catch (error) {
      return sendVideoRefusal(reply, error);
    }
    return show(request.params.id);
  });

  app.delete('/api/admin/v1/media/videos/:id/captions/:lang', {
    config: media,
    schema: { tags: ['media'], summary: 'Remove a clip’s captions in one language', params: LangParams, response: { 204: Type.Null(), ...refusals } },
  }, async (request, reply) => {
    await videos.deleteCaption(request.params.id, request.params.lang);
    return reply.code(204).send(null);
  });

  // The same upload, resumable: large files over unreliable connections (tus 1.0.0).
  uploads.register(fastify, { path: '/api/admin/v1/media/videos/uploads', config: media, tags: ['media'], answer: (clip) => ({ id: clip.id, status: clip.status }) });

  void app.register(async (scope) => {
    await scope.register(multipart, videoUploadLimits(videos.limits.maxBytes));
    scope.post('/api/admin/v1/media/videos', {
      config: media,
      schema: {
        tags: ['media'],
        summary: 'Upload a clip (multipart), with its title, caption and credit',
        description: `Send multipart/form-data: the text parts first (title, caption, credit, alt; videoId to fill a clip already named in a story), then one file part named "file" (${ACCEPTED_VIDEO}, up to ${videos.limits.maxBytes / 1024 / 1024} MB and ${videos.limits.maxDurationSeconds / 60} minutes, at most 4K). The file is checked with ffprobe before anything is kept: 415 for a file that is not a video we take, 413 for one too large, 400 for a damaged one or a bad field, 503 when the server has no ffmpeg. Answers 201 {id, status: "processing"}; read the clip to follow its conversion.`,
        consumes: ['multipart/form-data'],
        response: { 201: Created, ...refusals, 413: Errors, 415: Errors, 503: Errors },
      },
    }, async (request, reply) => {
      const read = await readVideoUpload(request, videos);
      if (!read.ok) return sendJsonErrors(reply, read.status, read.errors);
      const unknown = Object.keys(read.fields).filter((name) => !UPLOAD_FIELDS.has(name));
      const videoId = read.fields.videoId === undefined ? undefined : Number(read.fields.videoId);
      if (unknown.length || (videoId !== undefined && !(Number.isInteger(videoId) && videoId > 0 && videoId < 2 ** 31))) {
        await videos.discardIncoming(read.incoming);
        const errors = unknown.map((name) => ({ field: name, message: `Unknown field "${name}".` }));
        if (videoId !== undefined && !errors.length) errors.push({ field: 'videoId', message: 'videoId is the id of a clip: a whole number from 1.' });
        return sendJsonErrors(reply, 400, errors);
      }
      const { title, caption, credit, alt } = read.fields;
      try {
        const clip = await videos.upload({ incoming: read.incoming, filename: read.filename, meta: { title, caption, credit, alt }, createdBy: null, videoId });
        return reply.code(201).send({ id: clip.id, status: clip.status });
      } catch (error) {
        return sendVideoRefusal(reply, error);
      }
    });
  });
}

