// Feed routes: /feed.xml for the whole site, /<section>/feed.xml per section.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../platform/errors.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { FeedPages } from './feed-pages.ts';

export function registerFeedRoutes(app: FastifyInstance, feeds: FeedPages, responder: PageResponder): void {
  app.get('/feed.xml', async (request, reply) => responder.respond(request, reply, '/feed.xml', () => feeds.site()));

  app.get('/:section/feed.xml', { schema: { params: Type.Object({ section: Type.String({ pattern: '^[a-z0-9-]{1,100}$' }) }) } }, async (request, reply) => {
    const { section } = request.params as { section: string };
    await responder.respond(request, reply, `/${section}/feed.xml`, async () => {
      const page = await feeds.section(section);
      if (!page) throw notFound();
      return page;
    });
  });
}
