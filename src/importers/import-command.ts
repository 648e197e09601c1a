// `bulletin import FILE… [--publish] [--dry-run] [--json]`: imports captures one by one, so one bad
// file costs only itself. Returns the exit code: 0 all imported, 1 some failed, 2 usage error.
import { slugify } from '../articles/slug.ts';
import { CaptureError } from './capture-error.ts';
import { readCaptureFile } from './capture-file.ts';
import { dryRunCapture, type CaptureImporter, type DryRunResult, type ImportResult } from './capture-import.ts';
import { createProgress, type Progress } from './progress.ts';

/** Opens the services on first use and closes them after: a dry run, or a batch of bad files, opens nothing. */
export type ImporterFactory = () => Promise<{ importer: CaptureImporter; close(): Promise<void> }>;

export interface ImportCommandDeps {
  importer: CaptureImporter | ImporterFactory;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Whether a person watches `err`: progress is then a bar redrawn there, else plain lines on `out`. */
  isTTY: boolean;
}

export const IMPORT_USAGE = `usage: bulletin import FILE… [--publish] [--dry-run] [--json]

Imports text captures as stories (drafts unless --publish). Re-importing a capture updates its story.
  --publish   publish the stories (an already published story stays published either way)
  --dry-run   parse only and show what would be imported; writes nothing
  --json      print the result as JSON (an object for one file, an array for several)
`;

interface Options {
  files: string[];
  publish: boolean;
  dryRun: boolean;
  json: boolean;
  help: boolean;
}

/** argv: the arguments after `import`. */
export async function runImportCommand(argv: string[], deps: ImportCommandDeps): Promise<number> {
  const { out, err } = deps;
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    err.write(`error: ${parsed}\n${IMPORT_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    out.write(IMPORT_USAGE);
    return 0;
  }
  const { files, dryRun, json } = parsed;

  // The bar goes to stderr, so stdout stays clean for results and JSON; with --json and no one
  // watching, per-file lines would corrupt the JSON, so there are none.
  const progress: Progress | undefined =
    files.length > 1 && !(dryRun && !json) && (!json || deps.isTTY)
      ? createProgress({ total: files.length, label: 'imported', unit: 'files', out: deps.isTTY ? err : out, isTTY: deps.isTTY })
      : undefined;
  const report = (line: string, stream: NodeJS.WritableStream) =>
    progress ? progress.log(line, stream) : stream.write(`${line}\n`);

  const opened = lazyImporter(deps.importer);
  const results: (ImportResult | DryRunResult)[] = [];
  const importOne = async (file: string): Promise<void> => {
    const text = await readCaptureFile(file);
    if (dryRun) {
      const result = dryRunCapture(text);
      results.push(result);
      if (!json) out.write(`${describeDryRun(file, result)}\n`);
      progress?.tick(`${slugify(result.section)}/${slugify(result.headline)}`);
      return;
    }
    dryRunCapture(text); // parse before opening the database, so a batch of bad files opens nothing
    const importer = await opened.get();
    const result = await importer.importText(text, { fileName: file, publish: parsed.publish });
    results.push(result);
    const detail = `${result.url.replace(/^\//, '')} (${result.created ? 'created' : 'updated'})`;
    if (progress) progress.tick(detail);
    else if (!json) out.write(`imported ${file}: ${detail}\n`);
  };

  try {
    for (const file of files) {
      try {
        await importOne(file);
      } catch (error) {
        report(`error: ${file}: ${reasonOf(error)}`, err);
        progress?.tick(`failed: ${file}`);
        if (error instanceof ServicesUnavailable) break; // every other file would fail the same way
      }
    }
  } finally {
    progress?.done();
    await opened.close();
  }

  const failed = files.length - results.length;
  if (json) {
    const payload = files.length === 1 ? results[0] : results;
    if (payload !== undefined) out.write(`${JSON.stringify(payload, null, 2)}\n`);
  } else if (files.length > 1) {
    const verb = dryRun ? 'parsed' : 'imported';
    out.write(`${verb} ${results.length} of ${files.length} files${failed ? `; ${failed} failed` : ''}.\n`);
  }
  return failed > 0 ? 1 : 0;
}

class ServicesUnavailable extends Error {}

function lazyImporter(source: CaptureImporter | ImporterFactory) {
  if (typeof source !== 'function') return { get: async () => source, close: async () => undefined };
  let opening: ReturnType<ImporterFactory> | undefined;
  return {
    async get(): Promise<CaptureImporter> {
      opening ??= source();
      try {
        return (await opening).importer;
      } catch (error) {
        throw new ServicesUnavailable(`cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    async close(): Promise<void> {
      if (opening) await opening.then((o) => o.close(), () => undefined);
    },
  };
}

function parseArgs(argv: string[]): Options | string {
  const options: Options = { files: [], publish: false, dryRun: false, json: false, help: false };
  let flagsDone = false;
  for (const arg of argv) {
    if (flagsDone || arg === '-' || !arg.startsWith('-')) options.files.push(arg);
    else if (arg === '--') flagsDone = true;
    else if (arg === '--publish') options.publish = true;
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else return `unknown option ${arg}`;
  }
  if (!options.help && options.files.length === 0) return 'no capture files given';
  return options;
}

/** One line, whatever went wrong: the reason without the file name (the caller prints it once). */
function reasonOf(error: unknown): string {
  const message = error instanceof CaptureError ? error.reason : error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim() || 'failed for an unknown reason.';
}

function describeDryRun(file: string, result: DryRunResult): string {
  const count = (type: string, noun: string) => {
    const n = result.blocks.filter((b) => b.type === type).length;
    return `${n} ${noun}${n === 1 ? '' : 's'}`;
  };
  const credit = result.credit.text ? `credit "${result.credit.text}"` : 'no credit';
  return (
    `${file}: would import "${result.headline}" in ${result.section}: ` +
    `${count('paragraph', 'paragraph')}, ${count('heading', 'sub-heading')}, ${count('video', 'video')}, ${credit}`
  );
}
