// Stories, sections, authors, topics: the articles service and its author profiles, the scheduled
// publishing job, and the Admin API for stories and authors. Its newsroom screens:
// newsroom/story-desk.ts.
import type { Media } from '../media/media-feature.ts';
import type { Feature } from '../platform/feature.ts';
import { jobBinding } from '../platform/jobs.ts';
import type { Platform } from '../platform/platform.ts';
import { registerArticlesAdminApi } from './admin-api.ts';
import { registerArticleListAdminApi } from './admin-api-list.ts';
import { AuthorService } from './author-service.ts';
import { registerAuthorsAdminApi } from './authors-admin-api.ts';
import { PUBLISH_SCHEDULED } from './publish-job.ts';
import { ArticleRepository } from './article-repository.ts';
import { ArticleService } from './article-service.ts';
import { storyImageUses } from './story-image-uses.ts';
import type { MoveJournal } from './workflow.ts';
import { TopicRepository } from './topics/topic-repository.ts';
import { TopicService } from './topics/topic-service.ts';

export interface Articles {
  articles: ArticleService;
  authors: AuthorService;
  topics: TopicService;
}

/** `audit` is the audit log (accounts), where workflow moves are written in their own transaction. */
export function articlesFeature(platform: Platform, deps: { media: Media; audit: { record: MoveJournal } }): Feature<Articles> {
  const { db, engine, changes, clock, config } = platform;
  const { images } = deps.media;
  const repository = new ArticleRepository(db, engine);
  const articles = new ArticleService(repository, changes, clock, images, (trx, entry) => deps.audit.record(trx, entry));
  const authors = new AuthorService(repository, changes, images);
  const topics = new TopicService(new TopicRepository(db), changes, clock);
  images.addUseSource(storyImageUses(repository));
  // Readers may fetch a clip's files once a published story shows it.
  deps.media.videos.setPublishedCheck((videoId) => repository.videoUses().inPublishedStory(videoId));
  return {
    name: 'articles',
    api: { articles, authors, topics },
    jobs: [jobBinding(PUBLISH_SCHEDULED, async (payload) => void (await articles.publishScheduled(payload)))],
    routes(app) {
      registerArticlesAdminApi(app, articles, config.siteUrl);
      registerArticleListAdminApi(app, articles, config.siteUrl);
      registerAuthorsAdminApi(app, authors, config.siteUrl);
    },
  };
}
