// Reader routes: fronts, sections, articles, authors, topics. Every page goes through the page cache.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../platform/errors.ts';
import type { PageResult, PageResponder } from '../platform/page-responder.ts';
import type { ArticleService } from '../articles/article-service.ts';
import type { StoryComments } from '../comments/story-comments.tsx';
import type { SitePages } from './pages.tsx';

const Page = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) });
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,99}$' });

/** A moved story's old address: kept briefly, since a new story may take the address over. */
export const REDIRECT_CACHE_CONTROL = 'public, max-age=300';

/** The cache key of a listing page: the path plus the page number when it is not the first. */
const listingKey = (path: string, page: number | undefined) => (page && page > 1 ? `${path}?page=${page}` : path);

/**
 * A story's address may carry WordPress's pair for the author of a held comment
 * (`?unapproved=ID&moderation-hash=…`); any other query is ignored, as before.
 */
const StoryQuery = Type.Object({ unapproved: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })), 'moderation-hash': Type.Optional(Type.String({ maxLength: 100 })) });

export function registerSiteRoutes(fastify: FastifyInstance, pages: SitePages, responder: PageResponder, articles: ArticleService, siteUrl: string, comments: StoryComments): void {
  // Parameters and queries are typed by their schemas.
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const serve = (render: () => Promise<PageResult | null>) => async () => {
    const result = await render();
    if (!result) throw notFound();
    return result;
  };

  app.get('/', async (request, reply) => responder.respond(request, reply, '/', serve(() => pages.front())));

  app.get('/:section', { schema: { params: Type.Object({ section: Slug }), querystring: Page } }, async (request, reply) => {
    const { section } = request.params;
    const { page = 1 } = request.query;
    await responder.respond(request, reply, listingKey(`/${section}`, page), serve(() => pages.section(section, page)));
  });

  app.get('/:section/:slug', { schema: { params: Type.Object({ section: Slug, slug: Slug }), querystring: StoryQuery } }, async (request, reply) => {
    const { section, slug } = request.params;
    // Cached stories never get here (the page cache answers first), so this lookup costs only misses.
    const location = await articles.movedTo(section, slug);
    if (location) return reply.code(301).header('location', location).header('cache-control', REDIRECT_CACHE_CONTROL).send();
    // The author of a held comment sees it in place: a page drawn for them alone, never stored.
    const pending = await comments.pendingFromQuery(request.query);
    if (pending !== undefined) {
      const page = await pages.article(section, slug, pending);
      if (!page) throw notFound();
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page.body);
    }
    await responder.respond(
      request,
      reply,
      `/${section}/${slug}`,
      serve(async () => (await pages.article(section, slug)) ?? (await pages.removedArticle(section, slug))),
    );
  });

  app.get('/author/:slug', { schema: { params: Type.Object({ slug: Slug }), querystring: Page } }, async (request, reply) => {
    const { slug } = request.params;
    const { page = 1 } = request.query;
    await responder.respond(request, reply, listingKey(`/author/${slug}`, page), serve(() => pages.author(slug, page)));
  });

  app.get('/topic/:slug', { schema: { params: Type.Object({ slug: Slug }), querystring: Page } }, async (request, reply) => {
    const { slug } = request.params;
    const { page = 1 } = request.query;
    await responder.respond(request, reply, listingKey(`/topic/${slug}`, page), serve(() => pages.topic(slug, page)));
  });

  app.get('/topics', async (request, reply) => {
    await responder.respond(request, reply, '/topics', serve(() => pages.topicsIndex()));
  });

  app.get('/robots.txt', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/plain; charset=utf-8').send(`User-agent: *\nAllow: /\nDisallow: /newsroom/\n\nSitemap: ${siteUrl}/sitemap.xml\n`),
  );

  app.get('/favicon.svg', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(FAVICON),
  );
}

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#b3121f"/><text x="16" y="23" font-family="Georgia,serif" font-size="20" font-weight="700" text-anchor="middle" fill="#fff">B</text></svg>';
