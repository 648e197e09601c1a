// Breaking-news alerts by email: readers sign up (double opt-in) and manage their choices at signed
// links; editors send alerts from the newsroom; a durable job fans each one out with a ledger row
// per recipient, through the platform's mailer (SMTP_URL, or .eml files in DATA_DIR/outbox).
import type { AuditService } from '../accounts/audit-service.ts';
import { actorLabel } from '../accounts/audit-service.ts';
import type { ArticleService } from '../articles/article-service.ts';
import { articlePath } from '../articles/model.ts';
import type { NewsroomPages } from '../newsroom/layout.tsx';
import type { StoryLink } from '../newsroom/newsroom-shell.ts';
import type { ClientAssets } from '../platform/client-assets.ts';
import type { Feature } from '../platform/feature.ts';
import { jobBinding } from '../platform/jobs.ts';
import type { Mailer } from '../platform/mailer.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { Platform } from '../platform/platform.ts';
import type { SitePages } from '../site/pages.tsx';
import { AlertRepository } from './alert-repository.ts';
import { LiveBanner } from './live-banner.ts';
import { registerLiveBannerRoutes } from './live-routes.ts';
import { signupPageBox } from './signup-page-box.tsx';
import { AlertService, type Stories } from './alert-service.ts';
import { registerAlertsAdminApi } from './alerts-admin-api.ts';
import { ALERT_FAN_OUT } from './fan-out-job.ts';
import { registerAlertDesk } from './newsroom/alert-routes.tsx';
import { registerWhenLiveDesk } from './newsroom/when-live-routes.tsx';
import { ALERT_WHEN_LIVE, WhenLiveAlerts } from './when-live.ts';
import { registerAlertReaderRoutes } from './reader-routes.tsx';
import { loadLinkSigner, type LinkSigner } from './signed-links.ts';
import { SubscriberRepository } from './subscriber-repository.ts';
import { SubscriptionService } from './subscription-service.ts';

export interface Alerts {
  subscriptions: SubscriptionService;
  alerts: AlertService;
  whenLive: WhenLiveAlerts;
  mailer: Mailer;
}

export function alertsFeature(
  platform: Platform,
  deps: {
    articles: ArticleService;
    settings: { get(): Promise<{ siteName: string; region: string; alertsPitch: string }> };
    site: { pages: SitePages; responder: PageResponder };
    newsroom: { pages: NewsroomPages; islands: ClientAssets; storyLinks: StoryLink[] };
    audit: AuditService;
  },
): Feature<Alerts> {
  const { db, clock, config, mailer } = platform;
  let signer: Promise<LinkSigner> | undefined;
  const signerOnce = () => (signer ??= loadLinkSigner(db).catch((error: unknown) => ((signer = undefined), Promise.reject(error))));
  const site = async () => ({ siteName: (await deps.settings.get()).siteName, siteUrl: config.siteUrl });
  const sectionList = async () => (await deps.articles.sections()).map((s) => ({ slug: s.slug, name: s.name }));
  const sections = { choices: async () => new Map((await sectionList()).map((s) => [s.slug, s.name])) };
  const stories: Stories = {
    async publishedPath(id) {
      const story = await deps.articles.findById(id);
      if (!story || story.status !== 'published' || !story.publishedAt || story.publishedAt > clock.now().toISOString()) return null;
      return { path: articlePath(story), headline: story.headline, dek: story.dek, section: story.section.slug };
    },
  };
  const subscriptions = new SubscriptionService(new SubscriberRepository(db), signerOnce, mailer, sections, site, clock);
  const alerts = new AlertService(
    new AlertRepository(db),
    mailer,
    sections,
    stories,
    site,
    (id) => subscriptions.manageToken(id),
    clock,
    (trx, entry) => deps.audit.record(trx, entry),
    actorLabel,
    platform.changes,
  );
  const storyState = async (id: number) => {
    const story = await deps.articles.findById(id);
    return story ? { status: story.status, publishedAt: story.publishedAt, path: articlePath(story), headline: story.headline, dek: story.dek, section: story.section.slug } : null;
  };
  const whenLive = new WhenLiveAlerts(db, alerts, storyState, clock, (trx, entry) => deps.audit.record(trx, entry), actorLabel);
  const wording = async () => {
    const settings = await deps.settings.get();
    return { region: settings.region, pitch: settings.alertsPitch };
  };
  // The sign-up box in every story (mid-story, by its placement rule) and on section pages.
  const banner = new LiveBanner(async () => (await alerts.list(1))[0], clock, config.alertBannerMinutes, config.liveStreamsMax);
  platform.changes.onChange((tags) => banner.onChange(tags));
  // "Send alert" on a published story's edit screen; "Alert when it goes live" on a scheduled one.
  deps.newsroom.storyLinks.push({
    permission: 'canSendAlerts',
    for: (story) =>
      story.status === 'published'
        ? { href: `/newsroom/alerts/new?article=${story.id}`, label: 'Send alert' }
        : story.status === 'scheduled'
          ? { href: `/newsroom/alerts/when-live?article=${story.id}`, label: 'Alert when it goes live' }
          : null,
  });
  deps.site.pages.addScript(() => deps.newsroom.islands.url('breaking-banner'));
  deps.site.pages.setBox(signupPageBox({ sections: sectionList, wording, formToken: () => subscriptions.formToken() }));
  return {
    name: 'alerts',
    api: { subscriptions, alerts, whenLive, mailer },
    jobs: [
      jobBinding(ALERT_FAN_OUT, async ({ alertId }) => void (await alerts.fanOut(alertId))),
      jobBinding(ALERT_WHEN_LIVE, async ({ articleId }) => void (await whenLive.fire(articleId))),
    ],
    nav: [{ href: '/newsroom/alerts', label: 'Alerts', permission: 'canSendAlerts', order: 35 }],
    maintenance: [{ name: 'alerts.prune-signups', everyMs: 3600_000, run: () => subscriptions.pruneAttempts() }],
    routes(app) {
      registerAlertReaderRoutes(app, {
        subscriptions,
        responder: deps.site.responder,
        chromePage: (meta, content) => deps.site.pages.chromePage(meta, content),
        sections: sectionList,
        wording,
      });
      registerAlertDesk(app, { alerts, stories, pages: deps.newsroom.pages, sections: sectionList });
      registerWhenLiveDesk(app, { whenLive, pages: deps.newsroom.pages, sections: sectionList, story: storyState });
      registerAlertsAdminApi(app, alerts);
      registerLiveBannerRoutes(app, banner);
    },
  };
}
