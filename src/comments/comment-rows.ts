// The comments feature's records and how they map to and from its rows: what a story page shows,
// what staff see, what a new comment stores.
import type { CommentTables } from './comment-tables.ts';
import type { CommentStatus } from './moderation-rules.ts';

type Row = Omit<CommentTables['comments'], 'id' | 'picked' | 'source_key'> & { id: number; picked: number; source_key: string | null };

/** What a story page shows of a comment: the columns it reads, no more (the page reads thousands). */
export const SHOWN = ['id', 'parent_id', 'thread_id', 'depth', 'status', 'author_name', 'author_url', 'body', 'body_html', 'origin', 'created_at'] as const;
export interface ShownComment {
  id: number;
  parentId: number | null;
  depth: number;
  authorName: string;
  authorUrl: string;
  body: string;
  /** The text's HTML drawn when it was written, or null (then drawn from `body`). */
  bodyHtml: string | null;
  fromNewsroom: boolean;
  createdAt: string;
}

export function toShown(r: Pick<Row, Exclude<(typeof SHOWN)[number], 'thread_id'>>): ShownComment {
  return { id: r.id, parentId: r.parent_id, depth: r.depth, authorName: r.author_name, authorUrl: r.author_url, body: r.body, bodyHtml: r.body_html, fromNewsroom: r.origin === 'newsroom', createdAt: r.created_at };
}

/** A stored comment, for the service and the newsroom (the email and address are staff-only). */
export interface StoredComment {
  id: number;
  articleId: number;
  parentId: number | null;
  threadId: number;
  depth: number;
  status: CommentStatus;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  body: string;
  ip: string | null;
  reasons: string[];
  spamScore: number | null;
  trainedAs: 'spam' | 'ham' | null;
  origin: 'reader' | 'newsroom';
  /** Featured by an editor. */
  picked: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewComment {
  articleId: number;
  parentId: number | null;
  /** The parent's thread (null for a top-level comment: its own id is filled in). */
  threadId: number | null;
  depth: number;
  status: CommentStatus;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  body: string;
  bodyHtml: string;
  bodyHash: string;
  ip: string | null;
  reasons: string[];
  spamScore: number | null;
  trainedAs: 'spam' | 'ham' | null;
  origin: 'reader' | 'newsroom';
  /** An imported comment's key in the system it came from (a re-run finds it by this). */
  sourceKey?: string;
  at: string;
}

/** Where an imported comment sits, found by its source key. */
export interface ImportedPlace {
  id: number;
  articleId: number;
  parentId: number | null;
  depth: number;
  threadId: number;
  status: CommentStatus;
}

export interface QueueFilter {
  status?: CommentStatus;
  articleId?: number;
  /** Only comments with open reports from readers. */
  reported?: boolean;
  /** Comments older than this id (the queue's next page). */
  beforeId?: number;
  limit: number;
}

export function toComment(r: Row): StoredComment {
  return {
    id: r.id,
    articleId: r.article_id,
    parentId: r.parent_id,
    threadId: r.thread_id ?? r.id,
    depth: r.depth,
    status: r.status as CommentStatus,
    authorName: r.author_name,
    authorEmail: r.author_email,
    authorUrl: r.author_url,
    body: r.body,
    ip: r.ip,
    reasons: parseReasons(r.reasons),
    spamScore: r.spam_score,
    trainedAs: r.trained_as === 'spam' || r.trained_as === 'ham' ? r.trained_as : null,
    origin: r.origin === 'newsroom' ? 'newsroom' : 'reader',
    picked: r.picked === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function parseReasons(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** The comments table's row for a new comment. */
export function rowOf(c: NewComment) {
  return {
    article_id: c.articleId,
    parent_id: c.parentId,
    thread_id: c.threadId,
    depth: c.depth,
    status: c.status,
    author_name: c.authorName,
    author_email: c.authorEmail,
    author_url: c.authorUrl,
    body: c.body,
    body_html: c.bodyHtml,
    body_hash: c.bodyHash,
    ip: c.ip,
    reasons: JSON.stringify(c.reasons),
    spam_score: c.spamScore,
    trained_as: c.trainedAs,
    origin: c.origin,
    created_at: c.at,
    updated_at: c.at,
  };
}
