// Browser code on every reader page: the site-wide "Breaking" banner. The page itself is the same
// for everyone and never carries an alert; this script listens on /alerts/live (Server-Sent
// Events), which starts with the alert still fresh, if any, then sends each new one. A browser
// without EventSource asks /alerts/latest.json once instead.
// The banner overlays the foot of the window (nothing on the page moves), is announced politely,
// can be dismissed (remembered per alert in this browser) and leaves at its expiry time.
// The same script fills each alerts box's "Turn on notifications" button (push/push-button.ts):
// one script for every reader page, as the request budget wants.
import './push/push-button.ts';

interface BannerAlert {
  id: number;
  title: string;
  text: string;
  url: string;
  expiresAt: string;
}

const DISMISSED = 'bulletin-dismissed-alerts';
/** Dismissals remembered; older ones are of alerts long expired. */
const REMEMBERED = 20;

const region = document.createElement('div');
region.className = 'breaking-banner';
region.setAttribute('role', 'status');
region.setAttribute('aria-live', 'polite');
region.hidden = true;
document.body.append(region);
let shown: BannerAlert | undefined;
let expiry: ReturnType<typeof setTimeout> | undefined;

function dismissed(): number[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(DISMISSED) ?? '[]');
    return Array.isArray(list) ? list.filter((id): id is number => typeof id === 'number') : [];
  } catch {
    return [];
  }
}

function remember(id: number): void {
  try {
    localStorage.setItem(DISMISSED, JSON.stringify([...dismissed().filter((d) => d !== id), id].slice(-REMEMBERED)));
  } catch {
    // Private browsing without storage: the dismissal lasts as long as the page.
  }
}

function show(alert: BannerAlert): void {
  // The newest alert heard of, shown or not (dismissed, expired): what this page knows.
  region.dataset.lastAlert = String(alert.id);
  const left = Date.parse(alert.expiresAt) - Date.now();
  if (!(left > 0) || dismissed().includes(alert.id) || (shown && shown.id >= alert.id)) return;
  shown = alert;
  const label = document.createElement('strong');
  label.textContent = 'Breaking';
  const link = document.createElement('a');
  link.href = alert.url;
  link.textContent = alert.title;
  const text = document.createElement('span');
  text.textContent = alert.text;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.setAttribute('aria-label', `Dismiss the alert “${alert.title}”`);
  close.addEventListener('click', () => {
    remember(alert.id);
    hide();
  });
  const body = document.createElement('p');
  body.append(label, ' ', link, ' ', text);
  region.replaceChildren(body, close);
  region.hidden = false;
  clearTimeout(expiry);
  expiry = setTimeout(hide, Math.min(left, 2 ** 31 - 1));
}

function hide(): void {
  region.hidden = true;
  region.replaceChildren();
}

function parse(raw: unknown): BannerAlert | undefined {
  const a = raw as Partial<BannerAlert> | null;
  return a && typeof a.id === 'number' && typeof a.title === 'string' && typeof a.url === 'string' && typeof a.expiresAt === 'string'
    ? { id: a.id, title: a.title, text: String(a.text ?? ''), url: a.url, expiresAt: a.expiresAt }
    : undefined;
}

if (!('EventSource' in window)) {
  void fetch('/alerts/latest.json', { headers: { accept: 'application/json' } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data: { alert?: unknown } | null) => {
      const alert = parse(data?.alert);
      if (alert) show(alert);
    })
    .catch(() => undefined);
} else {
  const stream = new EventSource('/alerts/live');
  stream.addEventListener('alert', (event) => {
    try {
      const alert = parse(JSON.parse((event as MessageEvent<string>).data));
      if (alert) show(alert);
    } catch {
      // A frame we cannot read is skipped; the next alert comes whole.
    }
  });
}
