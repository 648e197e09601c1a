// Reader comments: the thread and form under published stories (drawn by the reader site through
// StoryComments, its reader routes registered by the site, which lends its page shell), the
// moderation decision and spam defences, readers' reports, the newsroom's moderation queue and
// settings, moderators' digests by email (a durable job), and the Admin API. Addresses expire and defence rows are pruned by a maintenance task.
import type { Articles } from '../articles/articles-feature.ts';
import type { NewsroomShell } from '../newsroom/newsroom-shell.ts';
import type { Feature } from '../platform/feature.ts';
import type { Platform } from '../platform/platform.ts';
import { registerCommentsAdminApi } from './admin-api.ts';
import { AkismetCheck } from './akismet.ts';
import { CommentImport } from './comment-import.ts';
import { CommentRepository } from './comment-repository.ts';
import { CommentService } from './comment-service.ts';
import { ModerationService, type AuditLog } from './moderation-service.ts';
import { registerModerationScreens } from './newsroom/moderation-routes.tsx';
import { registerPrivacyScreen } from './newsroom/privacy-routes.tsx';
import { jobBinding } from '../platform/jobs.ts';
import { ModeratorDigest, MODERATOR_DIGEST, type StaffMember } from './moderator-digest.ts';
import { ReportService } from './report-service.ts';
import { SpamModel } from './spam-model.ts';
import { StoryComments } from './story-comments.tsx';

export interface Comments {
  comments: CommentService;
  /** Comments another system published, stored as decided there (the WordPress import). */
  imports: CommentImport;
  moderation: ModerationService;
  reports: ReportService;
  digest: ModeratorDigest;
  story: StoryComments;
  /** The comment form's script URL. */
  scriptUrl(): Promise<string>;
}

const HOUR = 3600_000;

/** The services alone (the CLI's `comments check` needs no HTTP). */
export function commentServices(
  platform: Platform,
  deps: { articles: Pick<Articles, 'articles'>; audit: AuditLog; scriptUrl: () => Promise<string>; staff?: () => Promise<StaffMember[]>; siteName?: () => Promise<string> },
): Comments {
  const { db, changes, clock, config, mailer } = platform;
  const repository = new CommentRepository(db);
  const spam = new SpamModel(repository, changes);
  const akismet = config.akismet ? new AkismetCheck(config.akismet, config.siteUrl) : undefined;
  const comments = new CommentService(repository, deps.articles.articles, changes, clock, spam, akismet);
  const moderation = new ModerationService(repository, comments, spam, changes, clock, deps.audit);
  const reports = new ReportService(repository, clock, () => comments.secret(), deps.audit);
  const digest = new ModeratorDigest(repository, comments, mailer, deps.staff ?? (async () => []), clock, { url: config.siteUrl, name: deps.siteName ?? (async () => config.siteName) });
  comments.onHeld = (trx) => digest.held(trx);
  return { comments, imports: new CommentImport(repository, changes, clock), moderation, reports, digest, story: new StoryComments(comments, deps.scriptUrl, config.timeZone), scriptUrl: deps.scriptUrl };
}

export function commentsFeature(
  platform: Platform,
  deps: { articles: Articles; newsroom: NewsroomShell; audit: AuditLog; staff: { listUsers(): Promise<StaffMember[]> }; settings: { get(): Promise<{ siteName: string }> } },
): Feature<Comments> {
  const scriptUrl = () => deps.newsroom.islands.url('comment-form');
  const api = commentServices(platform, { articles: deps.articles, audit: deps.audit, scriptUrl, staff: () => deps.staff.listUsers(), siteName: async () => (await deps.settings.get()).siteName });
  return {
    name: 'comments',
    api,
    nav: [{ href: '/newsroom/comments', label: 'Comments', permission: 'canModerateComments', order: 25, badge: { count: () => api.moderation.pendingCount(), label: 'awaiting moderation' } }],
    jobs: [jobBinding(MODERATOR_DIGEST, async () => void (await api.digest.run()))],
    maintenance: [{ name: 'comments.expire', everyMs: HOUR, run: () => api.moderation.expire() }],
    routes(app) {
      registerModerationScreens(app, { ...api, articles: deps.articles.articles, pages: deps.newsroom.pages, islands: deps.newsroom.islands });
      registerPrivacyScreen(app, { moderation: api.moderation, articles: deps.articles.articles, pages: deps.newsroom.pages, siteUrl: platform.config.siteUrl });
      registerCommentsAdminApi(app, { ...api, articles: deps.articles.articles, siteUrl: platform.config.siteUrl });
    },
  };
}
