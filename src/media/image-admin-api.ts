// The admin API for the media library (/api/admin/v1/media/images): upload an image with its alt
// text, caption and credit, list and search the library, read one image, change its text. Tokens
// need canUploadMedia (checked by the gate in src/accounts/http.ts). Schemas are TypeBox, as in
// src/articles/admin-api.ts; the upload is multipart, read and checked part by part here.
import { ErrorsJson as Errors } from '../platform/schemas.ts';
import multipart from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sendJsonErrors } from '../platform/http-errors.ts';
import { toAdminImage } from './image-json.ts';
import { ACCEPTED_TYPES } from './image-processing.ts';
import { META_LIMITS, type ImageService } from './image-service.ts';
import { noFileError, readUpload, uploadLimits, uploadRefusal } from './image-upload-http.ts';

/** Newest first, like the newsroom's picker; `next` is the `before` of the following page. */
export const API_PAGE_SIZE = 24;


const MetaText = (what: string, limit: number) =>
  Type.String({ description: `${what}. At most ${limit} characters once runs of spaces and line breaks are made single spaces.` });
const ALT = 'Alt text: what the image shows, for people who cannot see it. A story cannot be published with an image without it';
const CAPTION = 'Caption shown under the image';
const CREDIT = 'Who made the image, e.g. "Ada Reporter / Northwire"';

const Image = Type.Object({
  id: Type.Integer(),
  filename: Type.String({ description: 'The uploaded file’s name, cleaned for display' }),
  mime: Type.String({ description: 'Type of the uploaded file (decided from its bytes)' }),
  width: Type.Integer({ description: 'Pixels, as displayed (after EXIF orientation)' }),
  height: Type.Integer(),
  bytes: Type.Integer({ description: 'Size of the uploaded file' }),
  alt: Type.String(),
  caption: Type.String(),
  credit: Type.String(),
  thumbnail: Type.String({ description: 'URL of the smallest WebP (else JPEG/PNG) variant' }),
  createdAt: Type.String({ format: 'date-time' }),
  variants: Type.Array(
    Type.Object({
      format: Type.String({ description: 'avif, webp, jpeg or png' }),
      width: Type.Integer(),
      height: Type.Integer(),
      bytes: Type.Integer(),
      url: Type.String({ description: 'Permanent public address, cached for a year' }),
    }),
    { description: 'Every size made so far: WebP and JPEG (PNG for transparent images) at widths up to 1920 px, made with the upload; AVIF at the same widths, added by a background job shortly after' },
  ),
});
const ImageReply = Type.Object({ image: Image });
const ImagePage = Type.Object({
  images: Type.Array(Image),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `before` for the next page; null when this is the last' }),
});

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the file name, alt text, caption or credit (case of A–Z ignored)' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Only images older than this id (the `next` of the previous page)' })),
  },
  { additionalProperties: false },
);
const MetaPatch = Type.Object(
  {
    alt: Type.Optional(MetaText(ALT, META_LIMITS.alt)),
    caption: Type.Optional(MetaText(CAPTION, META_LIMITS.caption)),
    credit: Type.Optional(MetaText(CREDIT, META_LIMITS.credit)),
  },
  { additionalProperties: false },
);
/** Describes the multipart upload for OpenAPI; the handler reads and checks the parts itself. */
const UploadForm = Type.Object(
  {
    file: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: `The image: ${ACCEPTED_TYPES}. Its bytes decide its type, not its name.` }),
    alt: Type.Optional(MetaText(ALT, META_LIMITS.alt)),
    caption: Type.Optional(MetaText(CAPTION, META_LIMITS.caption)),
    credit: Type.Optional(MetaText(CREDIT, META_LIMITS.credit)),
  },
  { additionalProperties: false, description: 'multipart/form-data: one file part named "file", and optional text parts alt, caption and credit (checked before the file is processed)' },
);

const META_FIELDS = new Set(['alt', 'caption', 'credit']);
const media = { permission: 'canUploadMedia' as const };
const refusals = { 400: Errors, 401: Errors, 403: Errors, 404: Errors };

export function registerImagesAdminApi(fastify: FastifyInstance, images: ImageService, siteUrl: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const show = (image: Parameters<typeof toAdminImage>[0]) => ({ image: toAdminImage(image, siteUrl) });

  app.get('/api/admin/v1/media/images', {
    config: media,
    schema: { tags: ['media'], summary: 'List images, newest first, 24 at a time; search with q', querystring: ListQuery, response: { 200: ImagePage, ...refusals } },
  }, async (request) => {
    const page = await images.browse({ limit: API_PAGE_SIZE, before: request.query.before, search: request.query.q });
    return { images: page.images.map((image) => toAdminImage(image, siteUrl)), next: page.next };
  });

  app.get('/api/admin/v1/media/images/:id', {
    config: media,
    schema: { tags: ['media'], summary: 'Read an image: its text, size and the addresses of its variants', params: IdParams, response: { 200: ImageReply, ...refusals } },
  }, async (request) => show(await images.get(request.params.id)));

  app.patch('/api/admin/v1/media/images/:id', {
    config: media,
    schema: {
      tags: ['media'],
      summary: 'Change alt text, caption or credit; story pages showing the image follow',
      description: 'The text of an image that readers see (in a published or scheduled story, as an author photo or the site logo) changes only with the right to publish (403 otherwise), and its alt text cannot be emptied (400). Every change is written to the audit log.',
      params: IdParams,
      body: MetaPatch,
      response: { 200: ImageReply, ...refusals },
    },
  }, async (request) => show(await images.updateMeta(request.params.id, request.body, request.actor!)));

  // Multipart parsing is scoped to the upload route, with the configured size limit.
  void app.register(async (scope) => {
    await scope.register(multipart, uploadLimits(images.maxUploadBytes));
    scope.post('/api/admin/v1/media/images', {
      config: media,
      schema: {
        tags: ['media'],
        summary: 'Upload an image (multipart), optionally with its alt text, caption and credit',
        description: `Send multipart/form-data with one file part named "file" (${ACCEPTED_TYPES}, up to ${images.maxUploadBytes / 1024 / 1024} MB) and, optionally, text parts "alt", "caption" and "credit". Answers 201 with the image once its WebP and JPEG/PNG variants are made (AVIF variants follow from a background job, usually within seconds: read the image again to see them); 415 for a file that is not an image we take, 413 for one too large, 400 for a damaged one or a bad field. A refused upload leaves nothing behind.`,
        consumes: ['multipart/form-data'],
        body: UploadForm,
        response: { 201: ImageReply, ...refusals, 413: Errors, 415: Errors },
      },
      // The body schema above is documentation: a multipart body is not an object until the
      // handler reads its parts, and the handler checks each one.
      validatorCompiler: () => () => true,
    }, async (request, reply) => {
      const read = await readUpload(request, images.maxUploadBytes);
      if (!read.ok) return sendJsonErrors(reply, read.status, read.errors);
      const unknown = Object.keys(read.fields).filter((name) => !META_FIELDS.has(name));
      if (unknown.length) return sendJsonErrors(reply, 400, unknown.map((name) => ({ field: name, message: `Unknown field "${name}".` })));
      if (!read.file) return sendJsonErrors(reply, 400, [noFileError()]);
      try {
        const image = await images.upload({ ...read.file, meta: read.fields, createdBy: null });
        return reply.code(201).send(show(image));
      } catch (error) {
        const refused = uploadRefusal(error);
        return sendJsonErrors(reply, refused.status, refused.errors);
      }
    });
  });
}
