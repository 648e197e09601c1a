// Reads a WordPress export (WXR: RSS 2.0 with wp:, content:, excerpt: and dc: elements) as a
// stream of records: the channel's facts, then authors, categories, tags and items one at a time.
// Only the record being read is held in memory, so a 2 GB export costs what one post costs.
// A DOCTYPE is refused outright: WordPress never writes one, and entity declarations are how an
// export file would read local files or the network (XXE) or expand into gigabytes.
import { SaxesParser } from 'saxes';
import { WxrError } from './wxr-error.ts';

/** The WXR versions WordPress has written (1.0 in 2.x/3.0, 1.1 in 3.1, 1.2 since 3.5). */
export const KNOWN_WXR_VERSIONS = ['1.0', '1.1', '1.2'];

/** One element of a record, as read: its name (with prefix), attributes, text and children. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}

export type WxrRecord =
  | { kind: 'channel'; version: string; siteUrl: string; baseBlogUrl: string; title: string }
  | { kind: 'author' | 'category' | 'tag' | 'term' | 'item'; node: XmlNode };

/** Characters XML 1.0 does not allow anywhere (C0 controls but tab, line feed and return; U+FFFE/F). */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** One record (an item with its comments) larger than this is not a post: the file is refused. */
export const MAX_RECORD_CHARS = 32 * 1024 * 1024;

const RECORD_ELEMENTS: Record<string, WxrRecord['kind']> = {
  item: 'item',
  'wp:author': 'author',
  'wp:category': 'category',
  'wp:tag': 'tag',
  'wp:term': 'term',
};

/**
 * The records of the export, in file order. Throws WxrError when the file is not XML, not a WXR
 * export, of a version we do not know, declares a DOCTYPE, or ends before its last element closes.
 */
export async function* readWxr(source: AsyncIterable<Buffer | string>, options: { ignore?: ReadonlySet<string> } = {}): AsyncGenerator<WxrRecord> {
  // Elements of a record that the caller does not need (a first pass skips post bodies and
  // comments): neither they nor anything inside them is built.
  const ignore = options.ignore ?? new Set<string>();
  let skipping = 0;
  const parser = new SaxesParser({ xmlns: false, position: true });
  const ready: WxrRecord[] = [];
  const path: string[] = [];
  const channel = { version: '', siteUrl: '', baseBlogUrl: '', title: '' };
  let channelSent = false;
  let record: { kind: WxrRecord['kind']; stack: XmlNode[]; chars: number } | undefined;
  let failure: WxrError | undefined;
  let sawRoot = false;

  const fail = (reason: string) => {
    failure ??= new WxrError(`${reason} (line ${parser.line})`);
  };
  const sendChannel = () => {
    if (channelSent) return;
    channelSent = true;
    if (!channel.version) {
      fail('This is an RSS file but not a WordPress export: it has no wp:wxr_version. Export the site with Tools → Export or `wp export`');
      return;
    }
    if (!KNOWN_WXR_VERSIONS.includes(channel.version)) {
      fail(`WXR version ${channel.version} is not one this importer knows (${KNOWN_WXR_VERSIONS.join(', ')})`);
      return;
    }
    ready.push({ kind: 'channel', ...channel });
  };

  parser.on('doctype', () => fail('The file declares a DOCTYPE; WordPress exports never do, and its entities are not read (refused for safety)'));
  parser.on('opentag', (tag) => {
    if (failure) return;
    if (!sawRoot) {
      sawRoot = true;
      if (tag.name !== 'rss') fail(`This is XML but not a WordPress export: its root element is <${tag.name}>, not <rss>`);
    }
    path.push(tag.name);
    const attrs = tag.attributes as Record<string, string>;
    if (skipping > 0 || (record && ignore.has(tag.name))) {
      skipping++;
      return;
    }
    if (record) {
      const node: XmlNode = { name: tag.name, attrs, text: '', children: [] };
      record.stack.at(-1)!.children.push(node);
      record.stack.push(node);
      return;
    }
    const kind = path.length === 3 && path[1] === 'channel' ? RECORD_ELEMENTS[tag.name] : undefined;
    if (kind) {
      // Every WXR writes its version before the first record.
      if (!channelSent) sendChannel();
      record = { kind, stack: [{ name: tag.name, attrs, text: '', children: [] }], chars: 0 };
    }
  });
  const onText = (text: string) => {
    if (failure || skipping > 0) return;
    if (record) {
      record.chars += text.length;
      if (record.chars > MAX_RECORD_CHARS) return fail(`One <${record.stack[0]!.name}> is larger than ${MAX_RECORD_CHARS / 1024 / 1024} MB`);
      record.stack.at(-1)!.text += text;
      return;
    }
    if (path.length === 3 && path[1] === 'channel') {
      const field = path[2];
      if (field === 'wp:wxr_version') channel.version += text.trim();
      else if (field === 'wp:base_site_url') channel.siteUrl += text.trim();
      else if (field === 'wp:base_blog_url') channel.baseBlogUrl += text.trim();
      else if (field === 'title') channel.title += text;
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (failure) return;
    path.pop();
    if (skipping > 0) {
      skipping--;
      return;
    }
    if (!record) {
      if (path.length === 1 && path[0] === 'rss') sendChannel(); // a channel with no records at all
      return;
    }
    const node = record.stack.pop()!;
    if (record.stack.length === 0) {
      ready.push({ kind: record.kind, node } as WxrRecord);
      record = undefined;
    }
  });
  parser.on('error', (error) => fail(`The file is not well-formed XML: ${describeSaxError(error.message)}`));

  const decoder = new TextDecoder('utf-8', { fatal: false });
  const drain = function* (): Generator<WxrRecord> {
    // Records before the failure are good; the failure is thrown once they are handed out.
    while (ready.length) yield ready.shift()!;
    if (failure) throw failure;
  };
  // Real exports break XML's rules in two ways WordPress's own importer forgives: blank lines
  // before the XML declaration (a theme or plugin printing them) and control characters pasted
  // into posts, which XML 1.0 forbids even in CDATA. Both are dropped before parsing.
  let started = false;
  const feed = (text: string) => {
    let clean = text.replace(XML_FORBIDDEN, '');
    if (!started) {
      clean = clean.replace(/^\s+/, '');
      started = clean.length > 0;
    }
    if (clean) parser.write(clean);
  };
  for await (const chunk of source) {
    feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield* drain();
  }
  feed(decoder.decode());
  yield* drain();
  if (!sawRoot) throw new WxrError('The file is empty or not XML.');
  if (path.length > 0) throw new WxrError(`The file ends inside <${path.at(-1)}>: it looks truncated (the export was cut short). Export it again.`);
  parser.close();
  yield* drain();
}

/** saxes prefixes its messages with a file position we already give, and words some oddly. */
function describeSaxError(message: string): string {
  return message.replace(/^(?:[^:\n]*:)?\d+:\d+: /, '').replace(/\.$/, '');
}

/** The text of the first child named `name` ('' when missing). */
export function childText(node: XmlNode, name: string): string {
  return node.children.find((c) => c.name === name)?.text ?? '';
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}
