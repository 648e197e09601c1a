// One run over an export, in two streaming passes: the first learns the site (authors,
// categories, attachments, how many items) and proves the file readable before anything is
// written; the second plans each item and imports it (or, in a dry run, lists it).
import fs from 'node:fs';
import { AttachmentIndex } from './attachment-index.ts';
import { heapTidier } from './heap-tidy.ts';
import { WxrError } from './wxr-error.ts';
import { readWxr } from './wxr-reader.ts';
import { toAuthor, toCategory, toItem, toTerm, type WpItem } from './wxr-records.ts';
import { htmlText, planItem, type PlanOptions, type SiteIndex, type StoryPlan, type WpAttachment } from './wp-plan.ts';
import type { StoryOutcome } from './wordpress-import.ts';

export interface DryRunStory {
  title: string;
  status: string;
  section: string;
  topics: string[];
  authors: string[];
  publishedAt: string | null;
  blocks: number;
  leadImage: string | null;
  comments: { approved: number; pending: number };
  oldUrls: string[];
  /** What the body loses on the way in (not in the issue's list; the report needs it per story). */
  dropped: string[];
}

/** What `--dry-run --json` prints. */
export interface DryRunReport {
  authors: string[];
  sections: string[];
  topics: string[];
  stories: DryRunStory[];
  media: { id: string; url: string; alt: string; caption: string }[];
  skipped: { item: string; reason: string }[];
}

export interface RunEvents {
  /** Called once the first pass has counted the items (for a progress bar). */
  counted(items: number): void;
  /** After each item of the second pass. */
  item(label: string, outcome: StoryOutcome | { outcome: 'skipped'; reason: string } | { outcome: 'planned' }): void;
}

/** Reads the export as a stream of chunks (never whole: exports run to gigabytes). */
export function exportStream(file: string): AsyncIterable<Buffer> {
  return fs.createReadStream(file, { highWaterMark: 256 * 1024 });
}

/** Pass one needs no post bodies and no comments: the bulk of an export, left unbuilt. */
const FIRST_PASS_IGNORES = new Set(['content:encoded', 'wp:comment']);

export type IndexedSite = SiteIndex & { attachments: AttachmentIndex; items: number };

/**
 * Pass one: what every item may refer to. Throws WxrError when the file cannot be read. `items`
 * counts what pass two goes through: every item but attachments. The caller closes
 * `site.attachments` (a scratch file) when done with it.
 */
export async function indexSite(open: () => AsyncIterable<Buffer | string>): Promise<IndexedSite> {
  const site: IndexedSite = { authors: new Map(), categories: new Map(), attachments: new AttachmentIndex(), items: 0 };
  try {
    await readSite(open, site);
  } catch (error) {
    site.attachments.close();
    throw error;
  }
  return site;
}

async function readSite(open: () => AsyncIterable<Buffer | string>, site: IndexedSite): Promise<void> {
  let channelSeen = false;
  const tidy = heapTidier(5000);
  for await (const record of readWxr(open(), { ignore: FIRST_PASS_IGNORES })) {
    tidy();
    if (record.kind === 'channel') channelSeen = true;
    else if (record.kind === 'author') {
      const author = toAuthor(record.node);
      if (author.login) site.authors.set(author.login, author);
    } else if (record.kind === 'category') {
      const category = toCategory(record.node);
      if (category.termId) site.categories.set(category.termId, category);
    } else if (record.kind === 'term') {
      const term = toTerm(record.node);
      if (term?.taxonomy === 'category' && term.term.termId) site.categories.set(term.term.termId, term.term);
    } else if (record.kind === 'item') {
      const item = toItem(record.node);
      if (item.type === 'attachment') site.attachments.add(attachmentOf(item));
      else site.items++;
    }
  }
  if (!channelSeen) throw new WxrError('This is an RSS file but not a WordPress export: it has no channel with wp:wxr_version.');
}

function attachmentOf(item: WpItem): WpAttachment {
  return {
    id: item.id,
    url: item.attachmentUrl || item.link,
    title: item.title,
    caption: htmlText(item.excerpt).replace(/\s+/g, ' ').trim(),
    alt: (item.meta.get('_wp_attachment_image_alt') ?? '').trim(),
  };
}

/** Pass two: each item planned, then handed to `act` (import, or add to the dry run's list). */
export async function eachPlan(
  open: () => AsyncIterable<Buffer | string>,
  site: SiteIndex,
  options: PlanOptions,
  act: (plan: StoryPlan, item: WpItem) => Promise<void>,
  skipped: (item: WpItem, reason: string, counted: string) => void,
): Promise<void> {
  const tidy = heapTidier(250);
  for await (const record of readWxr(open())) {
    if (record.kind !== 'item') continue;
    tidy();
    const item = toItem(record.node);
    if (item.type === 'attachment') continue; // media come in with the stories that use them
    const planned = planItem(item, site, options);
    if ('skip' in planned) skipped(item, planned.skip, planned.counted);
    else await act(planned.plan, item);
  }
}

export function itemLabel(item: Pick<WpItem, 'type' | 'id' | 'title'>): string {
  const title = item.title.replace(/\s+/g, ' ').trim();
  return `${item.type || 'item'} ${item.id || '?'}${title ? ` "${title.length > 60 ? `${title.slice(0, 59)}…` : title}"` : ''}`;
}

export function dryRunStory(plan: StoryPlan): DryRunStory {
  return {
    title: plan.title,
    status: plan.status,
    section: plan.section.name,
    topics: plan.topics,
    authors: plan.authors.map((a) => a.name),
    publishedAt: plan.publishedAt,
    blocks: plan.body.blocks.length,
    leadImage: plan.leadImage?.url ?? null,
    comments: plan.comments,
    oldUrls: plan.oldUrls,
    dropped: [...plan.body.dropped, ...plan.notes],
  };
}

/** The whole dry run: nothing opened but the file. */
export async function dryRun(open: () => AsyncIterable<Buffer | string>, options: PlanOptions, events?: RunEvents): Promise<DryRunReport> {
  const site = await indexSite(open);
  try {
    return await planAll(open, site, options, events);
  } finally {
    site.attachments.close();
  }
}

async function planAll(open: () => AsyncIterable<Buffer | string>, site: IndexedSite, options: PlanOptions, events?: RunEvents): Promise<DryRunReport> {
  events?.counted(site.items);
  const report: DryRunReport = { authors: [], sections: [], topics: [], stories: [], media: [], skipped: [] };
  const authors = new Set<string>();
  const sections = new Set<string>();
  const topics = new Map<string, string>();
  await eachPlan(
    open,
    site,
    options,
    async (plan, item) => {
      report.stories.push(dryRunStory(plan));
      for (const a of plan.authors) authors.add(a.name);
      sections.add(plan.section.name);
      for (const t of plan.topics) if (!topics.has(t.toLowerCase())) topics.set(t.toLowerCase(), t);
      events?.item(itemLabel(item), { outcome: 'planned' });
    },
    (item, reason) => {
      report.skipped.push({ item: itemLabel(item), reason });
      events?.item(itemLabel(item), { outcome: 'skipped', reason });
    },
  );
  report.authors = [...authors];
  report.sections = [...sections];
  report.topics = [...topics.values()];
  for (const a of site.attachments.all()) report.media.push({ id: a.id, url: a.url, alt: a.alt, caption: a.caption });
  return report;
}
