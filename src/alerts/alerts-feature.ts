// Breaking-news alerts by email and web push: readers sign up (email: double opt-in, managed at
// signed links; push: "Turn on notifications", managed by the browser that holds the endpoint);
// editors send alerts from the newsroom; a durable job fans each one out with a ledger row per
// recipient and channel, through the platform's mailer (SMTP_URL, or .eml files in
// DATA_DIR/outbox) and the web-push sender (VAPID keys made on first start, kept in the database).
import type { AuditService } from '../accounts/audit-service.ts';
import { actorLabel } from '../accounts/audit-service.ts';
import type { ArticleService } from '../articles/article-service.ts';
import { articlePath } from '../articles/model.ts';
import type { TopicService } from '../articles/topics/topic-service.ts';
import type { NewsroomPages } from '../newsroom/layout.tsx';
import type { StoryLink } from '../newsroom/newsroom-shell.ts';
import type { Feature } from '../platform/feature.ts';
import { jobBinding } from '../platform/jobs.ts';
import type { Mailer } from '../platform/mailer.ts';
import type { ClientAssets } from '../platform/client-assets.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { Platform } from '../platform/platform.ts';
import type { SitePages } from '../site/pages.tsx';
import { AlertRepository } from './alert-repository.ts';
import { audienceNames, type Audiences } from './audience.ts';
import { LiveBanner } from './live-banner.ts';
import { registerLiveBannerRoutes } from './live-routes.ts';
import { signupPageBox } from './signup-page-box.tsx';
import { AlertService, type Stories } from './alert-service.ts';
import { registerAlertsAdminApi } from './alerts-admin-api.ts';
import { emailChannel } from './email-channel.ts';
import { FanOut } from './fan-out.ts';
import { ALERT_FAN_OUT } from './fan-out-job.ts';
import { FanOutMetrics } from './fan-out-metrics.ts';
import { pushChannel } from './push/push-channel.ts';
import { registerPushRoutes } from './push/push-routes.ts';
import { webPushSender } from './push/push-sender.ts';
import { PushSubscriptionRepository } from './push/push-subscription-repository.ts';
import { PushSubscriptionService } from './push/push-subscription-service.ts';
import { loadVapidKeys, type VapidKeys } from './push/vapid-keys.ts';
import { registerAlertDesk } from './newsroom/alert-routes.tsx';
import { registerWhenLiveDesk } from './newsroom/when-live-routes.tsx';
import { ALERT_WHEN_LIVE, WhenLiveAlerts } from './when-live.ts';
import { registerAlertReaderRoutes } from './reader-routes.tsx';
import { FeedbackIntake } from './feedback/feedback-intake.ts';
import { loadLinkSigner, type LinkSigner } from './signed-links.ts';
import { SubscriberRepository } from './subscriber-repository.ts';
import { SubscriptionService } from './subscription-service.ts';

export interface Alerts {
  subscriptions: SubscriptionService;
  alerts: AlertService;
  whenLive: WhenLiveAlerts;
  mailer: Mailer;
  push: PushSubscriptionService;
  /** The site's VAPID key pair (made on first use). */
  vapidKeys: () => Promise<VapidKeys>;
  fanOut: FanOut;
  /** Fan-out counters for the operations' /metrics. */
  alertMetrics: FanOutMetrics;
  /** Complaints and late bounces from the mail server: the addresses they prove go on the suppression list. */
  feedback: FeedbackIntake;
}

/** The feedback intake alone (the CLI's `alerts feedback` needs no pages or HTTP). */
export function feedbackIntake(platform: Pick<Platform, 'db' | 'clock' | 'config'>, signer: () => Promise<LinkSigner> = () => loadLinkSigner(platform.db)): FeedbackIntake {
  return new FeedbackIntake(new SubscriberRepository(platform.db), signer, platform.clock, new URL(platform.config.siteUrl).hostname);
}


export function alertsFeature(
  platform: Platform,
  deps: {
    articles: ArticleService;
    /** Readers follow topics for alerts from topic pages. */
    topics: Pick<TopicService, 'list'>;
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
  const audiences: Audiences = {
    choices: async () => new Map((await sectionList()).map((s) => [s.slug, s.name])),
    async topics(slugs) {
      const wanted = new Set(slugs);
      return new Map((await deps.topics.list()).filter((t) => wanted.has(t.slug)).map((t) => [t.slug, t.name]));
    },
  };
  const stories: Stories = {
    async publishedPath(id) {
      const story = await deps.articles.findById(id);
      if (!story || story.status !== 'published' || !story.publishedAt || story.publishedAt > clock.now().toISOString()) return null;
      return { path: articlePath(story), headline: story.headline, dek: story.dek, section: story.section.slug, topics: story.topics };
    },
  };
  let vapid: Promise<VapidKeys> | undefined;
  const vapidKeys = () => (vapid ??= loadVapidKeys(db).catch((error: unknown) => ((vapid = undefined), Promise.reject(error))));
  // The topics the newsroom's alert forms offer: the story's own, and those already chosen.
  const topicChoices = {
    storyTopics: async (id: number) => (await deps.articles.findById(id))?.topics ?? [],
    names: (keys: string[]) => audienceNames(keys, audiences),
  };
  const subscribers = new SubscriberRepository(db);
  const subscriptions = new SubscriptionService(subscribers, signerOnce, mailer, audiences, site, clock);
  const push = new PushSubscriptionService(new PushSubscriptionRepository(db), subscribers, audiences, clock, config.pushAllowPrivate);
  const repo = new AlertRepository(db);
  const alerts = new AlertService(repo, audiences, stories, clock, (trx, entry) => deps.audit.record(trx, entry), actorLabel, platform.changes);
  const sender = webPushSender({ keys: vapidKeys, subject: config.vapidSubject, allowPrivate: config.pushAllowPrivate, caFile: config.pushCaFile, timeoutMs: config.pushTimeoutMs });
  const alertMetrics = new FanOutMetrics(() => repo.queueDepth());
  const fanOut = new FanOut(
    repo,
    [
      emailChannel({ repo, mailer, site, manageToken: (id) => subscriptions.manageToken(id), suppress: (email, reason) => subscribers.suppress(email, reason, clock.now().toISOString()) }),
      pushChannel({ repo, sender, siteUrl: config.siteUrl }),
    ],
    clock,
    alertMetrics,
  );
  const storyState = async (id: number) => {
    const story = await deps.articles.findById(id);
    return story ? { status: story.status, publishedAt: story.publishedAt, path: articlePath(story), headline: story.headline, dek: story.dek, section: story.section.slug, topics: story.topics } : null;
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
    api: { subscriptions, alerts, whenLive, mailer, push, vapidKeys, fanOut, alertMetrics, feedback: feedbackIntake(platform, signerOnce) },
    jobs: [
      jobBinding(ALERT_FAN_OUT, async ({ alertId }) => void (await fanOut.run(alertId))),
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
      registerPushRoutes(app, {
        push,
        publicKey: async () => (await vapidKeys()).publicKey,
        islands: deps.newsroom.islands,
        describe: (chosen) => subscriptions.describe(chosen),
      });
      registerAlertDesk(app, { alerts, stories, pages: deps.newsroom.pages, sections: sectionList, topics: topicChoices });
      registerWhenLiveDesk(app, { whenLive, pages: deps.newsroom.pages, sections: sectionList, topics: topicChoices, story: storyState });
      registerAlertsAdminApi(app, alerts);
      registerLiveBannerRoutes(app, banner);
    },
  };
}
