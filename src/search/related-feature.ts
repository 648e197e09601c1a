// Related Articles and topic suggestions. Related Articles: under every story, up to six stories about the same news, scored from shared
// topics, text similarity and the time between them (related-score.ts), computed by a durable job
// on publish and update and stored (related-service.ts); editors pin and exclude per story in the
// newsroom and the Admin API. It lives with search because it reads the search index's vocabulary
// for its word weights, and a feature reads only its own tables. Topic suggestions
// (topic-suggestion-service.ts) read the same index for the topics of the stories most alike.
import type { Articles } from '../articles/articles-feature.ts';
import { tags as articleTags } from '../articles/change-tags.ts';
import type { Media } from '../media/media-feature.ts';
import type { PictureImage } from '../media/image-picture.tsx';
import type { NewsroomShell } from '../newsroom/newsroom-shell.ts';
import type { Feature } from '../platform/feature.ts';
import { jobBinding } from '../platform/jobs.ts';
import type { Platform } from '../platform/platform.ts';
import type { SitePages } from '../site/pages.tsx';
import { registerRelatedDesk } from './newsroom/related-routes.tsx';
import { topicSuggestionPart } from './newsroom/topic-suggestion-part.tsx';
import { registerRelatedAdminApi } from './related-admin-api.ts';
import { RelatedRepository } from './related-repository.ts';
import { RELATED_COMPUTE, relatedTag, RelatedService } from './related-service.ts';
import { RelatedArticles } from './related-view.tsx';
import { registerTopicSuggestionAdminApi } from './topic-suggestion-admin-api.ts';
import { TopicSuggestionRepository } from './topic-suggestion-repository.ts';
import { SUGGEST_TOPICS, TopicSuggestionService } from './topic-suggestion-service.ts';

export interface Related {
  related: RelatedService;
  topicSuggestions: TopicSuggestionService;
}

export function relatedFeature(platform: Platform, deps: { articles: Articles; media: Media; pages: SitePages; newsroom: NewsroomShell }): Feature<Related> {
  const { articles } = deps.articles;
  const { images } = deps.media;
  const index = new RelatedRepository(platform.db);
  const related = new RelatedService(index, articles, platform.changes, platform.clock);
  const topicSuggestions = new TopicSuggestionService(new TopicSuggestionRepository(platform.db), index, articles, deps.articles.topics, platform.clock);
  articles.onSave((trx, before, after) => related.follow(trx, before, after));
  articles.onSave((trx, _before, after) => topicSuggestions.follow(trx, after));
  deps.pages.addStoryPart({
    async render(article, dates) {
      const ids = await related.listed(article.id);
      // Re-read as readers may see them now: one unpublished a moment ago is already gone.
      const stories = await articles.publishedByIds(ids);
      const tags = [relatedTag(article.id), ...stories.map((s) => articleTags.article(s.id))];
      if (stories.length === 0) return { node: null, tags };
      const imageIds = stories.flatMap((s) => (s.leadImage?.imageId ? [s.leadImage.imageId] : []));
      const found = await Promise.all(imageIds.map((id) => images.find(id)));
      const pictures = new Map<number, PictureImage>(found.flatMap((image) => (image ? [[image.id, image] as const] : [])));
      return { node: RelatedArticles({ stories, pictures, dates }), tags };
    },
  });
  deps.newsroom.storyFormParts.push(topicSuggestionPart(topicSuggestions));
  deps.newsroom.storyLinks.push({ permission: 'canEditAnyStory', for: (story) => ({ href: `/newsroom/stories/${story.id}/related`, label: 'Related Articles' }) });
  return {
    name: 'related',
    api: { related, topicSuggestions },
    jobs: [
      jobBinding(RELATED_COMPUTE, async (payload) => void (await related.compute(payload))),
      jobBinding(SUGGEST_TOPICS, ({ articleId }) => topicSuggestions.compute(articleId)),
    ],
    // Stories published before Related Articles existed; a no-op once each has its vector.
    maintenance: [{ name: 'related.catch-up', everyMs: 10 * 60_000, run: () => related.catchUp() }],
    routes(app) {
      registerRelatedDesk(app, { related, articles, pages: deps.newsroom.pages });
      registerRelatedAdminApi(app, related, platform.config.siteUrl);
      registerTopicSuggestionAdminApi(app, { suggestions: topicSuggestions, articles });
    },
  };
}
