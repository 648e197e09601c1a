#!/usr/bin/env node
// The `bulletin` command: runs the TypeScript CLI through tsx (no build step).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// tsx is resolved from this package, so the command works from any directory.
const tsx = import.meta.resolve('tsx');
// An import streams exports of any size holding one item at a time; a small young generation
// (with the importer's periodic collections) keeps its garbage from piling up: its memory stays
// flat and under 200 MB (docs/adr/008-wordpress-import.md).
const v8 = process.argv[2] === 'import' ? ['--max-semi-space-size=2'] : [];
const result = spawnSync(process.execPath, [...v8, '--import', tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
