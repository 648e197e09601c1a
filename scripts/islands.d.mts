// Types for islands.mjs (plain JavaScript, so `node scripts/build.mjs` runs without tsx).
export interface IslandEntry {
  /** Short name pages ask for, e.g. "editor". */
  name: string;
  /** Entry file path. */
  entry: string;
}

export interface BundledIsland {
  name: string;
  /** `<name>-<hash12>.js` */
  fileName: string;
  code: Buffer;
}

export function findIslands(srcDir: string): IslandEntry[];
export function bundleIslands(islands: IslandEntry[]): Promise<BundledIsland[]>;
export const MANIFEST_FILE: string;
