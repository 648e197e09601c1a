// The Admin API of Related Articles: a story's stored list with why each item is on it, and the
// editors' pins and exclusions (the same rules as the newsroom screen; `canEditAnyStory`).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { ErrorsJson as Errors, Id } from '../platform/schemas.ts';
import type { RelatedService } from './related-service.ts';

const editors = { permission: 'canEditAnyStory' as const };
const refusals = { 400: Errors, 401: Errors, 403: Errors, 404: Errors };

const Reason = Type.Object({
  pinned: Type.Boolean({ description: 'Placed by an editor, ahead of the computed items' }),
  topics: Type.Array(Type.String(), { description: 'Topics the two stories share' }),
  terms: Type.Array(Type.String(), { description: 'The words weighing most in their similarity (folded)' }),
  topicScore: Type.Number({ description: 'Overlap of their topics, 0 to 1' }),
  textScore: Type.Number({ description: 'Cosine similarity of their strongest words (TF-IDF), 0 to 1' }),
  ageDays: Type.Number({ description: 'Days between their publication' }),
});
const Item = Type.Object({
  articleId: Type.Integer(),
  headline: Type.String(),
  url: Type.String(),
  score: Type.Number({ description: 'Relevance decayed by ageDays; 0 for a pinned item' }),
  reason: Reason,
});
const ChoiceJson = Type.Object({
  articleId: Type.Integer({ description: 'The story pinned or excluded' }),
  headline: Type.String(),
  choice: Type.Union([Type.Literal('pin'), Type.Literal('exclude')]),
  position: Type.Integer(),
  chosenBy: Type.String(),
  chosenAt: Type.String(),
});
const RelatedReply = Type.Object({ related: Type.Array(Item), choices: Type.Array(ChoiceJson) });
const ChoiceBody = Type.Object(
  {
    relatedId: Id,
    choice: Type.Union([Type.Literal('pin'), Type.Literal('exclude')], { description: 'pin: shown first, in pin order; exclude: never shown under this story' }),
  },
  { additionalProperties: false },
);

export function registerRelatedAdminApi(fastify: FastifyInstance, related: RelatedService, siteUrl: string): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const reply = async (articleId: number) => {
    const { items, choices } = await related.explain(articleId);
    return {
      related: items.map((i) => ({ articleId: i.relatedId, headline: i.headline, url: i.path && `${siteUrl}${i.path}`, score: i.score, reason: i.reason })),
      choices: choices.map((c) => ({ articleId: c.relatedId, headline: c.headline, choice: c.choice, position: c.position, chosenBy: c.chosenBy, chosenAt: c.chosenAt })),
    };
  };

  app.get('/api/admin/v1/articles/:id/related', {
    config: editors,
    schema: { tags: ['stories'], summary: "A story's Related Articles as stored, with why each was chosen, and the editors' pins and exclusions", params: Type.Object({ id: Id }), response: { 200: RelatedReply, ...refusals } },
  }, async (request) => {
    await related.requireStory(request.params.id);
    return reply(request.params.id);
  });

  app.post('/api/admin/v1/articles/:id/related/choices', {
    config: editors,
    schema: { tags: ['stories'], summary: 'Pin a story under this one (after its other pins) or exclude it; the list is recomputed at once', params: Type.Object({ id: Id }), body: ChoiceBody, response: { 200: RelatedReply, ...refusals } },
  }, async (request) => {
    await related.choose(request.params.id, request.body.relatedId, request.body.choice, request.actor!);
    return reply(request.params.id);
  });

  app.delete('/api/admin/v1/articles/:id/related/choices/:relatedId', {
    config: editors,
    schema: { tags: ['stories'], summary: 'Take back a pin or an exclusion', params: Type.Object({ id: Id, relatedId: Id }), response: { 200: RelatedReply, ...refusals } },
  }, async (request) => {
    await related.requireStory(request.params.id);
    if (!(await related.clearChoice(request.params.id, request.params.relatedId))) {
      throw new AppError('not_found', `Story ${request.params.relatedId} is neither pinned nor excluded under this story.`);
    }
    return reply(request.params.id);
  });
}
