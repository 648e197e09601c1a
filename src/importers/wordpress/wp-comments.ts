// Which WordPress comments come in, and as what: approved ('1') and pending ('0') reader comments
// are kept; spam, trash and anything else a plugin wrote in wp:comment_approved are skipped and
// counted, and so are pingbacks and trackbacks (notices that another site linked here, with an
// excerpt of that site's text: not something a reader said). A reply keeps its place in the
// thread through wp:comment_parent; when the parent is skipped or not in the export, the reply
// goes under the nearest approved comment above it, or starts a thread of its own.
import { parseFragment } from 'parse5';
import type { ImportedComment } from '../../comments/imported-comment.ts';
import { wpDate, type WpComment, type WpItem } from './wxr-records.ts';

export type CommentSkip = 'spam' | 'trash' | 'pingback' | 'trackback' | 'other';

export interface ItemComments {
  comments: ImportedComment[];
  counts: { approved: number; pending: number };
  skipped: Partial<Record<CommentSkip, number>>;
}

export const commentSourceKey = (commentId: string) => `wordpress:comment:${commentId}`;

function skipOf(c: WpComment): CommentSkip | undefined {
  if (c.type === 'pingback' || c.type === 'trackback') return c.type;
  // WooCommerce order notes, webmentions and other plugin types are not reader comments either.
  if (c.type !== '' && c.type !== 'comment') return 'other';
  if (c.approved === '1' || c.approved === '0') return undefined;
  return c.approved === 'spam' || c.approved === 'trash' ? c.approved : 'other';
}

/** The item's comments as the comments feature takes them, with what was left out. */
export function itemComments(item: Pick<WpItem, 'comments' | 'date' | 'dateGmt'>): ItemComments {
  const byId = new Map(item.comments.map((c) => [c.id, c]));
  const kept = new Map<string, WpComment>();
  const skipped: Partial<Record<CommentSkip, number>> = {};
  for (const c of item.comments) {
    const skip = /^\d+$/.test(c.id) ? skipOf(c) : 'other';
    if (skip) skipped[skip] = (skipped[skip] ?? 0) + 1;
    else kept.set(c.id, c);
  }
  const approvedAbove = (c: WpComment): string | null => {
    const seen = new Set<string>([c.id]);
    let parentId = c.parentId;
    while (parentId && parentId !== '0' && !seen.has(parentId)) {
      seen.add(parentId);
      const parent = byId.get(parentId);
      if (!parent) return null;
      if (kept.has(parentId) && parent.approved === '1') return parentId;
      parentId = parent.parentId;
    }
    return null;
  };
  const postDate = wpDate(item) ?? new Date(0).toISOString();
  const comments: ImportedComment[] = [];
  const counts = { approved: 0, pending: 0 };
  for (const c of kept.values()) {
    const status = c.approved === '1' ? 'approved' : 'pending';
    counts[status]++;
    const parent = approvedAbove(c);
    comments.push({
      sourceKey: commentSourceKey(c.id),
      parentKey: parent ? commentSourceKey(parent) : null,
      status,
      authorName: commentText(c.author).replace(/\s+/g, ' ').trim(),
      email: c.authorEmail,
      url: c.authorUrl,
      ip: c.authorIp || null,
      text: commentText(c.content),
      at: wpDate({ date: c.date, dateGmt: c.dateGmt }) ?? postDate,
    });
  }
  return { comments, counts, skipped };
}

export function commentCounts(item: Pick<WpItem, 'comments' | 'date' | 'dateGmt'>): { approved: number; pending: number } {
  return itemComments(item).counts;
}

const BLOCKS = new Set(['p', 'div', 'blockquote', 'ul', 'ol', 'li', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * A comment's HTML as the plain text our comments hold: WordPress stores what the reader typed
 * (line breaks and all) with a few tags allowed; paragraphs and breaks become blank lines and
 * line breaks, a link whose text is not its address keeps the address after it, and everything
 * else is its text (our comments show web addresses as links of their own).
 */
export function commentText(html: string): string {
  if (!/[<&]/.test(html)) return tidy(html);
  type Node = { nodeName: string; value?: string; childNodes?: Node[]; attrs?: { name: string; value: string }[] };
  const walk = (nodes: Node[]): string =>
    nodes
      .map((n) => {
        if (n.nodeName === '#text') return n.value ?? '';
        if (n.nodeName === 'script' || n.nodeName === 'style' || n.nodeName === '#comment') return '';
        // "<br />\n" is one line break (WordPress writes both); BREAK marks where a tag made one.
        if (n.nodeName === 'br') return BREAK;
        const inner = walk(n.childNodes ?? []);
        if (n.nodeName === 'a') {
          const href = n.attrs?.find((a) => a.name === 'href')?.value.trim() ?? '';
          return /^https?:\/\//i.test(href) && inner.trim() !== href ? `${inner} (${href})` : inner;
        }
        return BLOCKS.has(n.nodeName) ? `\n\n${inner}\n\n` : inner;
      })
      .join('');
  return tidy(walk(parseFragment(html).childNodes as Node[]).replaceAll(`${BREAK}\n`, '\n').replaceAll(BREAK, '\n'));
}

const BREAK = '\u0001';

function tidy(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
