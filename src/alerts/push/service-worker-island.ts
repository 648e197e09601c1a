// The service worker, served at /sw.js with scope / (push-routes.ts). Built by the island builder
// like every browser script (ADR 004), but run by the browser as a classic worker script: it
// imports and exports nothing. It shows each breaking-news push as a notification (title, text,
// the site's icon) and opens the story when the reader clicks it, focusing a tab that already
// shows it. A browser that renews its subscription tells the server, which replaces the old row.

interface PushPayload {
  title?: string;
  text?: string;
  url?: string;
  icon?: string;
  tag?: string;
}

interface WorkerClient {
  url: string;
  focus?: () => Promise<unknown>;
  navigate?: (url: string) => Promise<unknown>;
}

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface WorkerScope {
  location: Location;
  registration: ServiceWorkerRegistration;
  clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WorkerClient[]>;
    openWindow(url: string): Promise<unknown>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'push', listener: (event: ExtendableEvent & { data: { json(): unknown; text(): string } | null }) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: ExtendableEvent & { notification: Notification }) => void): void;
  addEventListener(type: 'pushsubscriptionchange', listener: (event: ExtendableEvent & { oldSubscription?: PushSubscription | null; newSubscription?: PushSubscription | null }) => void): void;
}

const worker = self as unknown as WorkerScope;

worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('push', (event) => {
  let data: PushPayload = {};
  try {
    data = (event.data?.json() ?? {}) as PushPayload;
  } catch {
    data = { text: event.data?.text() };
  }
  const title = typeof data.title === 'string' && data.title ? data.title : 'Breaking news';
  event.waitUntil(
    worker.registration.showNotification(title, {
      body: typeof data.text === 'string' ? data.text : '',
      icon: typeof data.icon === 'string' ? data.icon : '/favicon.svg',
      tag: typeof data.tag === 'string' ? data.tag : undefined,
      data: { url: safeUrl(data.url) },
    }),
  );
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = safeUrl((event.notification.data as { url?: unknown } | null)?.url);
  event.waitUntil(
    (async () => {
      const open = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const showing = open.find((client) => client.url === url && client.focus);
      if (showing) return showing.focus!();
      return worker.clients.openWindow(url);
    })(),
  );
});

// The push service rotated this browser's subscription: store the new one in place of the old.
worker.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      const renewed =
        event.newSubscription ??
        (await worker.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: event.oldSubscription?.options.applicationServerKey ?? (await publicKey()) }));
      await fetch('/alerts/push/subscription', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ subscription: renewed.toJSON(), replaces: event.oldSubscription?.endpoint }),
      });
    })(),
  );
});

async function publicKey(): Promise<string> {
  const res = await fetch('/alerts/push/key', { headers: { accept: 'application/json' } });
  return ((await res.json()) as { publicKey: string }).publicKey;
}

/** Only web addresses open from a notification (the payload is ours, but a worker stays careful). */
function safeUrl(raw: unknown): string {
  try {
    const url = new URL(typeof raw === 'string' ? raw : '/', worker.location.origin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : worker.location.origin;
  } catch {
    return worker.location.origin;
  }
}
