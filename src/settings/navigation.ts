// The site's own navigation: an ordered list of links the reader header shows in place of the
// sections. Pure checks; each problem names the row it is in (fields `nav-<n>-label`/`nav-<n>-href`,
// n from 1, the ids of the settings form's rows).
import type { FieldError } from '../platform/errors.ts';

export interface NavLink {
  label: string;
  /** A site path ("/national") or an http(s) URL. */
  href: string;
}

export const NAVIGATION_LIMITS = { links: 12, label: 40, href: 500 };

export const navField = (row: number, part: 'label' | 'href') => `nav-${row}-${part}`;

/** The links cleaned (spaces trimmed), or the problems with them; an empty row is not a link. */
export function checkNavigation(rows: NavLink[], errors: FieldError[]): NavLink[] {
  const links = rows
    .map((row) => ({ label: oneLine(row.label), href: oneLine(row.href) }))
    .filter((row) => row.label || row.href);
  if (links.length > NAVIGATION_LIMITS.links) {
    errors.push({ field: navField(NAVIGATION_LIMITS.links + 1, 'label'), message: `The navigation has ${links.length} links; at most ${NAVIGATION_LIMITS.links} fit.` });
  }
  links.forEach((link, i) => {
    const row = i + 1;
    if (!link.label) errors.push({ field: navField(row, 'label'), message: `Link ${row} needs a label.` });
    if (link.label.length > NAVIGATION_LIMITS.label) {
      errors.push({ field: navField(row, 'label'), message: `Link ${row}: the label is ${link.label.length} characters; the limit is ${NAVIGATION_LIMITS.label}.` });
    }
    if (!link.href) errors.push({ field: navField(row, 'href'), message: `Link ${row} needs an address.` });
    else if (!isLinkTarget(link.href)) {
      errors.push({
        field: navField(row, 'href'),
        message: `Link ${row}: “${link.href.slice(0, 80)}” is not an address here; use a path on this site starting with / (like /national) or a full http:// or https:// address.`,
      });
    }
  });
  return links;
}

/** A path on this site ("/x", not "//host", which leaves it) or an absolute http(s) URL. */
export function isLinkTarget(href: string): boolean {
  if (href.length > NAVIGATION_LIMITS.href || /[\s\u0000-\u001f\u007f\\]/.test(href)) return false;
  if (href.startsWith('/')) return !href.startsWith('//');
  try {
    const url = new URL(href);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Stored as JSON text; anything unreadable counts as no navigation rather than breaking every page. */
export function parseStoredNavigation(text: string | undefined): NavLink[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.flatMap((v) =>
      v && typeof v === 'object' && typeof v.label === 'string' && typeof v.href === 'string' && isLinkTarget(v.href)
        ? [{ label: v.label, href: v.href }]
        : [],
    );
  } catch {
    return [];
  }
}

function oneLine(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}
