// The Admin API for alerts (/api/admin/v1/alerts): send one (with an idempotency key, so a retried
// request never sends twice), list them, and follow one's delivery per channel (email, push). Same checks as the
// newsroom's alert desk; `canSendAlerts` for every route.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorsJson as Errors } from '../platform/schemas.ts';
import { TEXT_MAX, TITLE_MAX, type AlertService } from './alert-service.ts';
import type { Alert } from './alert-repository.ts';

const senders = { permission: 'canSendAlerts' as const };
const refusals = { 400: Errors, 401: Errors, 403: Errors, 404: Errors };

const SendAlert = Type.Object(
  {
    title: Type.String({ maxLength: 500, description: `At most ${TITLE_MAX} characters once tidied` }),
    text: Type.String({ maxLength: 2000, description: `At most ${TEXT_MAX} characters once tidied` }),
    articleId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: 'A published story the alert opens' })),
    url: Type.Optional(Type.String({ maxLength: 500, description: 'Without articleId: a path on this site or an https:// address' })),
    sections: Type.Union([Type.Literal('all'), Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 100 })], {
      description: '"all" for everyone subscribed, or section slugs and `topic:<slug>` keys (their readers and followers, and readers of all breaking news)',
    }),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The same key again answers the alert it made; nothing is sent twice' })),
  },
  { additionalProperties: false },
);

const ChannelProgress = Type.Object({
  total: Type.Integer({ description: 'Recipients on this channel, fixed when the alert started sending' }),
  queued: Type.Integer({ description: 'Not yet sent (including deliveries waiting to be tried again)' }),
  sent: Type.Integer(),
  failed: Type.Integer({ description: 'Refused for good, or given up on after the last try' }),
  suppressed: Type.Integer({ description: 'Not sent: unsubscribed, paused or on the suppression list since the alert started' }),
  removed: Type.Integer({ description: 'Push subscriptions the push service said are gone (404/410), removed in the same pass' }),
});
const AlertJson = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  text: Type.String(),
  url: Type.String(),
  articleId: Type.Union([Type.Integer(), Type.Null()]),
  sections: Type.Union([Type.Literal('all'), Type.Array(Type.String())]),
  status: Type.String({ description: 'queued, sending or complete (every recipient sent, failed or suppressed)' }),
  createdBy: Type.String(),
  createdAt: Type.String(),
  completedAt: Type.Union([Type.String(), Type.Null()]),
});
const Progress = Type.Object({
  alert: AlertJson,
  channels: Type.Object({ email: ChannelProgress, push: ChannelProgress }, { description: 'The alert is complete when, on every channel, sent + failed + suppressed + removed = total' }),
  notReached: Type.Array(
    Type.Object({
      channel: Type.Union([Type.Literal('email'), Type.Literal('push')]),
      recipient: Type.String({ description: 'The address (email), or the browser subscription and its push service (push)' }),
      status: Type.String(),
      reason: Type.String(),
    }),
    { description: 'Up to 100 recipients not reached, and why' },
  ),
});

function toJson(alert: Alert) {
  const { idempotencyKey: _key, audience: _audience, sections, ...rest } = alert;
  return { ...rest, sections: sections.includes('*') ? ('all' as const) : sections };
}

export function registerAlertsAdminApi(fastify: FastifyInstance, alerts: AlertService): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/api/admin/v1/alerts', {
    config: senders,
    schema: {
      tags: ['alerts'],
      summary: 'Send a breaking-news alert to subscribers (email and web push)',
      body: SendAlert,
      response: { 200: Progress, 201: Progress, ...refusals },
    },
  }, async (request, reply) => {
    const { idempotencyKey, sections, ...fields } = request.body;
    const draft = await alerts.check({ ...fields, sections: sections === 'all' ? 'all' : sections });
    const { alert, created } = await alerts.send(draft, { by: request.actor!, idempotencyKey });
    return reply.code(created ? 201 : 200).send(await progressJson(alerts, alert.id));
  });

  app.get('/api/admin/v1/alerts', {
    config: senders,
    schema: { tags: ['alerts'], summary: 'The 50 latest alerts, newest first', response: { 200: Type.Object({ alerts: Type.Array(AlertJson) }), ...refusals } },
  }, async () => ({ alerts: (await alerts.list()).map(toJson) }));

  app.get('/api/admin/v1/alerts/:id', {
    config: senders,
    schema: { tags: ['alerts'], summary: 'An alert and its delivery so far, per channel', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: Progress, ...refusals } },
  }, async (request) => progressJson(alerts, request.params.id));
}

async function progressJson(alerts: AlertService, id: number) {
  const { alert, channels, notReached } = await alerts.progress(id);
  return { alert: toJson(alert), channels, notReached };
}
