// `bulletin import wordpress EXPORT.xml [--uploads DIR] [--dry-run] [--json] [--skip-pages]`.
// Reads the whole export once before opening the database (a bad file opens nothing), then imports
// story by story with a progress bar, and ends with a summary. Exit codes: 0 when stories came in
// (or were already in), 1 when nothing could be imported, 2 for a usage error.
import fs from 'node:fs';
import { createProgress } from '../progress.ts';
import type { StoryOutcome, WordpressImporter } from './wordpress-import.ts';
import { dryRun, eachPlan, exportStream, indexSite, itemLabel, type RunEvents } from './wordpress-run.ts';
import { MediaResolver, type MediaSource } from './wp-media.ts';
import { itemComments } from './wp-comments.ts';
import { WxrError } from './wxr-error.ts';
import type { ImageService } from '../../media/image-service.ts';
import type { Db } from '../../platform/db.ts';

export const WORDPRESS_USAGE = `usage: bulletin import wordpress EXPORT.xml [--uploads DIR] [--dry-run] [--json] [--skip-pages]

Imports a WordPress export (Tools → Export, or \`wp export\`): posts become stories, categories
sections, tags topics, authors author profiles; old addresses answer 301. Running it again
updates what it imported; stories edited in the newsroom since are left alone.
  --uploads DIR   a copy of the site's wp-content/uploads (else files are fetched from their URLs)
  --dry-run       read and show what would be imported; writes nothing
  --json          print the result as JSON
  --skip-pages    leave pages out (else they become stories in the pages section)
  --pages-section NAME
                  the section pages go to (default "Pages")
`;

/** The services a real import needs, opened after the file has been read through once. */
export interface WordpressSession {
  importer: WordpressImporter;
  images: ImageService;
  db: Db;
  maxUploadBytes: number;
  close(): Promise<void>;
}

export interface WordpressCommandDeps {
  open: () => Promise<WordpressSession>;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  isTTY: boolean;
  now?: () => Date;
  /** Whether files may be fetched over the network when no uploads folder is given. */
  allowFetch?: boolean;
}

interface Options {
  file: string;
  uploads?: string;
  dryRun: boolean;
  json: boolean;
  pagesSection: string | undefined;
}

export async function runWordpressCommand(argv: string[], deps: WordpressCommandDeps): Promise<number> {
  const { out, err } = deps;
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(WORDPRESS_USAGE);
    return 0;
  }
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    err.write(`error: ${options}\n${WORDPRESS_USAGE}`);
    return 2;
  }
  const fileProblem = checkFile(options.file) ?? (options.uploads !== undefined ? checkFolder(options.uploads) : undefined);
  if (fileProblem) {
    err.write(`error: ${fileProblem}\n`);
    return 1;
  }
  const open = () => exportStream(options.file);
  const planOptions = { pagesSection: options.pagesSection, now: deps.now?.() ?? new Date() };
  let progress: ReturnType<typeof createProgress> | undefined;
  const events: RunEvents = {
    counted(items) {
      // The bar goes to stderr on a terminal; --json on a pipe gets no lines that would break the JSON.
      if (deps.isTTY || !options.json) progress = createProgress({ total: items, label: options.dryRun ? 'read' : 'imported', unit: 'items', out: deps.isTTY ? err : out, isTTY: deps.isTTY });
    },
    item(label, outcome) {
      progress?.tick(deps.isTTY ? label : `${label}: ${describe(outcome)}`);
    },
  };

  try {
    if (options.dryRun) {
      const report = await dryRun(open, planOptions, events);
      progress?.done();
      if (options.json) out.write(`${JSON.stringify(report, null, 2)}\n`);
      else out.write(`would import ${report.stories.length} stories in ${report.sections.length} sections by ${report.authors.length} authors, ${report.topics.length} topics, ${report.media.length} media files; ${report.skipped.length} items skipped\n`);
      return report.stories.length > 0 ? 0 : 1;
    }
    return await importAll(options, deps, open, planOptions, events, () => progress);
  } catch (error) {
    progress?.done();
    if (error instanceof WxrError) {
      err.write(`error: ${options.file}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function importAll(
  options: Options,
  deps: WordpressCommandDeps,
  open: () => AsyncIterable<Buffer>,
  planOptions: { pagesSection: string | undefined; now: Date },
  events: RunEvents,
  progress: () => ReturnType<typeof createProgress> | undefined,
): Promise<number> {
  const { out, err } = deps;
  const site = await indexSite(open);
  let session: WordpressSession;
  try {
    session = await deps.open();
  } catch (error) {
    site.attachments.close();
    throw error;
  }
  const tally = { created: 0, updated: 0, unchanged: 0, leftAlone: 0, failed: 0, skipped: 0 };
  const lines: string[] = [];
  const skippedByKind = new Map<string, number>();
  const comments = { approved: 0, pending: 0, alreadyImported: 0, empty: 0, onStoriesNotImported: 0, skipped: {} as Record<string, number> };
  try {
    const source: MediaSource = { ...(options.uploads ? { uploadsDir: options.uploads } : {}), fetch: !options.uploads && deps.allowFetch !== false, maxBytes: session.maxUploadBytes };
    const media = new MediaResolver(session.images, session.db, site.attachments, source);
    events.counted(site.items);
    await eachPlan(
      open,
      site,
      planOptions,
      async (plan, item) => {
        const thread = itemComments(item);
        const outcome = await session.importer.importStory(plan, media, thread.comments);
        const label = itemLabel(item);
        for (const [kind, n] of Object.entries(thread.skipped)) comments.skipped[kind] = (comments.skipped[kind] ?? 0) + n;
        if (outcome.outcome === 'failed') comments.onStoriesNotImported += thread.comments.length;
        else {
          comments.approved += outcome.comments.added.approved;
          comments.pending += outcome.comments.added.pending;
          comments.alreadyImported += outcome.comments.already;
          comments.empty += outcome.comments.empty;
        }
        if (outcome.outcome === 'left-alone') tally.leftAlone++;
        else if (outcome.outcome === 'failed') tally.failed++;
        else tally[outcome.outcome]++;
        if (outcome.outcome === 'failed') lines.push(`not imported: ${label}: ${outcome.reason}`);
        else if (outcome.outcome === 'left-alone') lines.push(`left alone: ${label} (${outcome.url}): ${outcome.reason}`);
        else if (outcome.dropped.length || outcome.notes.length) lines.push(`${label} (${outcome.url}): ${[...outcome.dropped.map((d) => `dropped ${d}`), ...outcome.notes].join('; ')}`);
        events.item(label, outcome);
      },
      (item, reason, counted) => {
        tally.skipped++;
        skippedByKind.set(counted, (skippedByKind.get(counted) ?? 0) + 1);
        events.item(itemLabel(item), { outcome: 'skipped', reason });
      },
    );
  } finally {
    progress()?.done();
    site.attachments.close();
    await session.close();
  }
  const skipped = [...skippedByKind].map(([kind, n]) => `${n} ${kind}`).join(', ');
  const summary = {
    ...tally,
    skippedByKind: Object.fromEntries(skippedByKind),
    comments,
    report: lines,
  };
  if (options.json) out.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    for (const line of lines) err.write(`${line}\n`);
    out.write(
      `created ${tally.created}, updated ${tally.updated}, unchanged ${tally.unchanged}, left alone ${tally.leftAlone}, not imported ${tally.failed}, skipped ${tally.skipped}${skipped ? ` (${skipped})` : ''}.\n` +
        `comments: ${describeComments(comments)}.\n`,
    );
  }
  return tally.created + tally.updated + tally.unchanged + tally.leftAlone > 0 ? 0 : 1;
}

function describeComments(c: { approved: number; pending: number; alreadyImported: number; empty: number; onStoriesNotImported: number; skipped: Record<string, number> }): string {
  const parts = [`${c.approved} approved and ${c.pending} pending imported`];
  if (c.alreadyImported) parts.push(`${c.alreadyImported} already imported`);
  const skipped = Object.entries(c.skipped).map(([kind, n]) => `${n} ${kind}`);
  if (c.empty) skipped.push(`${c.empty} empty`);
  if (skipped.length) parts.push(`skipped ${skipped.join(', ')}`);
  if (c.onStoriesNotImported) parts.push(`${c.onStoriesNotImported} not imported with their stories`);
  return parts.join('; ');
}

function describe(outcome: StoryOutcome | { outcome: 'skipped'; reason: string } | { outcome: 'planned' }): string {
  switch (outcome.outcome) {
    case 'created': case 'updated': case 'unchanged':
      return `${outcome.outcome} ${outcome.url}`;
    case 'left-alone':
      return `left alone (${outcome.reason})`;
    case 'failed':
      return `not imported: ${outcome.reason}`;
    case 'skipped':
      return `skipped: ${outcome.reason}`;
    case 'planned':
      return 'would import';
  }
}

function parseArgs(argv: string[]): Options | string {
  const files: string[] = [];
  const options: Omit<Options, 'file'> = { dryRun: false, json: false, pagesSection: 'Pages' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--skip-pages') options.pagesSection = undefined;
    else if (arg === '--uploads' || arg === '--pages-section') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) return `${arg} needs a value`;
      if (arg === '--uploads') options.uploads = value;
      else if (!value.trim() || value.trim().length > 60) return '--pages-section needs a section name of 1 to 60 characters';
      else options.pagesSection = value.trim();
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else files.push(arg);
  }
  if (files.length === 0) return 'no export file given';
  if (files.length > 1) return 'give one export file (WordPress writes one per site)';
  return { file: files[0]!, ...options };
}

function checkFile(file: string): string | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return `${file}: no such file`;
  if (!stat.isFile()) return `${file}: not a file`;
  if (stat.size === 0) return `${file}: the file is empty`;
  return undefined;
}

function checkFolder(dir: string): string | undefined {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  return stat?.isDirectory() ? undefined : `--uploads ${dir}: no such folder`;
}
