// Carries out story plans through the services: finds or creates the section and the author
// profiles, brings the pictures into the media library, and creates the story or updates the one
// an earlier run made. Each story is one transaction together with its ledger row and its old
// addresses. A story edited in the newsroom since the last run is left alone, and said so.
import { createHash } from 'node:crypto';
import type { ArticleService } from '../../articles/article-service.ts';
import type { AuthorService } from '../../articles/author-service.ts';
import { MAX_BODY_BLOCKS, type BlockNode, type BodyDoc } from '../../articles/body.ts';
import { articlePath, type Article, type ArticleInput, type LeadImage } from '../../articles/model.ts';
import type { CommentImport } from '../../comments/comment-import.ts';
import type { ImportedComment, ImportOutcome } from '../../comments/imported-comment.ts';
import type { VideoService } from '../../media/video/video-service.ts';
import type { Change } from '../../platform/changes.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { WordpressLedger } from './wordpress-ledger.ts';
import type { MediaResolver } from './wp-media.ts';
import { categoryUrls, type SectionPlan, type StoryPlan } from './wp-plan.ts';

export interface WordpressImporterDeps {
  articles: ArticleService;
  authors: AuthorService;
  videos: VideoService;
  /** The comments feature's import entry point (its rows are its own). */
  comments: CommentImport;
  db: Db;
  now?: () => Date;
}

export type StoryOutcome =
  | { outcome: 'created' | 'updated' | 'unchanged'; url: string; dropped: string[]; notes: string[]; comments: ImportOutcome }
  | { outcome: 'left-alone'; url: string; reason: string; comments: ImportOutcome }
  | { outcome: 'failed'; reason: string };

export class WordpressImporter {
  private readonly sections = new Map<string, Promise<string>>();
  private readonly ledger: WordpressLedger;

  constructor(private readonly deps: WordpressImporterDeps) {
    this.ledger = new WordpressLedger(deps.db);
  }

  /**
   * Imports one story with its comments. Comments come in on every run, whatever became of the
   * story: one already imported (by its WordPress comment id) is never written again, so a
   * moderator's later decision stands, and new ones reach a story the newsroom has edited since
   * (the edit was to the story; the comments are its readers').
   */
  async importStory(plan: StoryPlan, media: MediaResolver, comments: readonly ImportedComment[] = []): Promise<StoryOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(plan, media, comments);
      } catch (error) {
        if (error instanceof AppError) return { outcome: 'failed', reason: error.details.map((d) => d.message).join(' ') };
        // SQLite refuses a transaction that read before another process (the running site) wrote;
        // it was rolled back whole, so it is safe to run again.
        if (isBusy(error) && attempt < BUSY_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
          continue;
        }
        throw error;
      }
    }
  }

  private async write(plan: StoryPlan, media: MediaResolver, comments: readonly ImportedComment[]): Promise<StoryOutcome> {
    const { articles } = this.deps;
    const existingId = await articles.findIdBySourceKey(plan.sourceKey);
    const existing = existingId === undefined ? undefined : await articles.findById(existingId);
    const imported = await this.ledger.post(plan.sourceKey);
    if (existing && imported && editedSince(existing, imported)) {
      const added = await this.deps.comments.importComments(existing.id, comments);
      return { outcome: 'left-alone', url: articlePath(existing), reason: `edited in Bulletin since the last import (version ${imported.articleVersion} then, ${existing.version} now)`, comments: added };
    }
    // What WordPress says of the post, before files: an unchanged post costs one look-up per run.
    // Its comments are not the story: new ones come in without rewriting it.
    const contentHash = createHash('sha256').update(JSON.stringify({ ...plan, notes: undefined, comments: undefined })).digest('hex');
    if (existing && imported?.contentHash === contentHash) {
      return { outcome: 'unchanged', url: articlePath(existing), dropped: [], notes: [], comments: await this.deps.comments.importComments(existing.id, comments) };
    }

    const dropped = [...plan.body.dropped];
    const notes = [...plan.notes];
    const goingPublic = plan.status === 'published' || plan.status === 'scheduled';
    const sectionSlug = await this.sectionSlug(plan.section);
    const authorSlugs: string[] = [];
    for (const author of plan.authors) authorSlugs.push(await this.authorSlug(author));
    const body = await this.body(plan, media, goingPublic, dropped);
    const leadImage = await this.leadImage(plan, media, goingPublic, notes);

    const input: ArticleInput = {
      headline: plan.title,
      dek: plan.dek,
      slug: plan.slug,
      sectionSlug,
      body,
      status: plan.status,
      publishedAt: plan.publishedAt,
      authorSlugs,
      topicNames: plan.topics,
      leadImage,
      sourceKey: plan.sourceKey,
    };
    const at = (this.deps.now?.() ?? new Date()).toISOString();
    let added: (ImportOutcome & { change: Change | null }) | undefined;
    const article = await articles.save(input, {
      ...(existing ? { id: existing.id, expectedVersion: existing.version } : {}),
      slugIsSuggestion: true,
      within: async (trx, saved) => {
        const ledger = new WordpressLedger(trx);
        await ledger.putPost(plan.sourceKey, { articleId: saved.id, articleVersion: saved.version, importedStatus: saved.status, contentHash }, at);
        for (const url of plan.oldUrls) {
          if (url !== articlePath(saved)) await ledger.putRedirect(url, { articleId: saved.id }, 'wordpress', at);
        }
        for (const url of categoryUrls(plan.section)) await ledger.putRedirect(url, { sectionId: saved.section.id }, 'wordpress', at);
        // The story and its comments commit together: a failure leaves neither.
        added = await this.deps.comments.importInto(trx, saved.id, comments);
      },
    });
    const { change, ...commentOutcome } = added!;
    this.deps.comments.importApplied(change);
    return { outcome: existing ? 'updated' : 'created', url: articlePath(article), dropped, notes, comments: commentOutcome };
  }

  /** The section a category names: matched by slug or name, else created (once per run). */
  private sectionSlug(plan: SectionPlan): Promise<string> {
    let found = this.sections.get(plan.slug);
    if (!found) {
      found = (async () => {
        const all = await this.deps.articles.sections();
        const match = all.find((s) => s.slug === plan.slug) ?? all.find((s) => s.name.toLowerCase() === plan.name.toLowerCase());
        return match ? match.slug : (await this.deps.articles.createSection({ name: plan.name, slug: plan.slug })).slug;
      })();
      found.catch(() => this.sections.delete(plan.slug));
      this.sections.set(plan.slug, found);
    }
    return found;
  }

  /** An existing profile with the name's slug is used as it is (its bio and photo are the newsroom's). */
  private async authorSlug(author: { name: string; slug: string }): Promise<string> {
    const existing = await this.deps.articles.authorBySlug(author.slug);
    if (existing) return existing.slug;
    return (await this.deps.authors.save({ name: author.name, slug: author.slug })).slug;
  }

  private async body(plan: StoryPlan, media: MediaResolver, goingPublic: boolean, dropped: string[]): Promise<BodyDoc> {
    const content: BlockNode[] = [];
    for (const block of plan.body.blocks) {
      if (block.type === 'imageRef') {
        const attachment = media.attachmentFor(block);
        const caption = (block.caption || attachment?.caption || '').slice(0, 1000);
        // The library record is the attachment: its own alt text and caption; the story keeps its caption.
        const resolved = await media.image(attachment?.url ?? block.src, { alt: attachment?.alt || block.alt, caption: attachment?.caption || caption, title: attachment?.title ?? '' });
        if ('problem' in resolved) dropped.push(`image ${resolved.problem}`);
        else if (goingPublic && !resolved.alt) dropped.push(`image ${shortFile(block.src)}: it has no alt text (it is in the media library; add alt text there and place it again)`);
        else content.push({ type: 'image', attrs: { imageId: resolved.imageId, ...(caption ? { caption } : {}) } });
      } else if (block.type === 'videoRef') {
        const attachment = media.attachmentFor({ src: block.src });
        const title = (attachment?.title || shortFile(block.src) || 'Video').slice(0, 300);
        const videoId = await this.deps.videos.ensureReference(title, block.caption);
        content.push({ type: 'video', attrs: { videoId, title, caption: block.caption } });
      } else content.push(block);
    }
    if (content.length > MAX_BODY_BLOCKS) {
      dropped.push(`${content.length - MAX_BODY_BLOCKS} blocks past the limit of ${MAX_BODY_BLOCKS} per story`);
      content.length = MAX_BODY_BLOCKS;
    }
    return { type: 'doc', content };
  }

  private async leadImage(plan: StoryPlan, media: MediaResolver, goingPublic: boolean, notes: string[]): Promise<LeadImage | null> {
    const attachment = plan.leadImage;
    if (!attachment) return null;
    const resolved = await media.image(attachment.url, { alt: attachment.alt, caption: attachment.caption, title: attachment.title });
    if ('problem' in resolved) {
      notes.push(`featured image left out: ${resolved.problem}`);
      return null;
    }
    if (goingPublic && !resolved.alt) {
      notes.push('featured image left out: it has no alt text (it is in the media library; add alt text there and choose it again)');
      return null;
    }
    return { imageId: resolved.imageId, url: '', alt: resolved.alt, caption: attachment.caption, credit: '' };
  }
}

/**
 * Whether the newsroom changed the story after the last import. The scheduler publishing a
 * story the import scheduled is not an edit.
 */
function editedSince(article: Article, imported: { articleVersion: number; importedStatus: string }): boolean {
  if (article.version === imported.articleVersion) return false;
  return !(imported.importedStatus === 'scheduled' && article.status === 'published' && article.version === imported.articleVersion + 1);
}

const BUSY_ATTEMPTS = 8;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function shortFile(src: string): string {
  try {
    return decodeURIComponent(new URL(src, 'http://wordpress.invalid').pathname.split('/').pop() ?? '');
  } catch {
    return '';
  }
}
