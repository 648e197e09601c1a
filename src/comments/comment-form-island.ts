// The comment form's script, on story pages (the page itself is the same for every reader):
// - fills in the name, email and website saved in this browser when the reader ticked the box;
// - fetches a form token from /comments/token when the reader starts on the form;
// - moves the form under a comment for "Reply", and back for "Cancel reply";
// - posts in place, and shows "Your comment is awaiting moderation" with the comment to its author;
// - "Report": shows the report form (fetched from /comments/report/ID) under the comment, posts it in place.
// Without it everything still works through plain posts (reader-routes.tsx).

const SAVED = 'bulletin-commenter';
const MIN_AGE_MS = 3_000;
const MAX_AGE_MS = 90 * 60_000;

const form = document.getElementById('commentform') as HTMLFormElement | null;
const respond = document.getElementById('respond');
if (form && respond) enhance(form, respond);
// The script comes with the comment form; on a closed thread "Report" leads to the report page.
if (document.getElementById('comments')) enhanceReports();

function enhanceReports() {
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a.comment-report-link') as HTMLAnchorElement | null;
    if (!link) return;
    const article = link.closest('article');
    if (!article) return;
    event.preventDefault();
    const open = article.querySelector<HTMLFormElement>('form.comment-report-form');
    if (open) {
      open.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
      return;
    }
    void showReportForm(link, article);
  });
}

async function showReportForm(link: HTMLAnchorElement, article: Element) {
  try {
    const res = await fetch(link.href, { headers: { accept: 'text/html' } });
    if (!res.ok) throw new Error('That comment cannot be reported.');
    const page = new DOMParser().parseFromString(await res.text(), 'text/html');
    const reportForm = page.querySelector<HTMLFormElement>('form.comment-report-form');
    if (!reportForm) throw new Error('That comment cannot be reported.');
    const adopted = document.importNode(reportForm, true);
    article.append(adopted);
    adopted.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
    adopted.addEventListener('submit', (event) => {
      event.preventDefault();
      void sendReport(adopted);
    });
  } catch (error) {
    // The plain page still works: follow the link.
    location.href = link.href;
    void error;
  }
}

async function sendReport(reportForm: HTMLFormElement) {
  const status = reportForm.querySelector('.comment-report-status');
  const button = reportForm.querySelector<HTMLButtonElement>('button[type=submit]');
  if (button) button.disabled = true;
  try {
    const data = new URLSearchParams();
    for (const [name, entry] of new FormData(reportForm)) if (typeof entry === 'string') data.append(name, entry);
    const res = await fetch(reportForm.action, { method: 'POST', body: data, headers: { accept: 'application/json' } });
    const body = (await res.json()) as { notice?: string; errors?: { message: string }[] };
    if (!res.ok) {
      if (status) status.textContent = (body.errors ?? [{ message: 'The report could not be sent.' }]).map((e) => e.message).join(' ');
      return;
    }
    for (const part of reportForm.querySelectorAll('fieldset, p:not(.comment-report-status), .comment-errors')) part.remove();
    if (status) status.textContent = body.notice ?? 'Thank you.';
  } catch {
    if (status) status.textContent = 'The report could not be sent. Please try again.';
  } finally {
    if (button) button.disabled = false;
  }
}

function enhance(form: HTMLFormElement, respond: HTMLElement) {
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null;
  const status = document.getElementById('comment-form-status');
  const cancel = document.getElementById('cancel-comment-reply-link');
  const home = respond.parentElement;
  const homeNext = respond.nextSibling;
  const articleId = field('comment_post_ID')?.value ?? '';
  let token: { value: string; at: number } | undefined;

  try {
    const saved = JSON.parse(localStorage.getItem(SAVED) ?? 'null') as { author?: string; email?: string; url?: string } | null;
    if (saved) {
      for (const name of ['author', 'email', 'url'] as const) {
        const input = field(name);
        if (input && !input.value && typeof saved[name] === 'string') input.value = saved[name];
      }
      const consent = field('wp-comment-cookies-consent') as HTMLInputElement | null;
      if (consent) consent.checked = true;
    }
  } catch {
    // Storage blocked or unreadable: the reader types their details.
  }

  async function freshToken(): Promise<string> {
    if (token && Date.now() - token.at < MAX_AGE_MS) return token.value;
    const res = await fetch(`/comments/token?article=${encodeURIComponent(articleId)}`, { headers: { accept: 'application/json' } });
    const body = (await res.json()) as { token?: string; errors?: { message: string }[] };
    if (!res.ok || !body.token) throw new Error(body.errors?.[0]?.message ?? 'The comment form could not be prepared.');
    token = { value: body.token, at: Date.now() };
    return token.value;
  }

  form.addEventListener('focusin', () => void freshToken().catch(() => undefined), { once: true });

  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a.comment-reply-link') as HTMLAnchorElement | null;
    if (!link) return;
    const item = document.getElementById(`comment-${link.dataset.commentId ?? ''}`);
    const parentField = field('comment_parent');
    if (!item || !parentField) return;
    event.preventDefault();
    item.querySelector(':scope > article')?.after(respond);
    parentField.value = link.dataset.commentId ?? '0';
    if (cancel) cancel.hidden = false;
    field('comment')?.focus();
  });

  cancel?.addEventListener('click', (event) => {
    event.preventDefault();
    home?.insertBefore(respond, homeNext);
    const parentField = field('comment_parent');
    if (parentField) parentField.value = '0';
    cancel.hidden = true;
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });

  function say(message: string) {
    if (status) status.textContent = message;
  }

  async function submit() {
    const button = form.querySelector<HTMLInputElement>('#submit');
    if (button) button.disabled = true;
    try {
      const value = await freshToken();
      // A token is good a few seconds after it is issued (people take that long to write).
      const wait = MIN_AGE_MS + 200 - (Date.now() - (token?.at ?? 0));
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const data = new URLSearchParams();
      for (const [name, entry] of new FormData(form)) if (typeof entry === 'string') data.append(name, entry);
      data.set('comment_token', value);
      const res = await fetch(form.action, { method: 'POST', body: data, headers: { accept: 'application/json' } });
      const body = (await res.json()) as { id?: number; status?: string; location?: string; notice?: string; errors?: { message: string }[] };
      token = undefined; // used
      if (!res.ok) {
        say((body.errors ?? [{ message: 'Your comment could not be posted.' }]).map((e) => e.message).join(' '));
        return;
      }
      remember();
      if (body.status === 'approved' && body.id) {
        // Published at once: the page (already dropped from the cache) is drawn again, at the comment.
        history.replaceState(null, '', `#comment-${body.id}`);
        location.reload();
        return;
      }
      showPending(body.id, body.notice ?? 'Your comment is awaiting moderation.');
    } catch (error) {
      say(error instanceof Error ? error.message : 'Your comment could not be posted.');
    } finally {
      if (button) button.disabled = false;
    }
  }

  function remember() {
    const consent = field('wp-comment-cookies-consent') as HTMLInputElement | null;
    try {
      if (consent?.checked) localStorage.setItem(SAVED, JSON.stringify({ author: field('author')?.value, email: field('email')?.value, url: field('url')?.value }));
      else localStorage.removeItem(SAVED);
    } catch {
      // Storage blocked: nothing is remembered.
    }
  }

  /** The author's own held comment, where it will appear once approved, with the notice. */
  function showPending(id: number | undefined, notice: string) {
    const text = field('comment');
    const item = document.createElement('li');
    item.className = 'comment';
    if (id) item.id = `comment-${id}`;
    const article = document.createElement('article');
    const meta = document.createElement('p');
    meta.className = 'comment-meta';
    const name = document.createElement('b');
    name.textContent = field('author')?.value ?? '';
    meta.append(name);
    const note = document.createElement('p');
    note.className = 'comment-awaiting-moderation';
    note.setAttribute('role', 'status');
    note.textContent = notice;
    const content = document.createElement('div');
    content.className = 'comment-content';
    for (const paragraph of (text?.value ?? '').split(/\n\s*\n/)) {
      const p = document.createElement('p');
      p.textContent = paragraph;
      content.append(p);
    }
    article.append(meta, note, content);
    item.append(article);
    const parentId = field('comment_parent')?.value ?? '0';
    const parent = parentId !== '0' ? document.getElementById(`comment-${parentId}`) : null;
    let list = parent ? parent.querySelector(':scope > ol.children') : document.querySelector('#comments > ol.comment-list');
    if (!list) {
      list = document.createElement('ol');
      list.className = parent ? 'children' : 'comment-list';
      if (parent) parent.append(list);
      else document.getElementById('comments-title')?.after(list);
    }
    list.append(item);
    if (text) text.value = '';
    cancel?.click();
    say(notice);
  }
}
