// Where the project's own files are, whether running from source (tsx) or from the bundle in dist/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'migrations'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Bulletin project folder (package.json with migrations/)');
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot();

/** A file of the project, by its path from the project folder (e.g. "src/site/styles.css"). */
export function projectFile(relative: string): string {
  return path.join(PROJECT_ROOT, relative);
}
