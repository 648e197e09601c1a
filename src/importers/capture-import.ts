// Turns a parsed capture into a story: finds or creates its section, registers its video clips,
// and creates the story or — when the same capture was imported before — updates it in place.
import type { BlockNode, BodyDoc } from '../articles/body.ts';
import { heading, paragraph } from '../articles/body.ts';
import { articlePath, type ArticleInput, type Credit } from '../articles/model.ts';
import type { ArticleService } from '../articles/article-service.ts';
import { slugify } from '../articles/slug.ts';
import type { VideoService } from '../media/video/video-service.ts';
import { parseCapture, type ParsedBlock, type ParsedCapture } from './capture-parser.ts';

export interface CaptureImporterDeps {
  articles: ArticleService;
  videos: VideoService;
}

export interface ImportResult {
  articleId: number;
  /** Site-relative path of the story, e.g. /national/some-headline */
  url: string;
  created: boolean;
  headline: string;
  section: string;
}

/** What `--dry-run --json` prints: the parse, with an empty credit rather than null. */
export interface DryRunResult {
  site: string | null;
  section: string;
  headline: string;
  blocks: ParsedBlock[];
  credit: Credit;
}

const noCredit = (): Credit => ({ text: '', contributors: [], agencies: [] });

export class CaptureImporter {
  constructor(private readonly deps: CaptureImporterDeps) {}

  /** Parses only; writes nothing. Throws CaptureError on bad input, like an import would. */
  dryRun(text: string): DryRunResult {
    return dryRunCapture(text);
  }

  async importText(text: string, opts: { fileName: string; publish: boolean }): Promise<ImportResult> {
    // fileName is for callers' messages; the capture's identity comes from its content, so the
    // same story re-captured under another file name still updates the same article.
    const parsed = parseCapture(text);
    const sectionSlug = await this.sectionSlugFor(parsed.section);
    const sourceKey = captureSourceKey(parsed.headline, sectionSlug);
    const existingId = await this.deps.articles.findIdBySourceKey(sourceKey);
    const input = await this.toArticleInput(parsed, { publish: opts.publish, sourceKey, sectionSlug });
    // An update without --publish keeps the story's status: re-importing a correction must not
    // silently take a published story off the site.
    if (existingId !== undefined && !opts.publish) delete input.status;
    const article = await this.deps.articles.save(input, existingId === undefined ? {} : { id: existingId });
    return {
      articleId: article.id,
      url: articlePath(article),
      created: existingId === undefined,
      headline: article.headline,
      section: article.section.name,
    };
  }

  /**
   * The story to save. Registers the clips it names with the media library (so this is not pure),
   * and finds or creates the section unless the caller resolved it already.
   */
  async toArticleInput(
    parsed: ParsedCapture,
    opts: { publish: boolean; sourceKey: string; sectionSlug?: string },
  ): Promise<ArticleInput> {
    const content: BlockNode[] = [];
    for (const block of parsed.blocks) content.push(await this.toNode(block));
    const body: BodyDoc = { type: 'doc', content };
    return {
      headline: parsed.headline,
      sectionSlug: opts.sectionSlug ?? (await this.sectionSlugFor(parsed.section)),
      body,
      status: opts.publish ? 'published' : 'draft',
      // Always sent, so a re-import whose credit line was removed clears the old credit.
      credit: parsed.credit ?? noCredit(),
      sourceKey: opts.sourceKey,
    };
  }

  private async toNode(block: ParsedBlock): Promise<BlockNode> {
    switch (block.type) {
      case 'paragraph':
        return paragraph(block.text);
      case 'heading':
        return heading(block.text, 2);
      case 'video': {
        const videoId = await this.deps.videos.ensureReference(block.title, block.caption);
        return { type: 'video', attrs: { videoId, title: block.title, caption: block.caption } };
      }
    }
  }

  /** The slug of the section named in the capture, matched by name or slug; created when missing. */
  private async sectionSlugFor(name: string): Promise<string> {
    const wanted = slugify(name);
    const sections = await this.deps.articles.sections();
    const found =
      sections.find((s) => s.name.toLowerCase() === name.toLowerCase()) ?? sections.find((s) => s.slug === wanted);
    if (found) return found.slug;
    return (await this.deps.articles.createSection({ name })).slug;
  }
}

/** What an import of this text would save, without services: a dry run needs no database. */
export function dryRunCapture(text: string): DryRunResult {
  const parsed = parseCapture(text);
  return {
    site: parsed.site,
    section: parsed.section,
    headline: parsed.headline,
    blocks: parsed.blocks,
    credit: parsed.credit ?? noCredit(),
  };
}

/** Identity of a capture: the same story in the same section, however its body was edited since. */
export function captureSourceKey(headline: string, sectionSlug: string): string {
  return `capture:${slugify(headline)}:${sectionSlug}`;
}
