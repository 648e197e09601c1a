// Reader comments: posting (every check of comment-input.ts and the defences of §3 of the issue,
// then the moderation decision), reading a story's thread and counts, and the thread's
// open/closed state. Moderation of stored comments is moderation-service.ts.
import { randomBytes } from 'node:crypto';
import { articlePath, type Article } from '../articles/model.ts';
import type { ChangeFeed } from '../platform/changes.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db.ts';
import { AppError, invalidInput, notFound } from '../platform/errors.ts';
import { commentTags } from './change-tags.ts';
import { commentHtml, linkCount } from './comment-text.tsx';
import { bodyHash, FIELDS, type CommentInput } from './comment-input.ts';
import type { CommentRepository } from './comment-repository.ts';
import type { ShownComment } from './comment-rows.ts';
import { DEFAULT_SETTINGS, settingsFromRows, type CommentSettings } from './comment-settings.ts';
import { checkPendingViewHash, checkToken, issueToken, pendingViewHash, type TokenCheck } from './form-token.ts';
import { decide, type Decision } from './moderation-rules.ts';
import type { AkismetCheck } from './akismet.ts';
import type { SpamModel } from './spam-model.ts';

/** Hard limits on posting attempts, held in the database so that every process counts the same. */
export const RATE_LIMITS = {
  ipPerMinute: 6,
  ipPerHour: 40,
  emailPerMinute: 4,
} as const;
const MINUTE = 60_000;
const HOUR = 3600_000;
/** The same text again within this window is a duplicate. */
const DUPLICATE_WINDOW_MS = 24 * HOUR;
/** How long the author of a held comment may see it on the story. */
const PENDING_VIEW_MS = 30 * MINUTE;

export interface PublishedStories {
  findById(id: number): Promise<Article | undefined>;
}

/** A comment as readers see it: no email, no address. */
export interface PublicComment {
  id: number;
  parentId: number | null;
  depth: number;
  authorName: string;
  authorUrl: string;
  body: string;
  /** The text's HTML as stored when it was written; null: draw it from `body`. */
  bodyHtml: string | null;
  createdAt: string;
  fromNewsroom: boolean;
  status: 'approved' | 'pending';
}

/** An editor's pick as the story shows it above the thread. */
export type PickedComment = Pick<PublicComment, 'id' | 'authorName' | 'body' | 'bodyHtml'>;

export type PostResult =
  | { kind: 'stored'; id: number; status: Decision['status']; article: Article; pendingHash: string }
  /** A robot filled in the honeypot: nothing stored, answered as if held. */
  | { kind: 'discarded'; article: Article };

/** Why a form token was refused, in the reader's words. */
const TOKEN_MESSAGES: Record<Exclude<TokenCheck, { ok: true }>['problem'] | 'reused', string> = {
  missing: 'Please check your comment and post it again.',
  forged: 'This comment form is not valid any more. Please post your comment again.',
  other_story: 'This comment form belongs to another story. Please post your comment again.',
  too_fast: 'That was very fast. Please check your comment, then post it again.',
  expired: 'This comment form has expired. Please post your comment again.',
  reused: 'This comment form was already used. Please post your comment again.',
};

export class TokenRefused extends AppError {
  constructor(readonly problem: keyof typeof TOKEN_MESSAGES) {
    super('invalid_input', TOKEN_MESSAGES[problem], [{ field: FIELDS.token, message: TOKEN_MESSAGES[problem] }]);
  }
}

export class CommentService {
  /** Called in the transaction that stores a held comment (the moderators' digest is queued there). */
  onHeld: ((trx: Db) => Promise<void>) | undefined;
  private secretMemo: Promise<string> | undefined;
  private settingsMemo: Promise<CommentSettings> | undefined;

  constructor(
    private readonly repository: CommentRepository,
    private readonly stories: PublishedStories,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
    private readonly spam: SpamModel,
    /** The Akismet-compatible check, when one is configured. */
    private readonly akismet?: AkismetCheck,
  ) {
    changes.onChange((tags) => {
      if (tags.includes(commentTags.settings)) this.settingsMemo = undefined;
    });
  }

  /** The key that signs form tokens and pending-view links (and keys reporters): made once, shared by every process. */
  secret(): Promise<string> {
    this.secretMemo ??= this.repository.settingOrCreate('form_secret', () => randomBytes(32).toString('base64url'));
    return this.secretMemo;
  }

  settings(): Promise<CommentSettings> {
    this.settingsMemo ??= this.repository.settings().then(settingsFromRows, () => {
      this.settingsMemo = undefined;
      return DEFAULT_SETTINGS;
    });
    return this.settingsMemo;
  }

  /** A story readers can see now, or undefined. */
  async liveStory(articleId: number): Promise<Article | undefined> {
    const article = await this.stories.findById(articleId);
    if (!article || article.status !== 'published' || !article.publishedAt) return undefined;
    return new Date(article.publishedAt).getTime() <= this.clock.now().getTime() ? article : undefined;
  }

  /** Open unless the newsroom closed it, or the auto-close period has passed since publication. */
  async isOpen(article: Pick<Article, 'id' | 'publishedAt'>): Promise<boolean> {
    const [stored, settings] = await Promise.all([this.repository.threadOpen(article.id), this.settings()]);
    if (stored !== undefined) return stored;
    if (settings.autoCloseDays === 0 || !article.publishedAt) return true;
    return this.clock.now().getTime() < new Date(article.publishedAt).getTime() + settings.autoCloseDays * 24 * HOUR;
  }

  async setOpen(articleId: number, open: boolean): Promise<void> {
    if (!(await this.stories.findById(articleId))) throw notFound('There is no such story.');
    const change = await this.repository.transaction(async (trx) => {
      await this.repository.setThreadOpen(trx, articleId, open);
      return this.changes.record(trx, [commentTags.thread(articleId)]);
    });
    this.changes.applied(change);
  }

  /** A fresh form token for a story readers can comment on. */
  async formToken(articleId: number): Promise<string> {
    const article = await this.liveStory(articleId);
    if (!article) throw notFound('There is no such story.');
    if (!(await this.isOpen(article))) throw new AppError('comments_closed', 'Comments are closed.');
    return issueToken(await this.secret(), articleId, this.clock.now().getTime());
  }

  /**
   * Counts one posting attempt from an address and refuses it (429) past the limits. The form's
   * route calls it before the body is read, so a flood costs one counter upsert per post (and a
   * read of the hour's counters while under the minute's limit).
   */
  async admit(ip: string): Promise<void> {
    const now = this.clock.now();
    if ((await this.repository.defences.countAttempt(`ip:${ip}`, minuteOf(now))) > RATE_LIMITS.ipPerMinute) throw rateLimited();
    if ((await this.repository.defences.attemptsSince(`ip:${ip}`, minuteOf(new Date(now.getTime() - HOUR + MINUTE)))) > RATE_LIMITS.ipPerHour) throw rateLimited();
  }

  /**
   * Takes a comment from the form: checks the rate limits (every attempt counts; the address's
   * already, when `admitted`), the story, the parent, the honeypot and the form token, then stores
   * it with the moderation decision. Any refusal stores nothing but the attempt.
   */
  async post(input: CommentInput, ip: string, options: { admitted?: boolean; userAgent?: string; referrer?: string } = {}): Promise<PostResult> {
    const now = this.clock.now();
    if (!options.admitted) await this.admit(ip);
    if ((await this.repository.defences.countAttempt(`email:${input.email}`, minuteOf(now))) > RATE_LIMITS.emailPerMinute) throw rateLimited();

    const article = await this.liveStory(input.articleId);
    if (!article) throw notFound('This story does not exist or is not published.');
    const settings = await this.settings();
    if (!(await this.isOpen(article))) throw new AppError('comments_closed', 'Comments are closed on this story.');
    const { depth, threadId } = await this.placeOfReply(input, article.id, settings);

    if (input.honeypot) return { kind: 'discarded', article };
    const secret = await this.secret();
    const check = checkToken(secret, input.token, article.id, now.getTime());
    if (!check.ok) throw new TokenRefused(check.problem);

    const local = await this.assess(input, ip, now);
    const decision = local.status === 'spam' || !this.akismet ? local : await this.withAkismet(local, input, ip, articlePath(article), options);
    const id = await this.repository.transaction(async (trx) => {
      if (!(await this.repository.defences.useToken(trx, check.claims.nonce, now.toISOString()))) throw new TokenRefused('reused');
      const commentId = await this.repository.insert(trx, {
        articleId: article.id,
        parentId: input.parentId,
        threadId,
        depth,
        status: decision.status,
        authorName: input.authorName,
        authorEmail: input.email,
        authorUrl: input.url,
        body: input.text,
        bodyHtml: commentHtml(input.text),
        bodyHash: bodyHash(input.text),
        ip,
        reasons: decision.reasons,
        spamScore: decision.score,
        trainedAs: null,
        origin: 'reader',
        at: now.toISOString(),
      });
      if (decision.status === 'pending') await this.onHeld?.(trx);
      const change = decision.status === 'approved' ? await this.changes.record(trx, [commentTags.thread(article.id)]) : null;
      return { commentId, change };
    });
    if (id.change) this.changes.applied(id.change);
    const pendingHash = pendingViewHash(secret, id.commentId, now.getTime() + PENDING_VIEW_MS);
    return { kind: 'stored', id: id.commentId, status: decision.status, article, pendingHash };
  }

  /**
   * The moderation decision for this comment, as it would be taken now (nothing is stored): its
   * author's history, recent comments from the address, duplicates, the classifier, the rules.
   */
  async assess(input: Pick<CommentInput, 'text' | 'authorName' | 'email' | 'url'>, ip: string, now = this.clock.now()): Promise<Decision & { score: number }> {
    const since = (ms: number) => new Date(now.getTime() - ms).toISOString();
    const [settings, history, recentFromIp, duplicate, score] = await Promise.all([
      this.settings(),
      this.repository.history(input.email, input.authorName),
      ip ? this.repository.defences.countFromIpSince(ip, since(10 * MINUTE)) : Promise.resolve(0),
      this.repository.defences.duplicateSince(bodyHash(input.text), since(DUPLICATE_WINDOW_MS)),
      this.spam.score(input.text, input.url),
    ]);
    const decision = decide(
      {
        text: input.text,
        authorName: input.authorName,
        email: input.email,
        url: input.url,
        ip,
        links: linkCount(input.text),
        returning: history.approvedSameName > 0,
        approvedCount: history.approved,
        rejectedCount: history.rejected,
        recentFromIp,
        duplicate,
        spamProbability: score,
      },
      settings,
    );
    return { ...decision, score };
  }

  /** The local decision, made spam when the configured Akismet-compatible service says so. */
  private async withAkismet(local: Decision & { score: number }, input: CommentInput, ip: string, permalink: string, headers: { userAgent?: string; referrer?: string }): Promise<Decision & { score: number }> {
    const verdict = await this.akismet!.check({ ip, userAgent: headers.userAgent ?? '', referrer: headers.referrer ?? '', permalink, authorName: input.authorName, email: input.email, url: input.url, text: input.text });
    if ('error' in verdict) return { ...local, reasons: [...local.reasons, 'akismet unavailable'] };
    if (!verdict.spam) return local;
    return { status: 'spam', score: local.score, reasons: verdict.discard ? ['akismet', 'akismet: blatant (discard)'] : ['akismet'] };
  }

  /**
   * The decision for a first-time commenter on an open story (no history, no recent comments, no
   * duplicate): what `bulletin comments check` prints. Reads the settings and the classifier only.
   */
  async assessFirstTime(input: Pick<CommentInput, 'text' | 'authorName' | 'email' | 'url'>, ip: string): Promise<Decision & { score: number }> {
    const [settings, score] = await Promise.all([this.settings(), this.spam.score(input.text, input.url)]);
    const signals = { ...input, ip, links: linkCount(input.text), returning: false, approvedCount: 0, rejectedCount: 0, recentFromIp: 0, duplicate: false, spamProbability: score };
    return { ...decide(signals, settings), score };
  }

  /** A reply's depth and thread, after checking that its parent is an approved comment of the same story within the limit. */
  private async placeOfReply(input: CommentInput, articleId: number, settings: CommentSettings): Promise<{ depth: number; threadId: number | null }> {
    if (input.parentId === null) return { depth: 1, threadId: null };
    const parent = await this.repository.find(input.parentId);
    if (!parent || parent.articleId !== articleId || parent.status !== 'approved') {
      throw invalidInput([{ field: FIELDS.parentId, message: 'The comment you are replying to is not on this story, or not published.' }]);
    }
    if (parent.depth >= settings.depthLimit) {
      throw invalidInput([{ field: FIELDS.parentId, message: `Replies can nest only ${settings.depthLimit} levels deep; reply further up the thread.` }]);
    }
    return { depth: parent.depth + 1, threadId: parent.threadId };
  }

  /**
   * A page of a story's thread: the approved comments of its first THREADS_PER_PAGE top-level
   * threads after top-level id `after`, oldest first, plus the one held comment its author may see.
   */
  async thread(articleId: number, options: { pendingId?: number; after?: number; threads: number }): Promise<{ comments: PublicComment[]; picks: PickedComment[]; total: number; more: boolean }> {
    const [page, total, picked] = await Promise.all([
      this.repository.approvedThreads(articleId, options.threads, options.after),
      this.repository.approvedCount(articleId),
      options.after === undefined ? this.repository.pickedOf(articleId) : Promise.resolve([]),
    ]);
    const picks = picked.map((c) => ({ id: c.id, authorName: c.authorName, body: c.body, bodyHtml: c.bodyHtml }));
    const comments = page.comments.map((c) => toPublic(c, 'approved'));
    const pending = options.pendingId === undefined ? undefined : await this.repository.find(options.pendingId);
    if (pending && pending.articleId === articleId && pending.status === 'pending') comments.push(toPublic({ ...pending, bodyHtml: null, fromNewsroom: false }, 'pending'));
    return { comments: comments.sort((a, b) => a.id - b.id), picks, total, more: page.more };
  }

  counts(articleIds: readonly number[]): Promise<Map<number, number>> {
    return this.repository.approvedCounts(articleIds);
  }

  /** The held comment id a story's `?unapproved=…&moderation-hash=…` names, when the hash is good. */
  async pendingFromQuery(query: { unapproved?: number; 'moderation-hash'?: string }): Promise<number | undefined> {
    const id = query.unapproved;
    const hash = query['moderation-hash'];
    if (!id || !hash) return undefined;
    return checkPendingViewHash(await this.secret(), id, hash, this.clock.now().getTime()) ? id : undefined;
  }

  /** A comment readers may see (to reply to it), or undefined. */
  async approvedComment(id: number): Promise<PublicComment & { articleId: number } | undefined> {
    const comment = await this.repository.find(id);
    return comment && comment.status === 'approved' ? { ...toPublic({ ...comment, bodyHtml: null, fromNewsroom: comment.origin === 'newsroom' }, 'approved'), articleId: comment.articleId } : undefined;
  }
}

function toPublic(c: ShownComment, status: 'approved' | 'pending'): PublicComment {
  return {
    id: c.id,
    parentId: c.parentId,
    depth: c.depth,
    authorName: c.authorName,
    authorUrl: c.authorUrl,
    body: c.body,
    bodyHtml: c.bodyHtml,
    createdAt: c.createdAt,
    fromNewsroom: c.fromNewsroom,
    status,
  };
}

const rateLimited = () => new AppError('rate_limited', 'You are commenting too quickly. Please wait a minute and try again.');

/** The minute a rate-limit counter counts: "2026-12-02T10:41". */
export const minuteOf = (at: Date) => at.toISOString().slice(0, 16);
