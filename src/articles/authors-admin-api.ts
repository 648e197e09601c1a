// The admin API for author profiles (/api/admin/v1/authors): list them, create one, change one's
// name, bio and photo — what editors do on the newsroom's Authors screens. The address (slug) is
// set once, at creation, as on those screens: it is the author page's public URL.
import { ErrorsJson as Errors } from '../platform/schemas.ts';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { AuthorService } from './author-service.ts';
import type { Author } from './model.ts';
import { AUTHOR_LIMITS } from './save-rules.ts';


const AuthorJson = Type.Object({
  id: Type.Integer(),
  slug: Type.String({ description: 'The author page is /author/<slug>' }),
  name: Type.String(),
  bio: Type.String(),
  photoImageId: Type.Union([Type.Integer(), Type.Null()], { description: 'Media library image id of the photo' }),
  url: Type.String({ description: 'Public address of the author page' }),
});
const Photo = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'Media library image id; null for none' });
const CreateAuthor = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: AUTHOR_LIMITS.name }),
    slug: Type.Optional(Type.String({ maxLength: 80, description: 'Left out, it follows the name' })),
    bio: Type.Optional(Type.String({ maxLength: AUTHOR_LIMITS.bio })),
    photoImageId: Type.Optional(Photo),
  },
  { additionalProperties: false },
);
const UpdateAuthor = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: AUTHOR_LIMITS.name })),
    bio: Type.Optional(Type.String({ maxLength: AUTHOR_LIMITS.bio })),
    photoImageId: Type.Optional(Photo),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const replies = (ok: number) => ({ [ok]: Type.Object({ author: AuthorJson }), 400: Errors, 401: Errors, 403: Errors, 404: Errors, 409: Errors });

export function registerAuthorsAdminApi(fastify: FastifyInstance, authors: AuthorService, siteUrl: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = { permission: 'canManageSections' as const };
  const show = (author: Author) => ({ ...author, url: `${siteUrl}/author/${author.slug}` });

  app.get('/api/admin/v1/authors', {
    config: editors,
    schema: { tags: ['authors'], summary: 'List author profiles, by name', response: { 200: Type.Object({ authors: Type.Array(AuthorJson) }), 401: Errors, 403: Errors } },
  }, async () => ({ authors: (await authors.withStoryCounts()).map(({ stories: _stories, ...author }) => show(author)) }));

  app.post('/api/admin/v1/authors', {
    config: editors,
    schema: { tags: ['authors'], summary: 'Create an author profile (an address in use is refused)', body: CreateAuthor, response: replies(201) },
  }, async (request, reply) => reply.code(201).send({ author: show(await authors.create(request.body)) }));

  app.patch('/api/admin/v1/authors/:id', {
    config: editors,
    schema: { tags: ['authors'], summary: 'Change an author’s name, bio or photo; fields left out stay as they are', params: IdParams, body: UpdateAuthor, response: replies(200) },
  }, async (request) => {
    const current = await authors.byId(request.params.id);
    if (!current) throw new AppError('not_found', `There is no author profile with id ${request.params.id}.`);
    const { name = current.name, bio = current.bio, photoImageId = current.photoImageId } = request.body;
    return { author: show(await authors.update(current.id, { name, bio, photoImageId })) };
  });
}
