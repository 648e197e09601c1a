// What readers see under a story: "N Comments", the threaded comments (oldest first, replies
// nested to the depth limit), then "Leave a Reply" with WordPress's form, or "Comments are closed."
// The same for every reader (the page is cached): the form token, the saved name and the reply
// placement are the form's script's (comment-form-island.ts); without it, replies and posting go
// through small uncached pages (reader-routes.tsx).
import { initials, avatarHue } from './avatar.ts';
import { commentHtml } from './comment-text.tsx';
import { FIELDS, LIMITS } from './comment-input.ts';
import type { PickedComment, PublicComment } from './comment-service.ts';

/** Top-level threads the story page draws; the rest are behind "Load more". */
export const THREADS_PER_PAGE = 50;

export interface ThreadProps {
  articleId: number;
  /** One page of threads: approved comments (and the held one its author is looking at), oldest first. */
  comments: PublicComment[];
  /** More threads follow this page. */
  more: boolean;
  /** Editors' picks, shown first (each also in its place in the thread). */
  picks?: PickedComment[];
  /** The approved comments in all, for the heading. */
  total: number;
  open: boolean;
  depthLimit: number;
  timeZone: string;
  /** The form's script (the comment-form island), loaded only where the form is. */
  scriptUrl?: string;
  /** The page shows threads after this top-level comment id (the "Load more" pages): no form. */
  after?: number;
  /** Where "Load more" goes, given the last top-level id shown. */
  moreHref?: (after: number) => string;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** One formatter per time zone: making one costs more than formatting a hundred dates. */
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone })));
  return format;
}

export function commentsHeading(total: number): string {
  return total === 0 ? 'No Comments' : total === 1 ? '1 Comment' : `${total.toLocaleString('en')} Comments`;
}

export function CommentsSection(props: ThreadProps) {
  const children = new Map<number, PublicComment[]>();
  const top: PublicComment[] = [];
  const ids = new Set(props.comments.map((c) => c.id));
  for (const comment of props.comments) {
    // A reply whose comment was erased (privacy) stands on its own.
    if (comment.parentId === null || !ids.has(comment.parentId)) top.push(comment);
    else children.set(comment.parentId, [...(children.get(comment.parentId) ?? []), comment]);
  }
  const shown = top;
  const lastTop = [...top].reverse().find((c) => c.parentId === null && c.status === 'approved');
  const more = props.more && lastTop ? lastTop.id : undefined;
  const format = dateFormat(props.timeZone);
  const ctx: ItemContext = { all: children, open: props.open, depthLimit: props.depthLimit, format };
  return (
    <section class="comments" id="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{commentsHeading(props.total)}</h2>
      {props.picks && props.picks.length > 0 && (
        <aside class="editors-picks" aria-labelledby="editors-picks-title">
          <h3 id="editors-picks-title">Editor’s picks</h3>
          <ul>
            {props.picks.map((pick) => (
              <li key={pick.id}>
                <b>{pick.authorName}</b>
                <div dangerouslySetInnerHTML={{ __html: pick.bodyHtml ?? commentHtml(pick.body) }} />
                <a href={`#comment-${pick.id}`}>In the conversation</a>
              </li>
            ))}
          </ul>
        </aside>
      )}
      {shown.length > 0 && <ol class="comment-list" dangerouslySetInnerHTML={{ __html: shown.map((c) => commentItemHtml(c, ctx)).join('') }} />}
      {more !== undefined && props.moreHref && (
        <p class="comments-more">
          <a href={props.moreHref(more)}>Load more comments</a>
        </p>
      )}
      {props.after === undefined && (props.open ? <CommentForm articleId={props.articleId} scriptUrl={props.scriptUrl} /> : <p class="comments-closed">Comments are closed.</p>)}
    </section>
  );
}

/** Text for HTML content and attribute values (double-quoted). */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

interface ItemContext {
  all: Map<number, PublicComment[]>;
  open: boolean;
  depthLimit: number;
  format: Intl.DateTimeFormat;
}

/**
 * One comment and its replies as HTML. Written as a string, not as components: a story page draws
 * hundreds of these, and string building costs a fraction of a virtual DOM render. Every value
 * from a reader goes through esc(); the text's HTML was drawn by comment-text.tsx when stored.
 */
function commentItemHtml(comment: PublicComment, ctx: ItemContext): string {
  const id = comment.id;
  const name = esc(comment.authorName);
  const shownName = comment.authorUrl && !comment.fromNewsroom ? `<a href="${esc(comment.authorUrl)}" rel="nofollow ugc external">${name}</a>` : name;
  const badge = comment.fromNewsroom ? '<span class="newsroom-badge"> (newsroom)</span>' : '';
  const notice = comment.status === 'pending' ? '<p class="comment-awaiting-moderation" role="status">Your comment is awaiting moderation.</p>' : '';
  const reply =
    ctx.open && comment.status === 'approved' && comment.depth < ctx.depthLimit
      ? `<a class="comment-reply-link" href="/comments/reply/${id}" data-comment-id="${id}" aria-label="Reply to ${name}">Reply</a>`
      : '';
  const report =
    comment.status === 'approved' && !comment.fromNewsroom
      ? `<a class="comment-report-link" href="/comments/report/${id}" data-comment-id="${id}" aria-label="Report the comment by ${name}" rel="nofollow">Report</a>`
      : '';
  const replies = ctx.all.get(id) ?? [];
  const children = replies.length > 0 ? `<ol class="children">${replies.map((r) => commentItemHtml(r, ctx)).join('')}</ol>` : '';
  return (
    `<li id="comment-${id}" class="comment depth-${comment.depth}${comment.fromNewsroom ? ' from-newsroom' : ''}">` +
    `<article aria-labelledby="comment-${id}-by"><footer class="comment-meta">` +
    `<span class="avatar hue-${avatarHue(comment.authorName)}" aria-hidden="true">${esc(initials(comment.authorName))}</span>` +
    `<b class="fn" id="comment-${id}-by">${shownName}${badge}</b>` +
    `<a class="comment-permalink" href="#comment-${id}"><time datetime="${esc(comment.createdAt)}">${esc(formatted(ctx.format, comment.createdAt))}</time></a>` +
    `</footer>${notice}<div class="comment-content">${comment.bodyHtml ?? commentHtml(comment.body)}</div>${reply}${report}</article>${children}</li>`
  );
}

const formattedDates = new WeakMap<Intl.DateTimeFormat, Map<string, string>>();
/** A comment's date as shown; remembered, since the same page is drawn again at every change. */
function formatted(format: Intl.DateTimeFormat, iso: string): string {
  let memo = formattedDates.get(format);
  if (!memo || memo.size > 50_000) formattedDates.set(format, (memo = new Map()));
  let text = memo.get(iso);
  if (text === undefined) memo.set(iso, (text = format.format(new Date(iso))));
  return text;
}

export interface FormProps {
  articleId: number;
  parentId?: number;
  /** The form token, when the page is drawn for one reader (the uncached reply and check pages). */
  token?: string;
  values?: { comment?: string; author?: string; email?: string; url?: string };
  scriptUrl?: string;
  heading?: string;
}

/** WordPress's comment form, field for field. */
export function CommentForm({ articleId, parentId = 0, token, values = {}, scriptUrl, heading = 'Leave a Reply' }: FormProps) {
  return (
    <div id="respond" class="comment-respond">
      <h2 id="reply-title" class="comment-reply-title">
        {heading}{' '}
        <small>
          <a id="cancel-comment-reply-link" href="#respond" hidden>
            Cancel reply
          </a>
        </small>
      </h2>
      <form action="/comments" method="post" id="commentform" class="comment-form">
        <p class="comment-notes">
          <span id="email-notes">Your email address will not be published.</span> Required fields are marked <span aria-hidden="true">*</span>
        </p>
        <p class="comment-form-comment">
          <label for="comment">
            Comment <span aria-hidden="true">*</span>
          </label>
          <textarea id="comment" name={FIELDS.comment} cols={45} rows={8} maxLength={LIMITS.comment} required>
            {values.comment ?? ''}
          </textarea>
        </p>
        <p class="comment-form-author">
          <label for="author">
            Name <span aria-hidden="true">*</span>
          </label>
          <input id="author" name={FIELDS.author} type="text" value={values.author ?? ''} size={30} maxLength={LIMITS.author} autocomplete="name" required />
        </p>
        <p class="comment-form-email">
          <label for="email">
            Email <span aria-hidden="true">*</span>
          </label>
          <input id="email" name={FIELDS.email} type="email" value={values.email ?? ''} size={30} maxLength={LIMITS.email} aria-describedby="email-notes" autocomplete="email" required />
        </p>
        <p class="comment-form-url">
          <label for="url">Website</label>
          <input id="url" name={FIELDS.url} type="url" value={values.url ?? ''} size={30} maxLength={LIMITS.url} autocomplete="url" />
        </p>
        <p class="comment-form-cookies-consent">
          <input id="wp-comment-cookies-consent" name={FIELDS.consent} type="checkbox" value="yes" />{' '}
          <label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label>
        </p>
        {/* The honeypot: off screen and out of the accessibility tree; people leave it empty. */}
        <p class="comment-form-fax" aria-hidden="true">
          <label for="fax">Leave this field empty</label>
          <input id="fax" name={FIELDS.honeypot} type="text" value="" tabIndex={-1} autocomplete="off" />
        </p>
        <p class="form-submit">
          <input name="submit" type="submit" id="submit" class="submit" value="Post Comment" />
          <input type="hidden" name={FIELDS.articleId} value={String(articleId)} id="comment_post_ID" />
          <input type="hidden" name={FIELDS.parentId} id="comment_parent" value={String(parentId)} />
          <input type="hidden" name={FIELDS.token} id="comment_token" value={token ?? ''} />
        </p>
        <p class="comment-form-status" id="comment-form-status" role="status" aria-live="polite"></p>
      </form>
      {scriptUrl && <script type="module" src={scriptUrl}></script>}
    </div>
  );
}
