// WordPress shortcodes ("[gallery ids=…]", "[caption]…[/caption]") are text, not HTML, so they are
// found in text here, never by parsing HTML with patterns. Two carry content we keep — [caption]
// becomes a figure with its caption, [embed]URL[/embed] a link — and every other one is dropped
// and counted, leaving the text it wrapped.

/** The shortcodes WordPress itself registers: recognised even without attributes or a closing tag. */
const CORE_SHORTCODES = new Set(['gallery', 'caption', 'wp_caption', 'embed', 'audio', 'video', 'playlist']);

/**
 * Before HTML parsing: [caption …]…[/caption] becomes <figure data-wp-caption>…</figure> (its
 * <img> and text then read as a captioned image) and [embed]URL[/embed] a <figure data-wp-embed>.
 * Only the shortcode brackets are rewritten; what they wrap is left to the HTML parser.
 */
export function expandStructuralShortcodes(html: string): string {
  return html
    // Before WordPress 3.4 the caption (HTML, its entities left for the parser to read) was an attribute: [caption caption="…"]<img …>[/caption].
    .replace(/\[(?:wp_)?caption(\s[^\]]*)?\]/g, (_m, attrs: string | undefined) => `<figure data-wp-caption="${captionAttribute(attrs ?? '').replace(/"/g, '&quot;').replace(/</g, '&lt;')}">`)
    .replace(/\[\/(?:wp_)?caption\]/g, '</figure>')
    .replace(/\[embed(?:\s[^\]]*)?\]([^[<]*)\[\/embed\]/g, (_m, url: string) => `<figure data-wp-embed="${escapeAttr(url.trim())}"></figure>`);
}


/**
 * Removes the shortcodes in a run of text, calling `dropped` with each one's name. A bracketed
 * word counts as a shortcode when WordPress registers it, when it has attributes (`name=`), or
 * when it is a closing tag; "[sic]" or "[1]" in a sentence stay as they are.
 */
export function stripShortcodes(text: string, closing: ReadonlySet<string>, dropped: (name: string) => void): string {
  if (!text.includes('[')) return text;
  return text.replace(SHORTCODE_TOKEN, (match, slash: string, name: string, attrs: string) => {
    const lower = name.toLowerCase();
    const isShortcode = slash === '/' || CORE_SHORTCODES.has(lower) || /=/.test(attrs) || closing.has(lower);
    if (!isShortcode) return match;
    if (slash !== '/') dropped(lower);
    return '';
  });
}

const SHORTCODE_TOKEN = /\[(\/?)([a-zA-Z][\w-]*)((?:\s[^\]]*)?)\]/g;

/** The names that appear as closing tags somewhere in the content ("[/su_box]"). */
export function closingShortcodes(content: string): Set<string> {
  const names = new Set<string>();
  for (const m of content.matchAll(/\[\/([a-zA-Z][\w-]*)\]/g)) names.add(m[1]!.toLowerCase());
  return names;
}

function captionAttribute(attrs: string): string {
  return /(?:^|\s)caption=(?:"([^"]*)"|'([^']*)')/.exec(attrs)?.slice(1).find((v) => v !== undefined) ?? '';
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
