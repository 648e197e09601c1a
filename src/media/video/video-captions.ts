// Caption files: WebVTT as uploaded, or SRT converted to WebVTT. Both are checked cue by cue, and a
// bad file is refused with the line that is wrong. Pure functions: text in, WebVTT or a message out.

export interface CaptionCue {
  start: number;
  end: number;
  text: string;
}

export type CaptionParse = { ok: true; vtt: string; cues: CaptionCue[] } | { ok: false; message: string };

export const MAX_CAPTION_BYTES = 512 * 1024;
/** A BCP 47 language tag as people write them: en, fr, pt-BR, zh-Hant. */
export const LANG_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const TIME = /^(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)[.,](\d{3})$/;

function seconds(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

function stamp(value: number): string {
  const ms = Math.round(value * 1000);
  const h = Math.floor(ms / 3600_000);
  const m = Math.floor((ms % 3600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** Cue text without markup a caption may not carry (anything but WebVTT's own tags is dropped). */
function cleanCueText(lines: string[]): string {
  return lines
    .map((line) => line.replace(/<(?!\/?(b|i|u|c|v|lang|ruby|rt)\b)[^>]*>/g, '').replace(/\{\\[^}]*\}/g, ''))
    .join('\n')
    .trim();
}

/**
 * Reads an SRT or WebVTT file (decided by its "WEBVTT" header, not its name) and returns WebVTT.
 * Refuses: not UTF-8 text, no cues, a timing line that is not "start --> end", an end before its
 * start, cues that go back in time by more than their own length (a shuffled file).
 */
export function parseCaptions(bytes: Buffer): CaptionParse {
  const refuse = (message: string): CaptionParse => ({ ok: false, message });
  if (bytes.length === 0) return refuse('The caption file is empty.');
  if (bytes.length > MAX_CAPTION_BYTES) return refuse(`The caption file is larger than ${MAX_CAPTION_BYTES / 1024} KB; is it really captions?`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD') || text.includes('\u0000')) return refuse('The caption file is not UTF-8 text; save it as UTF-8 and upload it again.');
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const isVtt = /^WEBVTT(\s|$)/.test(lines[0] ?? '');
  const cues: CaptionCue[] = [];
  let i = isVtt ? 1 : 0;
  // A WebVTT header block (and NOTE, STYLE, REGION blocks) ends at the first blank line.
  const skipBlock = () => {
    while (i < lines.length && lines[i]!.trim() !== '') i++;
  };
  if (isVtt) skipBlock();
  while (i < lines.length) {
    if (lines[i]!.trim() === '') {
      i++;
      continue;
    }
    if (isVtt && /^(NOTE|STYLE|REGION)(\s|$)/.test(lines[i]!)) {
      skipBlock();
      continue;
    }
    // An optional cue number (SRT) or identifier (WebVTT) before the timing line.
    // A timing line with a mistyped arrow is the line at fault, not the text under it.
    if (!lines[i]!.includes('-->') && /^\s*[\d:.,]+\s*[-=>]+\s*[\d:.,]+/.test(lines[i]!)) {
      return refuse(`Line ${i + 1}: expected a timing line such as “00:00:01,000 --> 00:00:03,500” (the arrow is two hyphens and >), found “${lines[i]!.slice(0, 60)}”.`);
    }
    if (!lines[i]!.includes('-->')) {
      if (!isVtt && !/^\d+$/.test(lines[i]!.trim())) return refuse(`Line ${i + 1}: expected a cue number or a timing line such as “00:00:01,000 --> 00:00:03,500”, found “${lines[i]!.slice(0, 60)}”.`);
      i++;
    }
    const timing = lines[i] ?? '';
    const parts = /^\s*(\S+)\s+-->\s+(\S+)(.*)$/.exec(timing);
    if (!parts) return refuse(`Line ${i + 1}: expected a timing line such as “00:00:01,000 --> 00:00:03,500”, found “${timing.slice(0, 60)}”.`);
    const start = seconds(parts[1]!);
    const end = seconds(parts[2]!);
    if (start === null || end === null) return refuse(`Line ${i + 1}: “${timing.trim().slice(0, 60)}” has a time that is not hours:minutes:seconds.milliseconds (such as 00:01:02.500).`);
    if (end <= start) return refuse(`Line ${i + 1}: the cue ends (${parts[2]}) before it starts (${parts[1]}).`);
    const previous = cues[cues.length - 1];
    if (previous && start < previous.start) return refuse(`Line ${i + 1}: this cue starts (${parts[1]}) before the one above it; cues must be in time order.`);
    const settings = isVtt ? parts[3]!.trim() : '';
    i++;
    const body: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') body.push(lines[i++]!);
    const cueText = cleanCueText(body);
    if (cueText) cues.push({ start, end, text: settings ? `${settings}\u0000${cueText}` : cueText });
  }
  if (cues.length === 0) return refuse('The caption file has no captions in it (no timed lines).');
  const vtt = ['WEBVTT', '', ...cues.flatMap((c) => {
    const [settings, cueText] = c.text.includes('\u0000') ? c.text.split('\u0000') : ['', c.text];
    return [`${stamp(c.start)} --> ${stamp(c.end)}${settings ? ` ${settings}` : ''}`, cueText!, ''];
  })].join('\n');
  return { ok: true, vtt, cues: cues.map((c) => ({ ...c, text: c.text.split('\u0000').pop()! })) };
}

/** The words of the captions as plain paragraphs: the transcript printed under the clip. */
export function transcriptOf(vtt: string): string[] {
  const parsed = parseCaptions(Buffer.from(vtt));
  if (!parsed.ok) return [];
  const lines = parsed.cues.map((c) => c.text.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim()).filter(Boolean);
  // Consecutive cues join into paragraphs of a few sentences, as a reader would read them.
  const paragraphs: string[] = [];
  let current = '';
  for (const line of lines) {
    current = current ? `${current} ${line}` : line;
    if (/[.!?…]["”’)]?$/.test(line) && current.length > 240) {
      paragraphs.push(current);
      current = '';
    }
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}
