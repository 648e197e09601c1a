// Feed routes: /feed.xml for the whole site, /<section>/feed.xml per section, and the sitemaps
// (/sitemap.xml, the index, names the others).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../platform/errors.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { FeedPages } from './feed-pages.ts';
import type { SitemapPages } from './sitemap-pages.ts';

export function registerFeedRoutes(fastify: FastifyInstance, feeds: FeedPages, sitemaps: SitemapPages, responder: PageResponder): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/feed.xml', async (request, reply) => responder.respond(request, reply, '/feed.xml', () => feeds.site()));

  app.get('/:section/feed.xml', { schema: { params: Type.Object({ section: Type.String({ pattern: '^[a-z0-9-]{1,100}$' }) }) } }, async (request, reply) => {
    const { section } = request.params;
    await responder.respond(request, reply, `/${section}/feed.xml`, async () => {
      const page = await feeds.section(section);
      if (!page) throw notFound();
      return page;
    });
  });

  app.get('/sitemap.xml', async (request, reply) => responder.respond(request, reply, '/sitemap.xml', () => sitemaps.index()));
  app.get('/sitemap-sections.xml', async (request, reply) => responder.respond(request, reply, '/sitemap-sections.xml', () => sitemaps.sections()));
  app.get('/sitemap-videos.xml', async (request, reply) => responder.respond(request, reply, '/sitemap-videos.xml', () => sitemaps.videoSitemap()));
  app.get('/sitemap-news.xml', async (request, reply) => responder.respond(request, reply, '/sitemap-news.xml', () => sitemaps.news()));
  app.get('/sitemap-stories-:page(^\\d{1,6}).xml', { schema: { params: Type.Object({ page: Type.Integer({ minimum: 0, maximum: 999999 }) }) } }, async (request, reply) => {
    const { page } = request.params;
    await responder.respond(request, reply, `/sitemap-stories-${page}.xml`, async () => {
      const result = page >= 1 ? await sitemaps.stories(page) : null;
      if (!result) throw notFound();
      return result;
    });
  });
}
