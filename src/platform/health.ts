// The smallest health answer every node gives, whatever its role: the process is up and serving
// HTTP. Load balancers and systemd watch it; it reads nothing, so a busy database never makes a
// live process look dead. (Readiness, with the database and the job lag, is a separate question.)
import type { FastifyInstance } from 'fastify';
import type { NodeRole } from './config.ts';

export function installHealth(app: FastifyInstance, role: NodeRole): void {
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok', role }),
  );
}
