// A readable difference between two versions of a story: which fields changed, and the body
// block by block, with word-level changes inside edited paragraphs. Pure; used by the revision
// history and when a save is refused because someone else saved first.
import { blockText, type BodyDoc } from './body.ts';

export interface StoryVersion {
  headline: string;
  dek: string;
  slug: string;
  section: string;
  status: string;
  credit: string;
  authors: string[];
  topics: string[];
  /** Absent in snapshots older than these fields. */
  seoTitle?: string;
  seoDescription?: string;
  body: BodyDoc;
}

export interface FieldChange {
  field: keyof Omit<StoryVersion, 'body'>;
  before: string;
  after: string;
}

export type WordChange = { kind: 'same' | 'added' | 'removed'; text: string };

export type BlockChange =
  | { kind: 'same'; text: string }
  | { kind: 'added'; text: string }
  | { kind: 'removed'; text: string }
  | { kind: 'changed'; before: string; after: string; words: WordChange[] };

export interface StoryDiff {
  fields: FieldChange[];
  body: BlockChange[];
  /** True when nothing differs. */
  same: boolean;
}

const FIELDS: FieldChange['field'][] = ['headline', 'dek', 'slug', 'section', 'status', 'credit', 'authors', 'topics', 'seoTitle', 'seoDescription'];
/** Two blocks this alike (share of common words) count as one block edited, not one removed and one added. */
const EDIT_SIMILARITY = 0.5;
/** Past this many cells the word diff would cost too much; the block then shows as replaced. */
const MAX_LCS_CELLS = 250_000;

export function diffStories(before: StoryVersion, after: StoryVersion): StoryDiff {
  const fields: FieldChange[] = [];
  for (const field of FIELDS) {
    const a = show(before[field]);
    const b = show(after[field]);
    if (a !== b) fields.push({ field, before: a, after: b });
  }
  const body = diffBlocks(before.body.content.map(describe), after.body.content.map(describe));
  return { fields, body, same: fields.length === 0 && body.every((b) => b.kind === 'same') };
}

function show(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function describe(block: BodyDoc['content'][number]): string {
  const text = blockText(block);
  if (block.type === 'heading') return `## ${text}`;
  if (block.type === 'video') return `[Video: ${text}]`;
  if (block.type === 'image') return `[Image ${block.attrs.imageId}${text ? `: ${text}` : ''}]`;
  if (block.type === 'horizontalRule') return '---';
  return text;
}

/**
 * Block-level diff (LCS on whole blocks). Within each run of removals and additions, a removed block
 * and a later added block that are alike are shown as one edited block, with its word changes.
 */
export function diffBlocks(before: string[], after: string[]): BlockChange[] {
  const out: BlockChange[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    out.push(...pairEdits(removed, added));
    removed = [];
    added = [];
  };
  for (const change of lcsDiff(before, after)) {
    if (change.kind === 'same') {
      flush();
      out.push(change);
    } else if (change.kind === 'removed') removed.push(change.text);
    else added.push(change.text);
  }
  flush();
  return out;
}

function pairEdits(removed: string[], added: string[]): BlockChange[] {
  const out: BlockChange[] = [];
  let next = 0;
  for (const text of removed) {
    const match = added.findIndex((candidate, k) => k >= next && similarity(text, candidate) >= EDIT_SIMILARITY);
    if (match === -1) {
      out.push({ kind: 'removed', text });
      continue;
    }
    while (next < match) out.push({ kind: 'added', text: added[next++]! });
    const after = added[next++]!;
    out.push({ kind: 'changed', before: text, after, words: diffWords(text, after) });
  }
  while (next < added.length) out.push({ kind: 'added', text: added[next++]! });
  return out;
}

export function diffWords(before: string, after: string): WordChange[] {
  const changes = lcsDiff(before.split(/(\s+)/).filter(Boolean), after.split(/(\s+)/).filter(Boolean));
  // Merge runs of the same kind so the view shows phrases, not single words.
  const merged: WordChange[] = [];
  for (const change of changes) {
    const last = merged[merged.length - 1];
    if (last && last.kind === change.kind) last.text += change.text;
    else merged.push({ ...change });
  }
  return merged;
}

function lcsDiff(a: string[], b: string[]): { kind: 'same' | 'added' | 'removed'; text: string }[] {
  if (a.length * b.length > MAX_LCS_CELLS) {
    return [...a.map((text) => ({ kind: 'removed' as const, text })), ...b.map((text) => ({ kind: 'added' as const, text }))];
  }
  // lengths[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const out: { kind: 'same' | 'added' | 'removed'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) {
      out.push({ kind: 'removed', text: a[i++]! });
    } else {
      out.push({ kind: 'added', text: b[j++]! });
    }
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ kind: 'added', text: b[j++]! });
  return out;
}

function similarity(a: string, b: string): number {
  const words = (s: string) => new Set(s.toLowerCase().split(/\W+/).filter(Boolean));
  const x = words(a);
  const y = words(b);
  if (x.size === 0 && y.size === 0) return 1;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / Math.max(x.size, y.size);
}
