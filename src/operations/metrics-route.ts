// GET /metrics in the Prometheus text format. Protected, because the figures describe the site's
// traffic and workload: with METRICS_TOKEN set, only a caller sending `Authorization: Bearer
// <token>` gets them; without it, only a caller on this machine (loopback) that did not come
// through a proxy (no Forwarded or X-Forwarded-For header: a proxy on this machine would make
// every reader look local). Anyone else gets the site's 404, as for an address that does not exist.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function registerMetricsRoute(app: FastifyInstance, registry: Registry, token: string | null, newScrape: () => void): void {
  app.get('/metrics', async (request, reply) => {
    if (token ? !bearerMatches(request, token) : !fromThisMachine(request)) {
      if (token) {
        // A scraper with a wrong or missing token is told what to send; the figures stay hidden.
        return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('A bearer token is needed (METRICS_TOKEN).\n');
      }
      reply.callNotFound();
      return reply;
    }
    newScrape();
    const body = await registry.metrics();
    return reply.header('cache-control', 'no-store').type(registry.contentType).send(body);
  });
}

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function fromThisMachine(request: FastifyRequest): boolean {
  if (request.headers.forwarded || request.headers['x-forwarded-for']) return false;
  return LOOPBACK.test(request.socket.remoteAddress ?? '');
}
