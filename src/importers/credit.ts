// The credit line at the foot of a wire story ("AP writers … contributed to this report.",
// "With files from The Canadian Press") → the text kept verbatim plus who it names. Pure functions.
import type { Credit } from '../articles/model.ts';

// The line shapes newsrooms use; each captures the list of names.
const WITH_FILES = /^with (?:files|reporting|contributions?) from\s+(.+?)\.?$/i;
const CONTRIBUTED = /^(.+?)\s+contributed\s+(?:to\s+(?:this|the)\s+(?:report|story|article)|reporting\b.*?)\.?$/i;
const REPORTING_BY = /^(?:additional\s+)?(?:reporting|writing|editing)\s+by\s+/i;

/** Longer lines are prose that happens to mention a contribution, not a credit line. */
const MAX_CREDIT_LINE = 400;

/** The credit a line states, or null when the line is not a credit line. */
export function parseCreditLine(line: string): Credit | null {
  if (line.length > MAX_CREDIT_LINE) return null;
  // Credits are often set off with a leading dash or wrapped in parentheses/brackets.
  const core = line.replace(/^[\s—–-]+/, '').replace(/^[([](.*)[)\]]\.?$/, '$1').trim();
  let names: string[];
  const withFiles = WITH_FILES.exec(core);
  const contributed = withFiles ? null : CONTRIBUTED.exec(core);
  if (withFiles) names = splitNames(withFiles[1]!);
  else if (contributed) names = splitNames(contributed[1]!);
  else if (REPORTING_BY.test(core)) {
    // Reuters style: "Reporting by A in Kyiv and B; Editing by C"
    names = core.split(';').flatMap((part) => {
      const trimmed = part.trim().replace(/\.$/, '');
      return REPORTING_BY.test(trimmed) ? splitNames(trimmed.replace(REPORTING_BY, '')) : [];
    });
  } else return null;

  // "With files from the inquiry, investigators said…" starts like a credit but names no one.
  if (!names.every(isNameLike)) return null;
  const contributors: string[] = [];
  const agencies: string[] = [];
  for (const item of names) {
    for (const { name, kind } of classifyItem(item)) {
      const list = kind === 'agency' ? agencies : contributors;
      if (!list.includes(name)) list.push(name);
    }
  }
  // "Staff contributed to this report." names nobody, yet it is still the credit line.
  return { text: line, contributors, agencies };
}

/** "A, B, and C" / "A and B" / "A & B" → ["A", "B", "C"]. */
export function splitNames(list: string): string[] {
  return list
    .split(/\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s+&\s+/i)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A list item of a credit: a capitalised name of a few words (with role and place), or "staff". */
function isNameLike(item: string): boolean {
  const words = item.replace(/\s*\([^)]*\)/g, '').split(/\s+/).length;
  return /^[\p{Lu}\p{N}]/u.test(item) ? words <= 10 : words <= 2;
}

type Named = { name: string; kind: 'person' | 'agency' };

/**
 * One list item: a person, an agency, or both ("AP writer Jane Doe", "Global News' Jane Doe").
 * Items that do not start with a capital ("wire services", "staff") name nobody in particular.
 */
function classifyItem(raw: string): Named[] {
  let item = raw
    .replace(/\s*\([^)]*\)/g, '') // "Global Wire Service (GWS)": the abbreviation repeats the name
    .replace(/\s+(?:in|from)\s+\p{Lu}[^,]*$/u, '') // "Jane Doe in Ottawa": the place is not the name
    .replace(/[.;:]+$/, '')
    .trim();
  const out: Named[] = [];
  const role = /^(.+?)\s+(?:staff\s+|senior\s+|chief\s+)?(?:writers?|reporters?|correspondents?|journalists?|photographers?)\s+(.+)$/i.exec(item);
  const possessive = role ? null : /^(.+?)['’]s?\s+(\p{Lu}.+)$/u.exec(item);
  const split = role ?? possessive;
  if (split && /^(?:staff|senior|chief|freelance|special|contributing)$/i.test(split[1]!)) {
    item = split[2]!; // "Staff writer Jane Doe": the role names no agency
  } else if (split && isAgency(split[1]!)) {
    out.push({ name: split[1]!, kind: 'agency' });
    item = split[2]!;
  }
  if (!/^[\p{Lu}\p{N}]/u.test(item)) return out;
  out.push({ name: item, kind: isAgency(item) ? 'agency' : 'person' });
  return out;
}

const AGENCY_WORDS =
  /\b(?:press|news|newswire|reuters|agence|agency|wire|services?|bloomberg|associated|media|network|bureau|radio|television|tv|broadcasting|corporation|inc|ltd|syndicate|xinhua|kyodo|yonhap|tass|times|post|journal|herald|gazette|tribune|staff)\b|wire\b/i;

/** People have a given name and a family name; agencies are acronyms, one-word brands or "The …". */
export function isAgency(name: string): boolean {
  if (/^[\p{Lu}\p{N}&.-]{2,}$/u.test(name)) return true; // AP, AFP, CNS, U.P.I.
  if (AGENCY_WORDS.test(name)) return true;
  if (/^the\s/i.test(name)) return true;
  return !/\s/.test(name); // Reuters, Northwire, Xinhua
}
