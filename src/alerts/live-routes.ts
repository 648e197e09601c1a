// The live banner's two reader endpoints (see live-banner.ts): the event stream, and the alert still
// fresh for a page that has just loaded. Neither goes through the page cache.
import type { FastifyInstance } from 'fastify';
import type { LiveBanner } from './live-banner.ts';

/** Long enough to spare the database a query per page view, short enough to be "within seconds". */
const LATEST_MAX_AGE_S = 5;

export function registerLiveBannerRoutes(app: FastifyInstance, banner: LiveBanner): void {
  app.get('/alerts/live', async (request, reply) => {
    if (!banner.canOpen()) {
      return reply.code(503).header('retry-after', '30').header('cache-control', 'no-store').send({ errors: [{ code: 'busy', message: 'Too many live connections on this server; try again shortly.' }] });
    }
    reply.hijack();
    const lastEventId = Number(request.headers['last-event-id']);
    banner.open(reply.raw, { 'x-content-type-options': 'nosniff' }, Number.isSafeInteger(lastEventId) ? lastEventId : 0);
    request.log.debug({ open: banner.openStreams }, 'live banner stream opened');
  });

  app.get('/alerts/latest.json', async (_request, reply) => {
    const alert = await banner.fresh();
    return reply.header('cache-control', `public, max-age=${LATEST_MAX_AGE_S}`).send({ alert });
  });

  // Open streams would hold the server's close until every reader left: end them first.
  app.addHook('preClose', (done) => {
    banner.close();
    done();
  });
}
