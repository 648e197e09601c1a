// The Content API's routes under /api/v1: GET only, public, each answered through the API's page
// cache under its exact address (so the fast path in content-api-feature.ts finds it too).
// Parameters are checked by the schemas (a wrong one is a 400 with {errors}); a story, section,
// topic or author readers cannot see is a 404, whether it exists or not.
import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleService } from '../articles/article-service.ts';
import { notFound } from '../platform/errors.ts';
import type { PageResponder, PageResult } from '../platform/page-responder.ts';
import { ErrorsJson as Errors } from '../platform/schemas.ts';
import type { ContentAnswers } from './content-answers.ts';
import { API_BASE } from './content-json.ts';
import { AuthorJson, AuthorsPage, PageQuery, SectionJson, SectionsList, SlugParams, StoriesPage, StoriesQuery, StoryAddressParams, StoryJson, TopicJson, TopicsPage } from './content-schemas.ts';

export interface ContentRoutesDeps {
  answers: ContentAnswers;
  articles: ArticleService;
  responder: PageResponder;
  /** Search answers: a cache of their own with a short life (every query is an entry). */
  searchResponder: PageResponder;
  /** Counts a request against its client's limit unless the fast path already did; true when refused (and answered). */
  limit(request: FastifyRequest, reply: FastifyReply): boolean;
  corsHeaders: Readonly<Record<string, string>>;
}

const TAGS = ['content'];
/** Public: no token, whatever the admin API's default says. */
const PUBLIC = { tags: TAGS, security: [] };

export async function registerContentRoutes(fastify: FastifyInstance, deps: ContentRoutesDeps): Promise<void> {
  const { answers, articles, responder, searchResponder } = deps;
  const found = async (result: Promise<PageResult | null>) => {
    const page = await result;
    if (!page) throw notFound();
    return page;
  };
  await fastify.register(async (scope) => {
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('onRequest', async (request, reply) => {
      if (deps.limit(request, reply)) return reply;
    });
    // Errors (400, 404, 429) are readable from other origins too.
    app.addHook('onSend', async (_request, reply, payload) => {
      for (const [name, value] of Object.entries(deps.corsHeaders)) if (!reply.hasHeader(name)) reply.header(name, value);
      return payload;
    });
    app.options(`${API_BASE}/*`, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
        .header('access-control-allow-headers', 'If-None-Match, If-Modified-Since, Accept, Accept-Encoding')
        .header('access-control-max-age', '86400')
        .header('cache-control', 'public, max-age=86400')
        .send(),
    );

    app.get(`${API_BASE}/stories`, {
      schema: { ...PUBLIC, summary: 'Published stories, newest first: all, or by section, topic or author; or a full-text search (best match first)', querystring: StoriesQuery, response: { 200: StoriesPage, 400: Errors, 429: Errors } },
    }, async (request, reply) => {
      const query = { ...request.query, limit: request.query.limit ?? 20 };
      const cache = query.q === undefined ? responder : searchResponder;
      await cache.respond(request, reply, request.url, () => answers.stories(query));
    });

    app.get(`${API_BASE}/stories/:id`, {
      schema: { ...PUBLIC, summary: 'One published story by id: its body as ProseMirror JSON and as HTML', response: { 200: StoryJson, 404: Errors, 429: Errors } },
    }, async (request, reply) => {
      const { id } = request.params as { id: number };
      await responder.respond(request, reply, request.url, () => found(articles.findById(id).then((a) => answers.story(a))));
    });

    app.get(`${API_BASE}/sections/:section/stories/:slug`, {
      schema: { ...PUBLIC, summary: 'One published story by its section and slug (its address on the site)', params: StoryAddressParams, response: { 200: StoryJson, 400: Errors, 404: Errors, 429: Errors } },
    }, async (request, reply) => {
      const { section, slug } = request.params;
      await responder.respond(request, reply, request.url, () => found(articles.findPublished(section, slug).then((a) => answers.story(a))));
    });

    app.get(`${API_BASE}/sections`, { schema: { ...PUBLIC, summary: 'Every section, in the site’s order', response: { 200: SectionsList, 429: Errors } } }, async (request, reply) => {
      await responder.respond(request, reply, request.url, () => answers.sections());
    });

    app.get(`${API_BASE}/sections/:slug`, { schema: { ...PUBLIC, summary: 'One section', params: SlugParams, response: { 200: SectionJson, 400: Errors, 404: Errors, 429: Errors } } }, async (request, reply) => {
      await responder.respond(request, reply, request.url, () => found(answers.section(request.params.slug)));
    });

    app.get(`${API_BASE}/topics`, { schema: { ...PUBLIC, summary: 'Topics of published stories, by slug', querystring: PageQuery, response: { 200: TopicsPage, 400: Errors, 429: Errors } } }, async (request, reply) => {
      await responder.respond(request, reply, request.url, () => answers.topics(request.query.limit ?? 20, request.query.cursor));
    });

    app.get(`${API_BASE}/topics/:slug`, { schema: { ...PUBLIC, summary: 'One topic (once a published story carries it)', params: SlugParams, response: { 200: TopicJson, 400: Errors, 404: Errors, 429: Errors } } }, async (request, reply) => {
      await responder.respond(request, reply, request.url, () => found(answers.topic(request.params.slug)));
    });

    app.get(`${API_BASE}/authors`, { schema: { ...PUBLIC, summary: 'Authors, by slug', querystring: PageQuery, response: { 200: AuthorsPage, 400: Errors, 429: Errors } } }, async (request, reply) => {
      await responder.respond(request, reply, request.url, () => answers.authors(request.query.limit ?? 20, request.query.cursor));
    });

    app.get(`${API_BASE}/authors/:slug`, { schema: { ...PUBLIC, summary: 'One author', params: SlugParams, response: { 200: AuthorJson, 400: Errors, 404: Errors, 429: Errors } } }, async (request, reply) => {
      await responder.respond(request, reply, request.url, () => found(answers.author(request.params.slug)));
    });
  });
}

