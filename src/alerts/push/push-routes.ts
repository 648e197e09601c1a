// Web push for readers: the service worker at /sw.js (scope /), the site's VAPID public key, and
// a small JSON API the "Turn on notifications" button calls (subscribe, look up, unsubscribe).
// Every answer here is JSON, errors included ({errors:[…]}), whatever the request's Accept says.
// No cookie and no CSRF token: the API takes application/json only, which another site's page
// cannot post without a CORS preflight this server never grants.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ClientAssets } from '../../platform/client-assets.ts';
import { AppError } from '../../platform/errors.ts';
import { sendJsonErrors } from '../../platform/http-errors.ts';
import type { PushSubscriptionService } from './push-subscription-service.ts';

export interface PushRouteDeps {
  push: PushSubscriptionService;
  publicKey(): Promise<string>;
  islands: ClientAssets;
  describe(sections: string[]): Promise<string>;
}

/** The service worker's island name (src/alerts/push/service-worker-island.ts). */
export const SERVICE_WORKER_ISLAND = 'service-worker';
/** A browser's subscription JSON is about 400 bytes; this leaves room and refuses floods. */
const BODY_LIMIT = 4096;

export function registerPushRoutes(app: FastifyInstance, deps: PushRouteDeps): void {
  // The worker's own address: a browser checks it for updates, so it is never cached for long,
  // and it is the built island's bytes (ADR 004), served under the name the registration uses.
  app.get('/sw.js', async (request, reply) => {
    const url = await deps.islands.url(SERVICE_WORKER_ISLAND);
    const asset = await deps.islands.file(url.slice('/assets/'.length));
    if (!asset) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').header('etag', asset.etag).type('text/javascript; charset=utf-8').send(asset.variant('identity'));
  });

  void app.register(async (scope) => {
    scope.setErrorHandler(async (error: FastifyError | AppError, _request, reply) => {
      if (error instanceof AppError) return sendJsonErrors(reply, error.status, error.details, error.code);
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      const message =
        status === 413
          ? `A push subscription is at most ${BODY_LIMIT} bytes.`
          : status === 415
            ? 'Send the subscription as JSON (Content-Type: application/json).'
            : status < 500
              ? 'The request is not valid JSON.'
              : 'Something went wrong on our side.';
      if (status >= 500) reply.log.error({ err: error }, 'push request failed');
      return sendJsonErrors(reply, status, [{ message }]);
    });
    const json = {
      bodyLimit: BODY_LIMIT,
      // JSON only: a form another site's page posts (urlencoded, no preflight) is refused unread.
      preValidation: async (request: { headers: Record<string, string | string[] | undefined> }) => {
        if (!/^application\/json\s*(;|$)/i.test(String(request.headers['content-type'] ?? ''))) throw Object.assign(new Error('not JSON'), { statusCode: 415 });
      },
    };
    const noStore = 'private, no-store';

    scope.get('/alerts/push/key', async (_request, reply) =>
      // The same for every reader and for the life of the site: cacheable.
      reply.header('cache-control', 'public, max-age=86400').send({ publicKey: await deps.publicKey() }),
    );

    scope.post('/alerts/push/subscription', json, async (request, reply) => {
      const body = object(request.body);
      const saved = await deps.push.subscribe({ subscription: body.subscription, sections: body.sections, replaces: body.replaces, client: request.ip });
      return reply
        .code(saved.created ? 201 : 200)
        .header('cache-control', noStore)
        .send({ subscribed: true, sections: saved.sections, description: `Notifications about ${await deps.describe(saved.sections)} are on in this browser.` });
    });

    scope.post('/alerts/push/subscription/status', json, async (request, reply) => {
      const found = await deps.push.status(object(request.body).endpoint);
      return reply.header('cache-control', noStore).send(found ? { subscribed: true, sections: found.sections, description: `Notifications about ${await deps.describe(found.sections)} are on in this browser.` } : { subscribed: false });
    });

    scope.post('/alerts/push/unsubscribe', json, async (request, reply) => {
      await deps.push.unsubscribe(object(request.body).endpoint, request.ip);
      return reply.header('cache-control', noStore).send({ subscribed: false });
    });
  });
}

function object(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('invalid_input', 'Send a JSON object.', [{ message: 'Send a JSON object.' }]);
  return body as Record<string, unknown>;
}
