// "Turn on notifications" in the alerts sign-up box: fills each [data-alerts-push] element (left
// hidden by the server, so a browser without this script, or without push, shows no dead button).
// Only a click asks anything: it registers the service worker (/sw.js, scope /), asks for the
// notification permission, subscribes with the site's VAPID key and sends the subscription with
// the sections ticked in the box's form. "Turn off notifications" ends it, here and on the server.

const boxes = [...document.querySelectorAll<HTMLElement>('[data-alerts-push]')];
const supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
if (supported) for (const box of boxes) void enhance(box);

interface Answer {
  subscribed?: boolean;
  description?: string;
  errors?: { message: string }[];
}

async function enhance(box: HTMLElement): Promise<void> {
  const form = box.closest('form');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'alerts-push-button';
  const status = document.createElement('p');
  status.className = 'alerts-push-status';
  status.setAttribute('role', 'status');
  box.replaceChildren(button, status);
  box.hidden = false;

  const show = (on: boolean, message = '') => {
    button.textContent = on ? 'Turn off notifications' : 'Turn on notifications';
    button.dataset.on = String(on);
    status.textContent = message;
  };
  show(false);

  // Already on in this browser (a returning reader): say so, and offer to turn it off.
  const current = await existingSubscription();
  if (current && Notification.permission === 'granted') {
    const answer = await call('/alerts/push/subscription/status', { endpoint: current.endpoint }).catch(() => ({}) as Answer);
    if (answer.subscribed) show(true, answer.description ?? '');
  }

  button.addEventListener('click', () => {
    button.disabled = true;
    const action = button.dataset.on === 'true' ? turnOff() : turnOn(form);
    void action
      .then(([on, message]) => show(on, message))
      .catch((error: unknown) => show(button.dataset.on === 'true', `Notifications could not be changed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (button.disabled = false));
  });
}

async function turnOn(form: HTMLFormElement | null): Promise<[boolean, string]> {
  const sections = form ? [...form.querySelectorAll<HTMLInputElement>('input[name="sections"]:checked')].map((input) => input.value) : ['*'];
  if (sections.length === 0) return [false, 'Choose “All breaking news” or at least one section first.'];
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return [false, 'Notifications are blocked for this site in your browser’s settings.'];
  await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: await publicKey() }));
  const answer = await call('/alerts/push/subscription', { subscription: subscription.toJSON(), sections });
  return [true, answer.description ?? 'Notifications are on.'];
}

async function turnOff(): Promise<[boolean, string]> {
  const subscription = await existingSubscription();
  if (subscription) {
    await call('/alerts/push/unsubscribe', { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  return [false, 'Notifications are off in this browser.'];
}

async function existingSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

async function publicKey(): Promise<string> {
  const res = await fetch('/alerts/push/key', { headers: { accept: 'application/json' } });
  return ((await res.json()) as { publicKey: string }).publicKey;
}

async function call(url: string, body: unknown): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  const answer = (await res.json()) as Answer;
  if (!res.ok) throw new Error(answer.errors?.map((e) => e.message).join(' ') ?? `the server answered ${res.status}`);
  return answer;
}
export {};
