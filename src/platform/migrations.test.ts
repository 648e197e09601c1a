import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { MIGRATIONS } from '../../migrations/_all.ts';
import { projectFile } from './paths.ts';

test('every migration file is listed, in date order', () => {
  const files = fs
    .readdirSync(projectFile('migrations'))
    .filter((f) => !f.startsWith('_') && f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  assert.deepEqual(Object.keys(MIGRATIONS), files);
  for (const name of files) assert.match(name, /^\d{4}-\d{2}-\d{2}-\d{2}-[a-z0-9-]+$/);
});
