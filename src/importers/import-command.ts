// `bulletin import FILE… [--publish] [--dry-run] [--json]`: imports captures one by one, so one bad
// file costs only itself. Returns the exit code: 0 all imported, 1 some failed, 2 usage error.
import { slugify } from '../articles/slug.ts';
import { CaptureError } from './capture-error.ts';
import { readCaptureFile } from './capture-file.ts';
import type { CaptureImporter, DryRunResult, ImportResult } from './capture-import.ts';
import { createProgress, type Progress } from './progress.ts';

export interface ImportCommandDeps {
  importer: CaptureImporter;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
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

  // With --json, stdout carries only the JSON; progress goes to stderr, and only for a person watching.
  const progress: Progress | undefined =
    files.length > 1 && !(dryRun && !json) && (!json || deps.isTTY)
      ? createProgress({ total: files.length, label: 'imported', unit: 'files', out: json ? err : out, isTTY: deps.isTTY })
      : undefined;
  const report = (line: string, stream: NodeJS.WritableStream) =>
    progress ? progress.log(line, stream) : stream.write(`${line}\n`);

  const results: (ImportResult | DryRunResult)[] = [];
  let failed = 0;
  for (const file of files) {
    try {
      const text = await readCaptureFile(file);
      if (dryRun) {
        const result = deps.importer.dryRun(text);
        results.push(result);
        if (!json) out.write(`${describeDryRun(file, result)}\n`);
        progress?.tick(`${slugify(result.section)}/${slugify(result.headline)}`);
      } else {
        const result = await deps.importer.importText(text, { fileName: file, publish: parsed.publish });
        results.push(result);
        const detail = `${result.url.replace(/^\//, '')} (${result.created ? 'created' : 'updated'})`;
        if (progress) progress.tick(detail);
        else if (!json) out.write(`imported ${file}: ${detail}\n`);
      }
    } catch (error) {
      failed++;
      report(`error: ${file}: ${reasonOf(error)}`, err);
      progress?.tick(`failed: ${file}`);
    }
  }
  progress?.done();

  if (json) {
    const payload = files.length === 1 ? results[0] : results;
    if (payload !== undefined) out.write(`${JSON.stringify(payload, null, 2)}\n`);
  } else if (files.length > 1) {
    const verb = dryRun ? 'parsed' : 'imported';
    out.write(`${verb} ${files.length - failed} of ${files.length} files${failed ? `; ${failed} failed` : ''}.\n`);
  }
  return failed > 0 ? 1 : 0;
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
  const count = (type: string) => result.blocks.filter((b) => b.type === type).length;
  const credit = result.credit.text ? `credit "${result.credit.text}"` : 'no credit';
  return (
    `${file}: would import "${result.headline}" in ${result.section}: ` +
    `${count('paragraph')} paragraphs, ${count('heading')} sub-headings, ${count('video')} videos, ${credit}`
  );
}
