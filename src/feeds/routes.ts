// Feed routes: for the front ('' below), each section, author and topic, `feed.xml` (RSS),
// `atom.xml` and `feed.json`; and the sitemaps (/sitemap.xml, the index, names the others).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../platform/errors.ts';
import type { PageResponder, PageResult } from '../platform/page-responder.ts';
import type { FeedPages } from './feed-pages.ts';
import { FEED_FILES, type FeedFormat } from './feed-paths.ts';
import type { SitemapPages } from './sitemap-pages.ts';

const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]{1,100}$' }) });

export function registerFeedRoutes(fastify: FastifyInstance, feeds: FeedPages, sitemaps: SitemapPages, responder: PageResponder): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const found = async (page: Promise<PageResult | null>) => {
    const result = await page;
    if (!result) throw notFound();
    return result;
  };
  for (const [format, file] of Object.entries(FEED_FILES) as [FeedFormat, string][]) {
    app.get(`/${file}`, async (request, reply) => responder.respond(request, reply, `/${file}`, () => feeds.site(format)));
    app.get(`/:slug/${file}`, { schema: { params: SlugParams } }, async (request, reply) => {
      const { slug } = request.params;
      await responder.respond(request, reply, `/${slug}/${file}`, () => found(feeds.section(slug, format)));
    });
    app.get(`/author/:slug/${file}`, { schema: { params: SlugParams } }, async (request, reply) => {
      const { slug } = request.params;
      await responder.respond(request, reply, `/author/${slug}/${file}`, () => found(feeds.author(slug, format)));
    });
    app.get(`/topic/:slug/${file}`, { schema: { params: SlugParams } }, async (request, reply) => {
      const { slug } = request.params;
      await responder.respond(request, reply, `/topic/${slug}/${file}`, () => found(feeds.topic(slug, format)));
    });
  }

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
