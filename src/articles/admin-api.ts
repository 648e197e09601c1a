// The admin API for stories and sections (/api/admin/v1): everything the newsroom does to stories,
// for scripts and other systems. Tokens act with their role's permissions (the gate in
// src/accounts/http.ts checks each route's `permission`); story-level rules (whose story it is)
// are checked here. Schemas are TypeBox: they validate requests and describe the API in OpenAPI.
import { fromApiFields, STORY_API_FIELDS, toApiFields } from './story-fields.ts';
import { changedStory } from './story-input.ts';
import { ErrorsJson as Errors } from '../platform/schemas.ts';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allows, mayEditStory, type Actor } from '../newsroom/permissions.ts';
import { AppError } from '../platform/errors.ts';
import { articlePath, type Article, type ArticleInput } from './model.ts';
import type { ArticleService } from './article-service.ts';


const CreateStory = Type.Object(STORY_API_FIELDS, { additionalProperties: false });
const UpdateStory = Type.Object(
  {
    ...Type.Partial(Type.Object(STORY_API_FIELDS)).properties,
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'The version this change is based on; a newer one refuses it (409)' })),
  },
  { additionalProperties: false },
);
const Version = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
/** Publishing states the version the caller saw, so it publishes what someone read, not a later edit. */
const SeenVersion = Type.Integer({ minimum: 1, description: 'The version you read; a newer one refuses the call (409)' });
const PublishBody = Type.Object({ version: SeenVersion }, { additionalProperties: false });
const ScheduleBody = Type.Object({ at: Type.String({ format: 'date-time' }), version: SeenVersion }, { additionalProperties: false });
const CorrectionBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const Story = Type.Object({
  id: Type.Integer(),
  url: Type.String({ description: 'Public address of the story' }),
  // Every editable field, as the API takes it (story-fields.ts).
  ...Type.Required(Type.Object(STORY_API_FIELDS)).properties,
  status: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  version: Type.Integer(),
  corrections: Type.Array(Type.Object({ text: Type.String(), createdAt: Type.String() })),
});
const StoryReply = Type.Object({ article: Story });
const Section = Type.Object({ slug: Type.String(), name: Type.String(), description: Type.String(), position: Type.Integer() });
const CreateSection = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 60 }), slug: Type.Optional(Type.String({ maxLength: 60 })), description: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

const replies = (ok: number, schema: unknown) => ({ [ok]: schema, 400: Errors, 401: Errors, 403: Errors, 404: Errors, 409: Errors });

export function registerArticlesAdminApi(fastify: FastifyInstance, articles: ArticleService, siteUrl: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const show = (article: Article) => ({ article: toJson(article, siteUrl) });

  /** The story, when the caller may change it; 404 rather than 403 for stories they may not see. */
  async function editable(request: FastifyRequest, id: number): Promise<Article> {
    const article = await articles.findById(id);
    if (!article || !mayEditStory(request.actor, article)) throw new AppError('not_found', `There is no story with id ${id} that you may edit.`);
    return article;
  }
  const versionOf = (article: Article, version: number | undefined) => version ?? article.version;

  app.post('/api/admin/v1/articles', {
    config: { permission: 'canWriteStories' },
    schema: { tags: ['stories'], summary: 'Create a story (a draft)', body: CreateStory, response: replies(201, StoryReply) },
  }, async (request, reply) => {
    // The schema requires the headline and the section, so this is a whole story.
    const article = await articles.save({ ...(fromApiFields(request.body) as ArticleInput), status: 'draft', ownerUserId: ownerOf(request.actor) });
    return reply.code(201).send(show(article));
  });

  app.get('/api/admin/v1/articles/:id', {
    config: { permission: 'canWriteStories' },
    schema: { tags: ['stories'], summary: 'Read a story', params: IdParams, response: replies(200, StoryReply) },
  }, async (request) => show(await editable(request, request.params.id)));

  app.patch('/api/admin/v1/articles/:id', {
    config: { permission: 'canWriteStories' },
    schema: { tags: ['stories'], summary: 'Change a story; a published story changes live (editors only)', params: IdParams, body: UpdateStory, response: replies(200, StoryReply) },
  }, async (request) => {
    const current = await editable(request, request.params.id);
    if (current.status === 'published' && !allows(request.actor, 'canPublish')) {
      throw new AppError('forbidden', 'Only editors may change a published story.');
    }
    const { version, ...fields } = request.body;
    const article = await articles.save(changedStory(current, fromApiFields(fields)), { id: current.id, expectedVersion: versionOf(current, version), by: request.actor });
    return show(article);
  });

  app.post('/api/admin/v1/articles/:id/submit', {
    config: { permission: 'canSubmitForEdit' },
    schema: { tags: ['workflow'], summary: 'Submit a draft for edit ("ready")', params: IdParams, body: Type.Optional(Version), response: replies(200, StoryReply) },
  }, async (request) => {
    const current = await editable(request, request.params.id);
    return show(await articles.submitForEdit(current.id, versionOf(current, request.body?.version), request.actor!));
  });

  app.post('/api/admin/v1/articles/:id/publish', {
    config: { permission: 'canPublish' },
    schema: { tags: ['workflow'], summary: 'Publish now (the version you read is required)', params: IdParams, body: PublishBody, response: replies(200, StoryReply) },
  }, async (request) => {
    const current = await editable(request, request.params.id);
    return show(await articles.publishNow(current.id, request.body.version, request.actor!));
  });

  app.post('/api/admin/v1/articles/:id/schedule', {
    config: { permission: 'canPublish' },
    schema: { tags: ['workflow'], summary: 'Schedule publication at a time (embargoed until then; the version you read is required)', params: IdParams, body: ScheduleBody, response: replies(200, StoryReply) },
  }, async (request) => {
    const current = await editable(request, request.params.id);
    return show(await articles.schedule(current.id, request.body.at, request.body.version, request.actor!));
  });

  app.post('/api/admin/v1/articles/:id/unpublish', {
    config: { permission: 'canPublish' },
    schema: { tags: ['workflow'], summary: 'Take a published story down (its address answers 410)', params: IdParams, body: Type.Optional(Version), response: replies(200, StoryReply) },
  }, async (request) => {
    const current = await editable(request, request.params.id);
    return show(await articles.unpublish(current.id, versionOf(current, request.body?.version), request.actor!));
  });

  app.post('/api/admin/v1/articles/:id/corrections', {
    config: { permission: 'canPublish' },
    schema: { tags: ['workflow'], summary: 'Append a dated public correction', params: IdParams, body: CorrectionBody, response: replies(200, StoryReply) },
  }, async (request) => {
    const current = await editable(request, request.params.id);
    return show(await articles.addCorrection(current.id, request.body.text, versionOf(current, request.body.version), request.actor!));
  });

  app.get('/api/admin/v1/sections', {
    config: { permission: 'canWriteStories' },
    schema: { tags: ['sections'], summary: 'List sections', response: { 200: Type.Object({ sections: Type.Array(Section) }), 401: Errors, 403: Errors } },
  }, async () => ({ sections: (await articles.sections()).map(({ slug, name, description, position }) => ({ slug, name, description, position })) }));

  app.post('/api/admin/v1/sections', {
    config: { permission: 'canManageSections' },
    schema: { tags: ['sections'], summary: 'Create a section', body: CreateSection, response: replies(201, Type.Object({ section: Section })) },
  }, async (request, reply) => {
    const { slug, name, description, position } = await articles.createSection(request.body);
    return reply.code(201).send({ section: { slug, name, description, position } });
  });
}

function ownerOf(actor: Actor | undefined): number | null {
  return actor?.kind === 'user' ? actor.id : null;
}

export function toJson(article: Article, siteUrl: string) {
  return {
    id: article.id,
    url: siteUrl + articlePath(article),
    ...toApiFields(article),
    status: article.status,
    publishedAt: article.publishedAt,
    updatedAt: article.updatedAt,
    version: article.version,
    corrections: article.corrections.map((c) => ({ text: c.text, createdAt: c.createdAt })),
  };
}
