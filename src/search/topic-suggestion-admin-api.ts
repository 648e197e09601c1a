// GET /api/admin/v1/articles/:id/topic-suggestions: a story's topic suggestions, best first, for
// whoever may edit the story (404 for a story they may not, as the story itself answers).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ArticleService } from '../articles/article-service.ts';
import { mayEditStory } from '../newsroom/permissions.ts';
import { AppError } from '../platform/errors.ts';
import { ErrorsJson as Errors, Id } from '../platform/schemas.ts';
import type { TopicSuggestionService } from './topic-suggestion-service.ts';

const Suggestions = Type.Object({
  suggestions: Type.Array(
    Type.Object({
      name: Type.String({ description: "The topic's name (an existing topic's when it is one)" }),
      kind: Type.Union([Type.Literal('person'), Type.Literal('place'), Type.Literal('organization'), Type.Literal('subject')]),
      score: Type.Number({ description: '0 to 1; the best suggestion 1' }),
    }),
    { description: 'At most 10, best first; topics already on the story and rejected ones left out' },
  ),
});

export function registerTopicSuggestionAdminApi(fastify: FastifyInstance, deps: { suggestions: TopicSuggestionService; articles: ArticleService }): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/admin/v1/articles/:id/topic-suggestions', {
    config: { permission: 'canWriteStories' },
    schema: { tags: ['stories'], summary: 'Topic suggestions for a story: people, places, organizations and subjects', params: Type.Object({ id: Id }), response: { 200: Suggestions, 401: Errors, 403: Errors, 404: Errors } },
  }, async (request) => {
    const story = await deps.articles.findById(request.params.id);
    if (!story || !mayEditStory(request.actor, story)) throw new AppError('not_found', `There is no story with id ${request.params.id}.`);
    const suggestions = await deps.suggestions.suggestionsFor(story.id);
    return { suggestions: suggestions.map(({ name, kind, score }) => ({ name, kind, score })) };
  });
}
