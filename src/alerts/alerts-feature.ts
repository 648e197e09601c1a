// Breaking-news alerts by email and web push: readers sign up (email: double opt-in, managed at
// signed links; push: "Turn on notifications", managed by the browser that holds the endpoint);
// editors send alerts from the newsroom; a durable job fans each one out with a ledger row per
// recipient and channel, through the platform's mailer (SMTP_URL, or .eml files in
// DATA_DIR/outbox) and the web-push sender (VAPID keys made on first start, kept in the database).
import type { AuditService } from '../accounts/audit-service.ts';
import { actorLabel } from '../accounts/audit-service.ts';
import type { ArticleService } from '../articles/article-service.ts';
import { articlePath } from '../articles/model.ts';
import type { NewsroomPages } from '../newsroom/layout.tsx';
import type { Feature } from '../platform/feature.ts';
import { jobBinding } from '../platform/jobs.ts';
import type { Mailer } from '../platform/mailer.ts';
import type { ClientAssets } from '../platform/client-assets.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { Platform } from '../platform/platform.ts';
import type { SitePages } from '../site/pages.tsx';
import { AlertRepository } from './alert-repository.ts';
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
import { registerAlertReaderRoutes } from './reader-routes.tsx';
import { loadLinkSigner, type LinkSigner } from './signed-links.ts';
import { SubscriberRepository } from './subscriber-repository.ts';
import { SubscriptionService } from './subscription-service.ts';

export interface Alerts {
  subscriptions: SubscriptionService;
  alerts: AlertService;
  mailer: Mailer;
  push: PushSubscriptionService;
  /** The site's VAPID key pair (made on first use). */
  vapidKeys: () => Promise<VapidKeys>;
  fanOut: FanOut;
  /** Fan-out counters for the operations' /metrics. */
  alertMetrics: FanOutMetrics;
}


export function alertsFeature(
  platform: Platform,
  deps: {
    articles: ArticleService;
    settings: { get(): Promise<{ siteName: string; region: string }> };
    site: { pages: SitePages; responder: PageResponder };
    newsroom: { pages: NewsroomPages; islands: ClientAssets };
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
  let vapid: Promise<VapidKeys> | undefined;
  const vapidKeys = () => (vapid ??= loadVapidKeys(db).catch((error: unknown) => ((vapid = undefined), Promise.reject(error))));
  const subscribers = new SubscriberRepository(db);
  const subscriptions = new SubscriptionService(subscribers, signerOnce, mailer, sections, site, clock);
  const push = new PushSubscriptionService(new PushSubscriptionRepository(db), subscribers, sections, clock, config.pushAllowPrivate);
  const repo = new AlertRepository(db);
  const alerts = new AlertService(repo, sections, stories, clock, (trx, entry) => deps.audit.record(trx, entry), actorLabel);
  const sender = webPushSender({ keys: vapidKeys, subject: config.vapidSubject, allowPrivate: config.pushAllowPrivate, caFile: config.pushCaFile, timeoutMs: config.pushTimeoutMs });
  const alertMetrics = new FanOutMetrics(() => repo.queueDepth());
  const fanOut = new FanOut(
    repo,
    [
      emailChannel({ repo, mailer, site, manageToken: (id) => subscriptions.manageToken(id) }),
      pushChannel({ repo, sender, siteUrl: config.siteUrl }),
    ],
    clock,
    alertMetrics,
  );
  return {
    name: 'alerts',
    api: { subscriptions, alerts, mailer, push, vapidKeys, fanOut, alertMetrics },
    jobs: [jobBinding(ALERT_FAN_OUT, async ({ alertId }) => void (await fanOut.run(alertId)))],
    nav: [{ href: '/newsroom/alerts', label: 'Alerts', permission: 'canSendAlerts', order: 35 }],
    maintenance: [{ name: 'alerts.prune-signups', everyMs: 3600_000, run: () => subscriptions.pruneAttempts() }],
    routes(app) {
      registerAlertReaderRoutes(app, {
        subscriptions,
        responder: deps.site.responder,
        chromePage: (meta, content) => deps.site.pages.chromePage(meta, content),
        sections: sectionList,
        region: async () => (await deps.settings.get()).region,
        pushScriptUrl: () => deps.newsroom.islands.url('alerts-push'),
      });
      registerPushRoutes(app, {
        push,
        publicKey: async () => (await vapidKeys()).publicKey,
        islands: deps.newsroom.islands,
        describe: (chosen) => subscriptions.describe(chosen),
      });
      registerAlertDesk(app, { alerts, stories, pages: deps.newsroom.pages, sections: sectionList });
      registerAlertsAdminApi(app, alerts);
    },
  };
}
