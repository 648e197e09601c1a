// The Comments screens' views: the queue (filters, bulk actions, each comment in context with its
// reasons and the commenter's details, which staff see and readers never do), the edit form and
// the settings form.
import { Csrf, ErrorSummary, Field, TextArea } from '../../newsroom/forms.tsx';
import type { PageContext } from '../../newsroom/layout.tsx';
import type { FieldError } from '../../platform/errors.ts';
import type { StoredComment } from '../comment-rows.ts';
import type { ReportSummary } from '../report-repository.ts';
import type { CommentSettings } from '../comment-settings.ts';
import { CommentText } from '../comment-text.tsx';
import { REPORT_REASONS } from '../report-service.ts';

export interface QueueItem {
  comment: StoredComment;
  parent?: StoredComment;
  story: { headline: string; path: string } | null;
  /** Readers' open reports on it, if any. */
  reports?: ReportSummary;
}

const FILTERS = [
  ['pending', 'Pending'],
  ['approved', 'Approved'],
  ['spam', 'Spam'],
  ['trash', 'Trash'],
  ['reported', 'Reported'],
  ['all', 'All'],
] as const;

/** The buttons a comment in this status offers, with their shortcut keys. */
const ACTIONS: Record<StoredComment['status'], [move: string, label: string, key: string][]> = {
  pending: [['approve', 'Approve', 'a'], ['spam', 'Spam', 's'], ['trash', 'Trash', 't']],
  approved: [['spam', 'Spam', 's'], ['trash', 'Trash', 't']],
  spam: [['approve', 'Not spam: approve', 'a'], ['restore', 'Restore to queue', 'u'], ['trash', 'Trash', 't']],
  trash: [['restore', 'Restore to queue', 'u'], ['approve', 'Approve', 'a'], ['spam', 'Spam', 's']],
};

export function QueuePage(props: {
  ctx: PageContext;
  items: QueueItem[];
  status: string;
  /** Comments with open reports, for the filter's label. */
  reportedCount: number;
  articleId?: number;
  story?: { id: number; headline: string; open: boolean };
  next?: number;
  notice: string;
  script: string;
  /** Editors and administrators may feature comments. */
  mayPick: boolean;
  /** Administrators handle commenters' privacy requests. */
  mayManageData: boolean;
}) {
  const base = (status: string) => `/newsroom/comments?status=${status}${props.articleId ? `&article=${props.articleId}` : ''}`;
  const here = base(props.status);
  return (
    <>
      <h1>Comments</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <nav aria-label="Comment status">
        <ul class="filters">
          {FILTERS.map(([value, label]) => (
            <li key={value}>
              <a href={base(value)} aria-current={value === props.status ? 'page' : undefined}>
                {label}
                {value === 'reported' && props.reportedCount > 0 ? ` (${props.reportedCount})` : ''}
              </a>
            </li>
          ))}
          <li>
            <a href="/newsroom/comments/settings">Settings</a>
          </li>
          {props.mayManageData && (
            <li>
              <a href="/newsroom/comments/privacy">Privacy</a>
            </li>
          )}
        </ul>
      </nav>
      <form method="get" action="/newsroom/comments" class="story-filter">
        <input type="hidden" name="status" value={props.status} />
        <label for="article">Story id</label> <input id="article" name="article" inputMode="numeric" value={props.articleId ? String(props.articleId) : ''} />{' '}
        <button type="submit">Show this story’s comments</button>
      </form>
      {props.story && (
        <form method="post" action={`/newsroom/comments/stories/${props.story.id}/open`} class="story-open">
          <Csrf token={props.ctx.csrf} />
          <p>
            {props.story.headline}: comments are <strong>{props.story.open ? 'open' : 'closed'}</strong>.{' '}
            <input type="hidden" name="open" value={props.story.open ? 'no' : 'yes'} />
            <button type="submit">{props.story.open ? 'Close comments' : 'Open comments'}</button>
          </p>
        </form>
      )}
      <p class="hint">Keyboard: j and k move between comments; a approves, s marks spam, t trashes, u restores, r opens the reply box.</p>
      {props.items.length === 0 ? (
        <p>No comments here.</p>
      ) : (
        <form method="post" action="/newsroom/comments/bulk" id="comment-queue">
          <Csrf token={props.ctx.csrf} />
          <input type="hidden" name="back" value={here} />
          <p class="bulk">
            <label for="bulk-action">With the selected comments</label>{' '}
            <select id="bulk-action" name="action">
              <option value="">Choose…</option>
              <option value="approve">Approve</option>
              <option value="spam">Mark as spam</option>
              <option value="trash">Move to trash</option>
              <option value="restore">Restore to queue</option>
            </select>{' '}
            <button type="submit">Apply</button>
          </p>
          <ol class="queue">
            {props.items.map((item) => (
              <QueueEntry key={item.comment.id} item={item} mayPick={props.mayPick} />
            ))}
          </ol>
        </form>
      )}
      {props.next && (
        <p>
          <a href={`${here}&before=${props.next}`}>Older comments</a>
        </p>
      )}
      <script type="module" src={props.script}></script>
    </>
  );
}

function QueueEntry({ item, mayPick }: { item: QueueItem; mayPick: boolean }) {
  const c = item.comment;
  return (
    <li class="queue-item" id={`queue-${c.id}`} tabIndex={-1} data-comment-id={c.id}>
      <p>
        <input type="checkbox" name="ids" value={String(c.id)} id={`select-${c.id}`} /> <label for={`select-${c.id}`}>Select comment {c.id}</label>{' '}
        <span class={`status status-${c.status}`}>{c.status}</span>
      </p>
      <p class="queue-who">
        <strong>{c.authorName}</strong> · {c.authorEmail || 'newsroom'}
        {c.authorUrl && <> · {c.authorUrl}</>} · {c.ip ?? 'address expired'} · <time dateTime={c.createdAt}>{c.createdAt.slice(0, 16).replace('T', ' ')}</time>
      </p>
      <p class="queue-context">
        On{' '}
        {item.story ? (
          <a href={`${item.story.path}#comments`}>{item.story.headline}</a>
        ) : (
          'a story that is gone'
        )}
        {item.parent && (
          <>
            , replying to {item.parent.authorName}: “{item.parent.body.slice(0, 140)}
            {item.parent.body.length > 140 ? '…' : ''}”
          </>
        )}
      </p>
      {c.reasons.length > 0 && <p class="queue-reasons">Why: {c.reasons.join(', ')}</p>}
      {item.reports && <ReportsNote reports={item.reports} />}
      <div class="queue-text">
        <CommentText text={c.body} />
      </div>
      <p class="queue-actions">
        {ACTIONS[c.status].map(([move, label, key]) => (
          <button key={move} type="submit" formAction={`/newsroom/comments/${c.id}/${move}`} data-key={key}>
            {label}
          </button>
        ))}{' '}
        {mayPick && c.status === 'approved' && (
          <button type="submit" formAction={`/newsroom/comments/${c.id}/pick`} name="picked" value={c.picked ? 'no' : 'yes'}>
            {c.picked ? 'Remove from editor’s picks' : 'Editor’s pick'}
          </button>
        )}{' '}
        {item.reports && (
          <button type="submit" formAction={`/newsroom/comments/${c.id}/dismiss-reports`} data-key="d">
            Dismiss reports
          </button>
        )}{' '}
        <a href={`/newsroom/comments/${c.id}/edit`}>Edit</a>
      </p>
      {c.status === 'approved' && (
        <details class="queue-reply">
          <summary>Reply as the newsroom</summary>
          <label for={`reply-${c.id}`}>Reply</label>
          <textarea id={`reply-${c.id}`} name={`reply-${c.id}`}></textarea>
          <button type="submit" formAction={`/newsroom/comments/${c.id}/reply`}>
            Post reply
          </button>
        </details>
      )}
    </li>
  );
}

function ReportsNote({ reports }: { reports: ReportSummary }) {
  const reasons = Object.entries(reports.reasons)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${REPORT_REASONS[reason as keyof typeof REPORT_REASONS] ?? reason} ×${n}`);
  return (
    <div class="queue-reports">
      <p>
        <strong>
          Reported by {reports.count} {reports.count === 1 ? 'reader' : 'readers'}
        </strong>
        : {reasons.join(', ')}
      </p>
      {reports.notes.length > 0 && (
        <ul>
          {reports.notes.slice(0, 10).map((note, i) => (
            <li key={i}>“{note}”</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function CommentEditPage(props: { ctx: PageContext; comment: StoredComment; values?: Record<string, string>; errors: FieldError[] }) {
  const v = props.values ?? { body: props.comment.body, authorName: props.comment.authorName, authorUrl: props.comment.authorUrl };
  return (
    <>
      <h1>Edit comment {props.comment.id}</h1>
      <ErrorSummary errors={props.errors} />
      <p class="hint">Edits are written to the audit log with the text before and after.</p>
      <form method="post" action={`/newsroom/comments/${props.comment.id}/edit`}>
        <Csrf token={props.ctx.csrf} />
        <TextArea name="body" label="Comment" value={v.body} errors={props.errors} />
        <Field name="authorName" label="Name" value={v.authorName} errors={props.errors} />
        <Field name="authorUrl" label="Website" type="url" value={v.authorUrl} errors={props.errors} />
        <button type="submit">Save</button> <a href="/newsroom/comments">Cancel</a>
      </form>
    </>
  );
}

export function SettingsPage(props: { ctx: PageContext; settings: CommentSettings; values?: Record<string, string>; errors: FieldError[]; saved: boolean }) {
  const s = props.settings;
  const v = props.values ?? {
    depthLimit: String(s.depthLimit),
    autoCloseDays: String(s.autoCloseDays),
    ipRetentionDays: String(s.ipRetentionDays),
    holdLinks: String(s.holdLinks),
    digestMinutes: String(s.digestMinutes),
    moderationWords: s.moderationWords.join('\n'),
    blocklist: s.blocklist.join('\n'),
  };
  return (
    <>
      <h1>Comment settings</h1>
      {props.saved && (
        <p class="notice" role="status">
          Settings saved.
        </p>
      )}
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/newsroom/comments/settings">
        <Csrf token={props.ctx.csrf} />
        <Field name="depthLimit" label="Replies nest at most this many levels deep" inputMode="numeric" value={v.depthLimit} errors={props.errors} />
        <Field name="autoCloseDays" label="Close comments this many days after publication (0: never)" inputMode="numeric" value={v.autoCloseDays} errors={props.errors} />
        <Field name="holdLinks" label="Hold a comment with this many links or more" inputMode="numeric" value={v.holdLinks} errors={props.errors} />
        <Field name="ipRetentionDays" label="Keep commenters’ addresses this many days" inputMode="numeric" value={v.ipRetentionDays} errors={props.errors} />
        <Field name="digestMinutes" label="Mail moderators a digest of new held comments at most every this many minutes (0: never)" inputMode="numeric" value={v.digestMinutes} errors={props.errors} />
        <TextArea name="moderationWords" label="Moderation words (one a line): a comment containing one is held" value={v.moderationWords} errors={props.errors} />
        <TextArea name="blocklist" label="Blocklist (one a line: words, emails or IP addresses): such comments go to spam" value={v.blocklist} errors={props.errors} />
        <button type="submit">Save settings</button>
      </form>
    </>
  );
}
