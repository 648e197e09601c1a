// "Newest first, older than id N" paging, for lists that grow while people page through them
// (an offset would shift under them): the request's checks and the one-more-row look-ahead.
import { invalidInput, type FieldError } from './errors.ts';

export interface BeforePage {
  limit: number;
  /** Only rows with a smaller id; the `next` of the previous page. */
  before?: number;
  /** Whitespace-collapsed search text; empty for none. */
  search: string;
}

/** Checks a page request; throws invalid_input naming every problem. `noun` names the rows ("image"). */
export function checkBeforePage(options: { limit: number; before?: number; search?: string }, noun: string): BeforePage {
  const errors: FieldError[] = [];
  const { limit, before } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.push({ field: 'limit', message: `Show 1 to 100 ${noun}s at a time.` });
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) errors.push({ field: 'before', message: `“before” is ${article(noun)} ${noun} id: a whole number from 1.` });
  const search = (options.search ?? '').replace(/\s+/g, ' ').trim();
  if (search.length > 200) errors.push({ field: 'q', message: 'Search for at most 200 characters.' });
  if (errors.length) throw invalidInput(errors);
  return { limit, before, search };
}

/** Fetches one row more than the page: its presence says another page follows, starting before the last shown. */
export async function fetchBeforePage<T extends { id: number }>(page: BeforePage, fetch: (query: BeforePage) => Promise<T[]>): Promise<{ items: T[]; next: number | null }> {
  const rows = await fetch({ ...page, limit: page.limit + 1 });
  const items = rows.slice(0, page.limit);
  return { items, next: rows.length > page.limit ? items.at(-1)!.id : null };
}

const article = (noun: string) => (/^[aeiou]/i.test(noun) ? 'an' : 'a');

/** A page request's query string (`?q=<text>&before=<id>`): its search and `before`, or the problem with it. */
export function beforePageQuery(query: unknown, noun: string): { search: string; before?: number } | { error: FieldError } {
  const { q, before } = (query ?? {}) as Record<string, unknown>;
  const search = typeof q === 'string' ? q : '';
  if (before === undefined || before === '') return { search };
  if (typeof before !== 'string' || !/^[1-9]\d{0,15}$/.test(before)) {
    return { error: { field: 'before', message: `“before” is ${article(noun)} ${noun} id: a whole number from 1.` } };
  }
  return { search, before: Number(before) };
}
