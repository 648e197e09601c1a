// The newsroom's side of articles: the dashboard, the stories list and editor (with workflow,
// preview, revisions and presence), sections, author profiles and topics.
import type { Media } from '../../media/media-feature.ts';
import type { NewsroomShell } from '../../newsroom/newsroom-shell.ts';
import type { Feature } from '../../platform/feature.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Articles } from '../articles-feature.ts';
import { registerAuthorRoutes } from './author-routes.tsx';
import { registerDashboardRoutes } from './dashboard-routes.tsx';
import { PresenceService } from './presence-service.ts';
import { registerSectionRoutes } from './section-routes.tsx';
import { registerStoryRoutes } from './story-routes.tsx';
import { registerTopicRoutes } from './topic-routes.tsx';
import type { StoryPreview } from './story-screens.tsx';

export function storyDesk(platform: Platform, deps: { articles: Articles; media: Media; newsroom: NewsroomShell; preview: StoryPreview }): Feature<null> {
  const { articles, authors, topics } = deps.articles;
  const { pages, islands } = deps.newsroom;
  const { images } = deps.media;
  const { timeZone } = platform.config;
  const now = () => platform.clock.now();
  return {
    name: 'story desk',
    api: null,
    nav: [
      { href: '/newsroom', label: 'Dashboard', permission: 'canUseNewsroom', order: 0 },
      { href: '/newsroom/stories', label: 'Stories', permission: 'canWriteStories', order: 10 },
      { href: '/newsroom/sections', label: 'Sections', permission: 'canManageSections', order: 30 },
      { href: '/newsroom/authors', label: 'Authors', permission: 'canManageSections', order: 40 },
      { href: '/newsroom/topics', label: 'Topics', permission: 'canManageSections', order: 45 },
    ],
    routes(app) {
      registerDashboardRoutes(app, { articles, pages, timeZone, now });
      registerStoryRoutes(app, { articles, pages, site: deps.preview, assets: islands, images, presence: new PresenceService(platform.db, now), timeZone, storyLinks: deps.newsroom.storyLinks, storyFormParts: deps.newsroom.storyFormParts });
      registerSectionRoutes(app, { articles, pages });
      registerAuthorRoutes(app, { authors, images, pages, assets: islands });
      registerTopicRoutes(app, { topics, pages });
    },
  };
}
