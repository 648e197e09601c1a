// The article body: a ProseMirror JSON document of typed blocks. This file checks a document that
// came from outside (editor, API, import) against the allowed node and mark types, and offers
// the small pure transforms the site needs (plain text, excerpts).
import type { FieldError } from '../platform/errors.ts';

export interface TextMark {
  type: 'bold' | 'italic' | 'link' | 'code' | 'strike';
  attrs?: { href?: string };
}
export interface TextNode {
  type: 'text';
  text: string;
  marks?: TextMark[];
}
export interface HardBreakNode {
  type: 'hardBreak';
}
export type InlineNode = TextNode | HardBreakNode;

export interface ParagraphNode {
  type: 'paragraph';
  content?: InlineNode[];
}
export interface HeadingNode {
  type: 'heading';
  attrs: { level: 2 | 3 | 4 };
  content?: InlineNode[];
}
export interface BlockquoteNode {
  type: 'blockquote';
  content: (ParagraphNode | HeadingNode)[];
}
export interface ListItemNode {
  type: 'listItem';
  content: (ParagraphNode | BulletListNode | OrderedListNode)[];
}
export interface BulletListNode {
  type: 'bulletList';
  content: ListItemNode[];
}
export interface OrderedListNode {
  type: 'orderedList';
  attrs?: { start?: number };
  content: ListItemNode[];
}
export interface HorizontalRuleNode {
  type: 'horizontalRule';
}
/** A video clip in the story; `videoId` points at the media library once the clip exists there. */
export interface VideoNode {
  type: 'video';
  attrs: { videoId: number | null; title: string; caption: string };
}

/**
 * A picture from the media library. Its alt text and credit belong to the library record (so a
 * fix there reaches every story using it); `caption` is this story's own, and when empty the
 * library's caption shows.
 */
export interface ImageNode {
  type: 'image';
  attrs: { imageId: number; caption?: string };
}

export type BlockNode =
  | ParagraphNode
  | HeadingNode
  | BlockquoteNode
  | BulletListNode
  | OrderedListNode
  | HorizontalRuleNode
  | VideoNode
  | ImageNode;

export interface BodyDoc {
  type: 'doc';
  content: BlockNode[];
}

export const MAX_BODY_BLOCKS = 2000;
export const MAX_TEXT_LENGTH = 20000;
export const MAX_CAPTION_LENGTH = 1000;

/** Returns the document typed, or the problems found in it (empty list: none). */
export function checkBody(input: unknown): { doc?: BodyDoc; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (where: string, message: string) => {
    if (errors.length < 10) errors.push({ field: 'body', message: `Body ${where}: ${message}` });
  };
  if (!isObject(input) || input.type !== 'doc' || !Array.isArray(input.content)) {
    return { errors: [{ field: 'body', message: 'Body must be a ProseMirror document: {"type":"doc","content":[…]}.' }] };
  }
  if (input.content.length > MAX_BODY_BLOCKS) {
    return { errors: [{ field: 'body', message: `Body has ${input.content.length} blocks; the limit is ${MAX_BODY_BLOCKS}.` }] };
  }
  input.content.forEach((block, i) => checkBlock(block, `block ${i + 1}`, fail, 0));
  return errors.length ? { errors } : { doc: input as unknown as BodyDoc, errors };
}

type Fail = (where: string, message: string) => void;

/** Lists beyond this start number are not news; the bound keeps the attribute sane. */
const MAX_LIST_START = 100_000;

function checkBlock(node: unknown, where: string, fail: Fail, depth: number): void {
  if (depth > 8) return fail(where, 'is nested too deeply');
  if (!isObject(node)) return fail(where, 'is not a node object');
  switch (node.type) {
    case 'paragraph':
      return checkInline(node.content, where, fail, true);
    case 'heading': {
      const level = isObject(node.attrs) ? node.attrs.level : undefined;
      if (level !== 2 && level !== 3 && level !== 4) fail(where, 'heading level must be 2, 3 or 4');
      return checkInline(node.content, where, fail, true);
    }
    case 'blockquote':
    case 'bulletList':
    case 'orderedList':
    case 'listItem': {
      if (!Array.isArray(node.content) || node.content.length === 0) return fail(where, `${node.type} needs content`);
      if (node.type === 'orderedList' && node.attrs !== undefined) {
        const start = isObject(node.attrs) ? node.attrs.start : undefined;
        if (start !== undefined && !(Number.isInteger(start) && (start as number) >= 0 && (start as number) <= MAX_LIST_START)) {
          fail(where, `a numbered list starts at a whole number from 0 to ${MAX_LIST_START}`);
        }
      }
      const allowed: Record<string, string[]> = {
        blockquote: ['paragraph', 'heading'],
        bulletList: ['listItem'],
        orderedList: ['listItem'],
        listItem: ['paragraph', 'bulletList', 'orderedList'],
      };
      node.content.forEach((child, i) => {
        const type = isObject(child) ? child.type : undefined;
        if (typeof type !== 'string' || !allowed[node.type as string]!.includes(type)) {
          fail(`${where}.${i + 1}`, `${String(type)} is not allowed inside ${String(node.type)}`);
        } else checkBlock(child, `${where}.${i + 1}`, fail, depth + 1);
      });
      return;
    }
    case 'horizontalRule':
      return;
    case 'video': {
      const attrs = isObject(node.attrs) ? node.attrs : {};
      if (typeof attrs.title !== 'string' || !attrs.title.trim()) fail(where, 'video needs a title');
      if (attrs.caption !== undefined && typeof attrs.caption !== 'string') fail(where, 'video caption must be text');
      if (attrs.videoId !== undefined && attrs.videoId !== null && !Number.isInteger(attrs.videoId)) {
        fail(where, 'videoId must be a whole number or null');
      }
      return;
    }
    case 'image': {
      const attrs = isObject(node.attrs) ? node.attrs : {};
      if (!Number.isInteger(attrs.imageId) || (attrs.imageId as number) < 1) fail(where, 'image needs the id of a media-library image');
      if (attrs.caption !== undefined && typeof attrs.caption !== 'string') fail(where, 'image caption must be text');
      else if (typeof attrs.caption === 'string' && attrs.caption.length > MAX_CAPTION_LENGTH) {
        fail(where, `an image caption is at most ${MAX_CAPTION_LENGTH} characters`);
      }
      return;
    }
    default:
      return fail(where, `unknown block type "${String(node.type)}"`);
  }
}

function checkInline(content: unknown, where: string, fail: Fail, optional: boolean): void {
  if (content === undefined && optional) return;
  if (!Array.isArray(content)) return fail(where, 'content must be a list of text nodes');
  content.forEach((node, i) => {
    if (!isObject(node)) return fail(where, `inline ${i + 1} is not a node object`);
    if (node.type === 'hardBreak') return;
    if (node.type !== 'text') return fail(where, `inline type "${String(node.type)}" is not allowed`);
    if (typeof node.text !== 'string' || node.text.length === 0) return fail(where, 'text nodes need non-empty text');
    if (node.text.length > MAX_TEXT_LENGTH) return fail(where, `a text run is longer than ${MAX_TEXT_LENGTH} characters`);
    if (node.marks === undefined) return;
    if (!Array.isArray(node.marks)) return fail(where, 'marks must be a list');
    // As ProseMirror allows: each mark at most once on a text run (so a run has at most five).
    const seen = new Set<unknown>();
    for (const mark of node.marks) {
      const type = isObject(mark) ? mark.type : undefined;
      if (seen.has(type)) return fail(where, `a text run has the mark "${String(type)}" more than once`);
      seen.add(type);
      if (!isObject(mark) || !['bold', 'italic', 'link', 'code', 'strike'].includes(mark.type as string)) {
        fail(where, `mark "${String(isObject(mark) ? mark.type : mark)}" is not allowed`);
      } else if (mark.type === 'link') {
        const href = isObject(mark.attrs) ? mark.attrs.href : undefined;
        if (typeof href !== 'string' || !isSafeHref(href)) fail(where, 'links must be http(s), mailto or site-relative');
      }
    }
  });
}

/** http(s), mailto, #fragment or a path on this site (not `//host` or `/\host`, which browsers read as another site). */
export function isSafeHref(href: string): boolean {
  return /^(https?:\/\/|mailto:|\/(?![/\\])|#)/i.test(href.trim());
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function inlineText(content: InlineNode[] | undefined): string {
  return (content ?? []).map((n) => (n.type === 'text' ? n.text : '\n')).join('');
}

/** Plain text of a block, for excerpts, search and feeds. */
export function blockText(block: BlockNode): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlineText(block.content);
    case 'video':
      return block.attrs.title;
    case 'image':
      return block.attrs.caption ?? '';
    case 'horizontalRule':
      return '';
    default:
      return block.content.map((child) => blockText(child as BlockNode)).join('\n');
  }
}

/** The first paragraphs' text, cut at a word boundary to at most `max` characters. */
export function excerpt(doc: BodyDoc, max = 200): string {
  // Only as many paragraphs as the excerpt needs: bodies can be long and this runs per render.
  let text = '';
  for (const block of doc.content) {
    if (block.type !== 'paragraph') continue;
    text = `${text} ${blockText(block)}`;
    if (text.length > max + 1) break;
  }
  text = text.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** The media-library images the body shows, each once, in order of first appearance. */
export function bodyImageIds(doc: BodyDoc): number[] {
  return [...new Set(doc.content.flatMap((b) => (b.type === 'image' ? [b.attrs.imageId] : [])))];
}

/** The library clips the body shows, each once, in order of first appearance. */
export function bodyVideoIds(doc: BodyDoc): number[] {
  return [...new Set(doc.content.flatMap((b) => (b.type === 'video' && b.attrs.videoId !== null ? [b.attrs.videoId] : [])))];
}

export function paragraph(text: string): ParagraphNode {
  return text ? { type: 'paragraph', content: [{ type: 'text', text }] } : { type: 'paragraph' };
}

export function heading(text: string, level: 2 | 3 | 4 = 2): HeadingNode {
  return { type: 'heading', attrs: { level }, content: [{ type: 'text', text }] };
}
