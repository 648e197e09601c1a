// Author profiles (editors): the list, a new profile, and editing one. A save goes back to the
// list with a notice (post/redirect/get); a refused save shows the form again with what was typed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Author } from '../model.ts';
import type { AuthorService } from '../author-service.ts';
import type { ImageService } from '../../media/image-service.ts';
import { toPickerImage } from '../../media/image-json.ts';
import type { ClientAssets } from '../../platform/client-assets.ts';
import { notFound, type FieldError } from '../../platform/errors.ts';
import { AuthorForm, AuthorList, AUTHORS_URL, type AuthorRow } from './author-screens.tsx';
import { attempt, formFields } from '../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import { fieldImage, imageIdOf } from '../../media/newsroom/image-field.tsx';

export interface AuthorDeps {
  authors: AuthorService;
  images: Pick<ImageService, 'find'>;
  pages: NewsroomPages;
  assets: ClientAssets;
}

const editors = { permission: 'canManageSections' as const };

export function registerAuthorRoutes(app: FastifyInstance, deps: AuthorDeps): void {
  const { authors, images, pages, assets } = deps;

  app.get(AUTHORS_URL, { config: editors }, async (request, reply) => {
    const profiles = await authors.withStoryCounts();
    const photoIds = [...new Set(profiles.flatMap((a) => (a.photoImageId ? [a.photoImageId] : [])))];
    const photos = new Map((await Promise.all(photoIds.map((id) => images.find(id)))).flatMap((image) => (image ? [[image.id, toPickerImage(image)] as const] : [])));
    const rows: AuthorRow[] = profiles.map((a) => ({ ...a, photo: a.photoImageId ? photos.get(a.photoImageId) : undefined }));
    const savedId = (request.query as Record<string, unknown>).saved;
    const saved = typeof savedId === 'string' ? rows.find((a) => String(a.id) === savedId) : undefined;
    const notice = saved && `Saved the profile of ${saved.name} (/author/${saved.slug}).`;
    return pages.send(request, reply, { title: 'Authors' }, () => <AuthorList authors={rows} notice={notice} />);
  });

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    author: Author | undefined,
    extra: { values?: Record<string, string>; errors?: FieldError[]; status?: number } = {},
  ) => {
    const values = extra.values ?? (author ? { name: author.name, bio: author.bio, photoImageId: author.photoImageId ? String(author.photoImageId) : '' } : {});
    const [photo, scriptUrl] = await Promise.all([fieldImage(images, values.photoImageId), assets.url('image-field')]);
    const title = author ? `Edit author: ${author.name}` : 'New author profile';
    return pages.send(request, reply, { title, status: extra.status }, ({ csrf }) => (
      <AuthorForm author={author} values={values} errors={extra.errors ?? []} photo={photo} scriptUrl={scriptUrl} csrf={csrf} />
    ));
  };

  app.get(`${AUTHORS_URL}/new`, { config: editors }, (request, reply) => formPage(request, reply, undefined));

  app.post(`${AUTHORS_URL}/new`, { config: editors }, async (request, reply) => {
    const form = formFields(request.body);
    const result = await attempt(() =>
      authors.create({ name: form.name ?? '', slug: form.slug?.trim() || undefined, bio: form.bio ?? '', photoImageId: imageIdOf(form.photoImageId) }),
    );
    if ('errors' in result) return formPage(request, reply, undefined, { values: form, errors: result.errors, status: result.status });
    return reply.redirect(`${AUTHORS_URL}?saved=${result.ok.id}`, 303);
  });

  /** The profile the URL names, or the newsroom's 404. */
  const profile = async (request: FastifyRequest): Promise<Author> => {
    const author = await authors.byId((request.params as { id: number }).id);
    if (!author) throw notFound('There is no author profile here.');
    return author;
  };

  app.get(`${AUTHORS_URL}/:id`, { config: editors }, async (request, reply) => formPage(request, reply, await profile(request)));

  app.post(`${AUTHORS_URL}/:id`, { config: editors }, async (request, reply) => {
    const author = await profile(request);
    const form = formFields(request.body);
    const result = await attempt(() => authors.update(author.id, { name: form.name ?? '', bio: form.bio ?? '', photoImageId: imageIdOf(form.photoImageId) }));
    if ('errors' in result) return formPage(request, reply, author, { values: form, errors: result.errors, status: result.status });
    return reply.redirect(`${AUTHORS_URL}?saved=${result.ok.id}`, 303);
  });
}
