// Every migration, in the order they run. A new migration file is listed here too (a test checks
// that none is missing): a static list lets the server run from the bundle without reading folders.
import type { Migration } from 'kysely';
import * as platform from './2026-11-26-01-platform.ts';
import * as articles from './2026-11-26-02-articles.ts';
import * as media from './2026-11-26-03-media.ts';
import * as ads from './2026-11-26-04-ads.ts';
import * as workflow from './2026-11-26-05-workflow.ts';
import * as images from './2026-11-26-06-images.ts';
import * as accounts from './2026-11-26-07-accounts.ts';
import * as presence from './2026-11-26-08-presence.ts';
import * as leadImage from './2026-11-26-09-lead-image.ts';
import * as storyOwner from './2026-11-26-10-story-owner.ts';
import * as seoAndProfiles from './2026-11-26-11-seo-and-profiles.ts';
import * as jobKinds from './2026-12-01-01-job-kinds.ts';
import * as articleImages from './2026-12-02-01-article-images.ts';
import * as tokenMakers from './2026-12-02-02-token-makers-and-deactivation.ts';
import * as alerts from './2026-12-02-03-alerts.ts';
import * as comments from './2026-12-02-10-comments.ts';
import * as wordpressImport from './2026-12-02-20-wordpress-import.ts';
import * as search from './2026-12-02-30-search.ts';
import * as alertPush from './2026-12-02-40-alert-push.ts';
import * as alertsWhenLive from './2026-12-02-45-alerts-when-live.ts';
import * as commentReports from './2026-12-02-50-comment-reports.ts';
import * as importedComments from './2026-12-03-01-imported-comments.ts';
import * as videoMedia from './2026-12-04-10-01-video-media.ts';
import * as related from './2026-12-04-20-related.ts';
import * as topics from './2026-12-04-20-topics.ts';
import * as edgePurges from './2026-12-04-40-edge-purges.ts';
import * as jobRequestIds from './2026-12-04-50-job-request-ids.ts';
import * as searchRecency from './2026-12-04-60-search-recency.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-26-01-platform': platform,
  '2026-11-26-02-articles': articles,
  '2026-11-26-03-media': media,
  '2026-11-26-04-ads': ads,
  '2026-11-26-05-workflow': workflow,
  '2026-11-26-06-images': images,
  '2026-11-26-07-accounts': accounts,
  '2026-11-26-08-presence': presence,
  '2026-11-26-09-lead-image': leadImage,
  '2026-11-26-10-story-owner': storyOwner,
  '2026-11-26-11-seo-and-profiles': seoAndProfiles,
  '2026-12-01-01-job-kinds': jobKinds,
  '2026-12-02-01-article-images': articleImages,
  '2026-12-02-02-token-makers-and-deactivation': tokenMakers,
  '2026-12-02-03-alerts': alerts,
  '2026-12-02-10-comments': comments,
  '2026-12-02-20-wordpress-import': wordpressImport,
  '2026-12-02-30-search': search,
  '2026-12-02-40-alert-push': alertPush,
  '2026-12-02-45-alerts-when-live': alertsWhenLive,
  '2026-12-02-50-comment-reports': commentReports,
  '2026-12-03-01-imported-comments': importedComments,
  '2026-12-04-10-01-video-media': videoMedia,
  '2026-12-04-20-related': related,
  '2026-12-04-20-topics': topics,
  '2026-12-04-40-edge-purges': edgePurges,
  '2026-12-04-50-job-request-ids': jobRequestIds,
  '2026-12-04-60-search-recency': searchRecency,
};
