// A WordPress post body (Gutenberg block markup or classic-editor HTML) as our story body. The HTML
// is parsed by parse5 (as a browser would); only what the body schema holds is kept: paragraphs,
// headings, lists, quotes, rules, bold/italic/code/strike/links, images and video references.
// Scripts, styles, iframes and every attribute but href/src/alt never get through. Whatever is
// left out is counted in `dropped`, so the import report says what each story lost.
// Pictures and clips come out as references (`imageRef`, `videoRef`): turning them into media
// library items needs files, which is the importer's work (wp-media.ts), not this pure function's.
import { parseFragment, type DefaultTreeAdapterTypes as T } from 'parse5';
import { isSafeHref, MAX_TEXT_LENGTH, type BlockNode, type InlineNode, type ParagraphNode, type TextMark } from '../../articles/body.ts';
import { closingShortcodes, expandStructuralShortcodes, stripShortcodes } from './wp-shortcodes.ts';

export interface ImageRef {
  type: 'imageRef';
  src: string;
  /** From Gutenberg's "wp-image-123" class: the attachment's post id. */
  attachmentId?: string;
  alt: string;
  caption: string;
}
export interface VideoRef {
  type: 'videoRef';
  src: string;
  caption: string;
}
export type ImportedBlock = BlockNode | ImageRef | VideoRef;

export interface ConvertedBody {
  blocks: ImportedBlock[];
  /** What could not be kept, with how often: "script ×2", "shortcode [gallery]". */
  dropped: string[];
}

const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'img', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr']);
/** Never content: dropped whole, with what they hold. */
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'select', 'textarea', 'svg', 'math', 'canvas', 'audio', 'link', 'meta', 'map', 'frame', 'frameset', 'applet']);
const MARKS: Record<string, TextMark['type']> = { b: 'bold', strong: 'bold', i: 'italic', em: 'italic', code: 'code', kbd: 'code', s: 'strike', del: 'strike', strike: 'strike' };
const EMBED_HOSTS = /^(?:www\.|m\.)?(youtube\.com|youtu\.be|youtube-nocookie\.com|vimeo\.com|player\.vimeo\.com|twitter\.com|x\.com)$/i;

interface Out {
  blocks: ImportedBlock[];
  inline: InlineNode[];
}

class Converter {
  readonly counts = new Map<string, number>();
  constructor(private readonly closing: ReadonlySet<string>) {}

  drop(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }

  blocks(nodes: T.ChildNode[], out: Out, depth: number): void {
    for (const node of nodes) this.block(node, out, depth);
  }

  private block(node: T.ChildNode, out: Out, depth: number): void {
    if (node.nodeName === '#comment' || node.nodeName === '#documentType') return;
    if (node.nodeName === '#text') return this.looseText((node as T.TextNode).value, out);
    const el = node as T.Element;
    const tag = el.tagName;
    if (INLINE.has(tag) && tag !== 'img') return this.inline(el, [], out);
    if (DROPPED.has(tag)) {
      if (tag === 'iframe') return this.embed(attr(el, 'src'), out, 'iframe');
      return this.drop(tag);
    }
    flush(out);
    switch (tag) {
      case 'p':
        this.children(el, [], out);
        return flush(out);
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': {
        const heading: Out = { blocks: [], inline: [] };
        this.children(el, [], heading);
        const content = tidy(heading.inline);
        const level = Math.min(4, Math.max(2, Number(tag[1]))) as 2 | 3 | 4;
        if (content.length) out.blocks.push({ type: 'heading', attrs: { level }, content });
        return;
      }
      case 'ul': case 'ol':
        return this.list(el, out, depth);
      case 'blockquote':
        return this.quote(el, out, depth);
      case 'hr':
        out.blocks.push({ type: 'horizontalRule' });
        return;
      case 'img':
        return this.image(el, '', out);
      case 'video':
        out.blocks.push({ type: 'videoRef', src: attr(el, 'src') || attr(findFirst(el, 'source'), 'src'), caption: '' });
        return;
      case 'figure':
        return this.figure(el, out, depth);
      case 'table':
        return this.table(el, out);
      case 'pre': {
        const text = textOf(el).replace(/\s+$/, '');
        if (text) out.blocks.push({ type: 'paragraph', content: runs(text, [{ type: 'code' }], true) });
        return;
      }
      default:
        // div, section, article, header, span-like wrappers: their content counts, not the box.
        this.blocks(el.childNodes, out, depth);
        return flush(out);
    }
  }

  /** Text between blocks: classic-editor posts separate paragraphs with blank lines (wpautop). */
  private looseText(text: string, out: Out): void {
    const parts = text.split(/\n[ \t]*\n/);
    parts.forEach((part, i) => {
      if (i > 0) flush(out);
      const lines = part.split('\n');
      lines.forEach((line, j) => {
        if (j > 0 && out.inline.length && line.trim()) out.inline.push({ type: 'hardBreak' });
        this.text(line, [], out);
      });
    });
  }

  private text(raw: string, marks: TextMark[], out: Out): void {
    const text = stripShortcodes(raw, this.closing, (name) => this.drop(`shortcode [${name}]`)).replace(/\s+/g, ' ');
    if (text && (text.trim() || out.inline.length)) out.inline.push(...runs(text, marks, false));
  }

  private children(el: T.Element, marks: TextMark[], out: Out): void {
    for (const child of el.childNodes) {
      if (child.nodeName === '#text') this.text((child as T.TextNode).value, marks, out);
      else if (child.nodeName !== '#comment') this.inlineOrBlock(child as T.Element, marks, out);
    }
  }

  private inlineOrBlock(el: T.Element, marks: TextMark[], out: Out): void {
    if (INLINE.has(el.tagName) && el.tagName !== 'img') return this.inline(el, marks, out);
    // A picture or a block inside a paragraph: the paragraph is split around it.
    flush(out);
    this.block(el, out, 0);
  }

  private inline(el: T.Element, marks: TextMark[], out: Out): void {
    const tag = el.tagName;
    if (tag === 'br') {
      if (out.inline.length) out.inline.push({ type: 'hardBreak' });
      return;
    }
    let next = marks;
    const mark = MARKS[tag];
    if (mark && !marks.some((m) => m.type === mark)) next = [...marks, { type: mark }];
    if (tag === 'a') {
      const href = attr(el, 'href').trim();
      if (href && isSafeHref(href)) next = [...marks.filter((m) => m.type !== 'link'), { type: 'link', attrs: { href } }];
      else if (href) this.drop('link with an address that is not http(s), mailto or on this site (text kept)');
    }
    this.children(el, next, out);
  }

  private list(el: T.Element, out: Out, depth: number): void {
    if (depth >= 3) {
      // Our documents nest lists three deep at most: deeper items become plain paragraphs.
      this.drop('list nested more than three deep (kept as paragraphs)');
      for (const li of el.childNodes) if (li.nodeName !== '#text') this.blocks((li as T.Element).childNodes ?? [], out, depth);
      return flush(out);
    }
    if (hasClass(el, 'blocks-gallery-grid')) {
      // The gallery block's older markup: a list whose items are pictures, kept as pictures.
      for (const li of el.childNodes) if (li.nodeName === 'li') this.blocks((li as T.Element).childNodes, out, depth);
      return flush(out);
    }
    const items = [];
    for (const child of el.childNodes) {
      if (child.nodeName !== 'li') continue;
      const item: Out = { blocks: [], inline: [] };
      this.blocks((child as T.Element).childNodes, item, depth + 1);
      flush(item);
      const content = item.blocks.flatMap((b) => this.keepIn(b, ['paragraph', 'bulletList', 'orderedList'], 'in a list'));
      if (content.length) items.push({ type: 'listItem' as const, content: content as (ParagraphNode)[] });
    }
    if (!items.length) return;
    if (el.tagName === 'ol') {
      const start = Number(attr(el, 'start'));
      const attrs = Number.isInteger(start) && start > 1 && start <= 100_000 ? { start } : undefined;
      out.blocks.push({ type: 'orderedList', ...(attrs ? { attrs } : {}), content: items });
    } else out.blocks.push({ type: 'bulletList', content: items });
  }

  private quote(el: T.Element, out: Out, depth: number): void {
    const inner: Out = { blocks: [], inline: [] };
    this.blocks(el.childNodes, inner, depth + 1);
    flush(inner);
    const content = inner.blocks.flatMap((b) => this.keepIn(b, ['paragraph', 'heading'], 'in a quote'));
    if (content.length) out.blocks.push({ type: 'blockquote', content: content as ParagraphNode[] });
  }

  /** A block where only some types may stand: lists become paragraphs, pictures are reported. */
  private keepIn(block: ImportedBlock, allowed: string[], where: string): ImportedBlock[] {
    if (allowed.includes(block.type)) return [block];
    if (block.type === 'bulletList' || block.type === 'orderedList' || block.type === 'blockquote') {
      return block.content.flatMap((child) => this.keepIn(child as ImportedBlock, allowed, where));
    }
    if (block.type === 'listItem' as string) return (block as unknown as { content: ImportedBlock[] }).content.flatMap((c) => this.keepIn(c, allowed, where));
    if (block.type === 'heading') return [{ type: 'paragraph', content: block.content }];
    this.drop(`${block.type === 'imageRef' ? 'image' : block.type === 'videoRef' ? 'video' : block.type} ${where}`);
    return [];
  }

  private figure(el: T.Element, out: Out, depth: number): void {
    const embedUrl = el.attrs.find((a) => a.name === 'data-wp-embed')?.value;
    if (embedUrl !== undefined) return this.embed(embedUrl, out, 'embed');
    if (hasClass(el, 'wp-block-embed') || findFirst(el, 'iframe')) {
      const url = attr(findFirst(el, 'iframe'), 'src') || textOf(findFirst(el, 'div') ?? el).trim().split(/\s+/)[0] || '';
      return this.embed(url, out, 'embed');
    }
    // A gallery (figures in a figure, or a list of them) holds several pictures: each is kept.
    if (countOf(el, 'img') > 1) {
      this.blocks(el.childNodes.filter((c) => c.nodeName !== 'figcaption'), out, depth);
      return flush(out);
    }
    const shortcode = el.attrs.find((a) => a.name === 'data-wp-caption');
    const caption = (shortcode ? shortcode.value || captionText(el) : textOf(findFirst(el, 'figcaption'))).replace(/\s+/g, ' ').trim();
    const img = findFirst(el, 'img');
    if (img) return this.image(img, caption, out);
    const video = findFirst(el, 'video');
    if (video) {
      out.blocks.push({ type: 'videoRef', src: attr(video, 'src') || attr(findFirst(video, 'source'), 'src'), caption });
      return;
    }
    this.blocks(el.childNodes.filter((c) => c.nodeName !== 'figcaption'), out, depth);
    flush(out);
  }

  private image(img: T.Element, caption: string, out: Out): void {
    const src = attr(img, 'src').trim();
    if (!src) return this.drop('image without an address');
    const id = /(?:^|\s)wp-image-(\d+)(?:\s|$)/.exec(attr(img, 'class'))?.[1];
    out.blocks.push({ type: 'imageRef', src, ...(id ? { attachmentId: id } : {}), alt: attr(img, 'alt').trim(), caption });
  }

  /** YouTube, Vimeo and X embeds become a paragraph linking to the URL; never the player itself. */
  private embed(url: string, out: Out, what: string): void {
    const href = url.trim().replace(/^\/\//, 'https://');
    let host = '';
    try {
      host = new URL(href).hostname;
    } catch {
      return this.drop(`${what} without a usable address`);
    }
    if (!/^https?:/i.test(href)) return this.drop(`${what} without a usable address`);
    if (!EMBED_HOSTS.test(host)) {
      // An author's embed block names what they meant to show; a bare iframe may be anything (a tracker).
      if (what === 'iframe') return this.drop(`iframe from ${host}`);
      this.drop(`${what} from ${host} (kept as a link)`);
    }
    flush(out);
    out.blocks.push({ type: 'paragraph', content: [{ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }] });
  }

  private table(el: T.Element, out: Out): void {
    let rows = 0;
    const walk = (node: T.Element) => {
      for (const child of node.childNodes) {
        if (child.nodeName === 'tr') {
          const cells = (child as T.Element).childNodes.filter((c) => c.nodeName === 'td' || c.nodeName === 'th');
          const text = cells.map((c) => textOf(c as T.Element).replace(/\s+/g, ' ').trim()).join(' | ');
          if (text.replace(/[|\s]/g, '')) {
            out.blocks.push({ type: 'paragraph', content: runs(text, [], false) });
            rows++;
          }
        } else if ('childNodes' in child) walk(child as T.Element);
      }
    };
    walk(el);
    this.drop(`table (${rows} row${rows === 1 ? '' : 's'} kept as paragraphs)`);
  }
}

/** Converts a post's content:encoded. Pure; the same input always gives the same document. */
export function convertBody(html: string): ConvertedBody {
  const converter = new Converter(closingShortcodes(html));
  const out: Out = { blocks: [], inline: [] };
  converter.blocks(parseFragment(expandStructuralShortcodes(html)).childNodes, out, 0);
  flush(out);
  const dropped = [...converter.counts].map(([what, n]) => (n > 1 ? `${what} ×${n}` : what));
  return { blocks: out.blocks, dropped };
}

/** The loose inline content so far, as a paragraph (a bare URL becomes a link). */
function flush(out: Out): void {
  const content = tidy(out.inline);
  out.inline = [];
  if (!content.length) return;
  const only = content.length === 1 && content[0]!.type === 'text' ? content[0] : undefined;
  if (only && !only.marks && /^https?:\/\/\S+$/.test(only.text)) only.marks = [{ type: 'link', attrs: { href: only.text } }];
  out.blocks.push({ type: 'paragraph', content });
}

/** Trims the ends, drops breaks at the edges and joins runs that carry the same marks. */
function tidy(inline: InlineNode[]): InlineNode[] {
  const merged: InlineNode[] = [];
  for (const node of inline) {
    const last = merged.at(-1);
    if (node.type === 'text' && last?.type === 'text' && sameMarks(last.marks, node.marks) && last.text.length + node.text.length <= MAX_TEXT_LENGTH) {
      last.text += node.text;
    } else merged.push(node.type === 'text' ? { ...node } : node);
  }
  while (merged[0]?.type === 'hardBreak') merged.shift();
  while (merged.at(-1)?.type === 'hardBreak') merged.pop();
  const first = merged[0];
  if (first?.type === 'text') first.text = first.text.replace(/^\s+/, '');
  const last = merged.at(-1);
  if (last?.type === 'text') last.text = last.text.replace(/\s+$/, '');
  return merged.filter((n) => n.type !== 'text' || n.text.length > 0);
}

function sameMarks(a: TextMark[] | undefined, b: TextMark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** Text as runs no longer than the schema allows; `lines` keeps newlines as breaks (pre). */
function runs(text: string, marks: TextMark[], lines: boolean): InlineNode[] {
  const result: InlineNode[] = [];
  (lines ? text.split('\n') : [text]).forEach((line, i) => {
    if (i > 0) result.push({ type: 'hardBreak' });
    for (let at = 0; at < line.length; at += MAX_TEXT_LENGTH) {
      const piece = line.slice(at, at + MAX_TEXT_LENGTH);
      result.push(marks.length ? { type: 'text', text: piece, marks } : { type: 'text', text: piece });
    }
  });
  return result;
}

function attr(el: T.Element | undefined, name: string): string {
  return el?.attrs.find((a) => a.name === name)?.value ?? '';
}

function hasClass(el: T.Element, name: string): boolean {
  return attr(el, 'class').split(/\s+/).includes(name);
}

function findFirst(el: T.Element | undefined, tag: string): T.Element | undefined {
  if (!el) return undefined;
  for (const child of el.childNodes ?? []) {
    if (child.nodeName === tag) return child as T.Element;
    const found = 'childNodes' in child ? findFirst(child as T.Element, tag) : undefined;
    if (found) return found;
  }
  return undefined;
}

function countOf(el: T.Element, tag: string): number {
  let n = 0;
  for (const child of el.childNodes ?? []) {
    if (child.nodeName === tag) n++;
    else if ('childNodes' in child) n += countOf(child as T.Element, tag);
  }
  return n;
}

/** Visible text (scripts and styles excluded). */
function textOf(el: T.Element | undefined): string {
  if (!el) return '';
  return (el.childNodes ?? [])
    .map((c) => (c.nodeName === '#text' ? (c as T.TextNode).value : DROPPED.has(c.nodeName) || !('childNodes' in c) ? '' : textOf(c as T.Element)))
    .join('');
}

/** A [caption] figure's caption: its text outside the picture (and the link around it). */
function captionText(el: T.Element): string {
  return el.childNodes
    .map((c) => (c.nodeName === '#text' ? (c as T.TextNode).value : c.nodeName === 'img' || (c.nodeName === 'a' && findFirst(c as T.Element, 'img')) ? '' : 'childNodes' in c ? textOf(c as T.Element) : ''))
    .join('');
}
