import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { MIGRATIONS } from '../../migrations/_all.ts';
import { isOtherSchemaGone } from './db.ts';
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

test('a schema dropped by someone else while Kysely lists every schema is tried again; our own missing schema is not', () => {
  const gone = (name: string) => Object.assign(new Error(`schema "${name}" does not exist`), { code: '3F000' });
  assert.equal(isOtherSchemaGone(gone('t_12_other'), 't_34_ours'), true);
  assert.equal(isOtherSchemaGone(gone('t_34_ours'), 't_34_ours'), false);
  assert.equal(isOtherSchemaGone(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }), 't_34_ours'), false);
  assert.equal(isOtherSchemaGone(undefined, 't_34_ours'), false);
  // A table of a schema dropped while the listing read it, named with its schema.
  const table = (name: string) => Object.assign(new Error(`relation "${name}" does not exist`), { code: '42P01' });
  assert.equal(isOtherSchemaGone(table('t_12_other.alerts_when_live'), 't_34_ours'), true);
  assert.equal(isOtherSchemaGone(table('t_34_ours.alerts_when_live'), 't_34_ours'), false);
});
