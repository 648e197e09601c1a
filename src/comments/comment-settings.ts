// The newsroom's comment settings: thread shape (depth limit, auto-close), the moderation lists,
// how long client addresses are kept, and how often moderators are mailed a digest. Stored as
// key/value rows; read from memory, dropped from memory in every process when they change (the
// change feed's `comments:settings`).
import { invalidInput, type FieldError } from '../platform/errors.ts';
import type { ModerationSettings } from './moderation-rules.ts';

export interface CommentSettings extends ModerationSettings {
  /** Replies nest at most this deep (a top-level comment is depth 1). WordPress's default: 5. */
  depthLimit: number;
  /** Comments close this many days after a story is published; 0 = never. */
  autoCloseDays: number;
  /** Client addresses are dropped from comments after this many days. */
  ipRetentionDays: number;
  /** Moderators are mailed a digest of new held comments at most this often, in minutes; 0 = never. */
  digestMinutes: number;
}

export const DEFAULT_SETTINGS: CommentSettings = {
  depthLimit: 5,
  autoCloseDays: 0,
  ipRetentionDays: 30,
  digestMinutes: 15,
  holdLinks: 2,
  moderationWords: [],
  blocklist: [],
};

const NUMBERS = {
  depthLimit: { key: 'depth_limit', min: 1, max: 10, label: 'The reply depth' },
  autoCloseDays: { key: 'auto_close_days', min: 0, max: 3650, label: 'Closing after' },
  ipRetentionDays: { key: 'ip_retention_days', min: 1, max: 3650, label: 'Keeping addresses for' },
  holdLinks: { key: 'hold_links', min: 1, max: 50, label: 'The link limit' },
  digestMinutes: { key: 'digest_minutes', min: 0, max: 1440, label: 'The digest interval' },
} as const;
const LISTS = { moderationWords: 'moderation_words', blocklist: 'blocklist' } as const;

/** One entry a line; blank lines dropped. */
function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 5000);
}

export function settingsFromRows(rows: Map<string, string>): CommentSettings {
  const out: CommentSettings = { ...DEFAULT_SETTINGS };
  for (const [name, spec] of Object.entries(NUMBERS) as [keyof typeof NUMBERS, (typeof NUMBERS)[keyof typeof NUMBERS]][]) {
    const raw = Number(rows.get(spec.key));
    if (rows.has(spec.key) && Number.isInteger(raw) && raw >= spec.min && raw <= spec.max) out[name] = raw;
  }
  for (const [name, key] of Object.entries(LISTS) as [keyof typeof LISTS, string][]) out[name] = lines(rows.get(key) ?? '');
  return out;
}

/** The settings form's fields, checked all at once; returns the rows to store. */
export function settingsRowsFromForm(fields: Record<string, string>): Record<string, string> {
  const errors: FieldError[] = [];
  const rows: Record<string, string> = {};
  for (const [name, spec] of Object.entries(NUMBERS)) {
    const raw = (fields[name] ?? '').trim();
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < spec.min || value > spec.max) errors.push({ field: name, message: `${spec.label} must be a whole number from ${spec.min} to ${spec.max}.` });
    else rows[spec.key] = String(value);
  }
  for (const [name, key] of Object.entries(LISTS)) {
    const raw = fields[name] ?? '';
    if (raw.length > 200_000) errors.push({ field: name, message: 'That list is too long (at most 200,000 characters).' });
    else rows[key] = lines(raw).join('\n');
  }
  if (errors.length) throw invalidInput(errors);
  return rows;
}
