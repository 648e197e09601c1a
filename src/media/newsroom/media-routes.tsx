// The newsroom's media library: the library screen with its upload form (plain multipart without
// JavaScript; the island uploads through the JSON route in src/media/image-routes.ts instead), one
// image's edit screen, and the JSON list the editor's image picker pages through.
import { PickerPageJson, PickerQuery } from './picker-schemas.ts';
import { ErrorsJson } from '../../platform/schemas.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../accounts/http.ts';
import { allows } from '../../newsroom/permissions.ts';
import type { AccountService } from '../../accounts/account-service.ts';
import { toPickerImage } from '../image-json.ts';
import type { ImageRecord, ImageService } from '../image-service.ts';
import { noFileError, uploadRefusal } from '../image-upload-http.ts';
import type { ClientAssets } from '../../platform/client-assets.ts';
import { AppError, notFound, type FieldError } from '../../platform/errors.ts';
import { sendJsonErrors } from '../../platform/http-errors.ts';
import { beforePageQuery } from '../../platform/paging.ts';
import { formFields } from '../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import { installUploadFormParser, UploadFormRefused, type UploadForm, UploadFormBody } from './form-upload.ts';
import { EditImagePage, LIBRARY_URL, LibraryPage } from './media-screens.tsx';
import { PICKER_PAGE_SIZE, PICKER_URL, type PickerPage } from './picker-image.ts';

export interface MediaDeps {
  images: ImageService;
  pages: NewsroomPages;
  assets: ClientAssets;
  accounts: Pick<AccountService, 'session'>;
}

const media = { permission: 'canUploadMedia' as const };
/** The library screen's page size: the picker's, so both show the same images on a first page. */
const PAGE_SIZE = PICKER_PAGE_SIZE;

export function registerMediaRoutes(app: FastifyInstance, deps: MediaDeps): void {
  const { images, pages } = deps;

  async function library(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { search?: string; page?: number; uploaded?: ImageRecord; errors?: FieldError[]; status?: number } = {},
  ) {
    const search = options.search ?? '';
    const page = options.page ?? 1;
    const errors = [...(options.errors ?? [])];
    let found: { images: ImageRecord[]; total: number };
    try {
      found = await images.list({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, search });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      errors.push(...error.details.map((e) => ({ ...e, field: e.field === 'search' ? 'q' : e.field })));
      found = await images.list({ limit: PAGE_SIZE });
    }
    const scriptUrl = await deps.assets.url('media');
    return pages.send(request, reply, { title: 'Media library', status: options.status ?? (errors.length ? 400 : 200) }, ({ csrf }) => (
      <LibraryPage
        images={found.images}
        total={found.total}
        page={page}
        pages={Math.max(1, Math.ceil(found.total / PAGE_SIZE))}
        search={errors.some((e) => e.field === 'q') ? '' : search}
        maxUploadMb={images.maxUploadBytes / 1024 / 1024}
        uploaded={options.uploaded}
        errors={errors}
        scriptUrl={scriptUrl}
        csrf={csrf}
      />
    ));
  }

  app.get(LIBRARY_URL, { config: media }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const search = typeof query.q === 'string' ? query.q : '';
    const rawPage = typeof query.page === 'string' ? query.page : '1';
    if (!/^[1-9]\d{0,5}$/.test(rawPage)) {
      return library(request, reply, { search, errors: [{ message: `There is no page “${rawPage.slice(0, 20)}”; pages are numbered from 1.` }] });
    }
    return library(request, reply, { search, page: Number(rawPage) });
  });

  // The upload form without JavaScript: its own scope, for its own multipart parser (form-upload.ts).
  void app.register(async (scope) => {
    installUploadFormParser(scope, {
      maxBytes: images.maxUploadBytes,
      mayUpload: async (request) => {
        const staff = await deps.accounts.session(request.cookies[SESSION_COOKIE]);
        return staff?.stage === 'full' && allows(staff, 'canUploadMedia');
      },
    });
    // The parser runs before the gate, so nobody is known yet: a plain page, showing nothing of the library.
    scope.setErrorHandler(async (error, request, reply) => {
      if (!(error instanceof UploadFormRefused)) throw error;
      return pages.send(request, reply, { title: 'Upload refused', status: error.statusCode }, () => (
        <>
          <h1>Upload refused</h1>
          <p role="alert">{error.message}</p>
          <p>
            <a href={LIBRARY_URL}>Back to the media library</a>
          </p>
        </>
      ));
    });

    scope.post(LIBRARY_URL, { config: media, schema: { body: UploadFormBody } }, async (request, reply) => {
      // A urlencoded post (no file field at all) arrives parsed by formbody, without `files`.
      const form = (request.body ?? {}) as Partial<UploadForm>;
      if ((form.files ?? 0) > 1) return library(request, reply, { errors: [{ field: 'file', message: 'Upload one image at a time.' }], status: 413 });
      if (!form.file) return library(request, reply, { errors: [noFileError()], status: 400 });
      try {
        const image = await images.upload({ ...form.file, createdBy: request.staff!.id });
        return library(request, reply, { uploaded: image, status: 201 });
      } catch (error) {
        const refused = uploadRefusal(error);
        return library(request, reply, { errors: refused.errors.map((e) => ({ ...e, field: 'file' })), status: refused.status });
      }
    });
  });

  // The editor's image picker: `{ images: PickerImage[], next }`, newest first, `before` pages on.
  app.get(PICKER_URL, { config: media, schema: { querystring: PickerQuery, response: { 200: PickerPageJson, 400: ErrorsJson } } }, async (request, reply) => {
    const asked = beforePageQuery(request.query, 'image');
    if ('error' in asked) return sendJsonErrors(reply, 400, [asked.error]);
    try {
      const page = await images.browse({ limit: PICKER_PAGE_SIZE, ...asked });
      return reply.send({ images: page.images.map(toPickerImage), next: page.next } satisfies PickerPage);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return sendJsonErrors(reply, error.status, error.details);
    }
  });

  /** The image the address names, or the not-found page. */
  async function imageOf(request: FastifyRequest): Promise<ImageRecord> {
    const image = await images.find((request.params as { id: number }).id);
    if (!image) throw notFound('There is no image here (it may have been deleted).');
    return image;
  }

  const showEdit = (request: FastifyRequest, reply: FastifyReply, image: ImageRecord, options: { values?: EditValues; errors?: FieldError[]; notice?: string; status?: number } = {}) =>
    pages.send(request, reply, { title: `Image ${image.filename}`, status: options.status }, ({ csrf }) => (
      <EditImagePage
        image={image}
        values={options.values ?? { alt: image.alt, caption: image.caption, credit: image.credit }}
        errors={options.errors ?? []}
        notice={options.notice}
        csrf={csrf}
      />
    ));

  app.get(`${LIBRARY_URL}/:id`, { config: media }, async (request, reply) => {
    const image = await imageOf(request);
    const saved = (request.query as Record<string, unknown>).done === 'saved';
    return showEdit(request, reply, image, { notice: saved ? 'Saved. Story pages showing this image now show the new text.' : undefined });
  });

  app.post(`${LIBRARY_URL}/:id`, { config: media }, async (request, reply) => {
    const image = await imageOf(request);
    const fields = formFields(request.body);
    const values: EditValues = { alt: fields.alt ?? image.alt, caption: fields.caption ?? image.caption, credit: fields.credit ?? image.credit };
    try {
      // Through the service: it records the image's cache tag, so reader pages showing it are dropped.
      await images.updateMeta(image.id, values, request.actor!);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'not_found') throw error;
      return showEdit(request, reply, image, { values, errors: error.details, status: error.status });
    }
    return reply.redirect(`${LIBRARY_URL}/${image.id}?done=saved`, 303);
  });
}

type EditValues = { alt: string; caption: string; credit: string };
