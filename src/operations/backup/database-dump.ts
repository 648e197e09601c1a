// The database part of a backup. SQLite: SQLite's online backup API (better-sqlite3's `backup`),
// which copies a consistent state of the file while the site goes on writing. PostgreSQL: a
// logical export made by Bulletin itself (no pg_dump needed): every table's rows as JSON lines,
// read in one REPEATABLE READ, READ ONLY transaction, so all tables come from one moment; restored
// by migrating an empty schema to the backup's migrations, inserting the rows (parents before
// children) and setting each id sequence past the largest id.
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { Migrator, sql, type MigrationProvider } from 'kysely';
import { MIGRATIONS } from '../../../migrations/_all.ts';
import type { DatabaseConfig } from '../../platform/config.ts';
import { isOtherSchemaGone, type Database, type Db } from '../../platform/db.ts';

export const SQLITE_ENTRY = 'database/bulletin.sqlite';
export const TABLE_PREFIX = 'database/tables/';

/** Kysely's own bookkeeping: written by the migrations a restore runs, not copied. */
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

export async function appliedMigrations(database: Database): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: provider(), migrationTableSchema: database.schema });
  for (let attempt = 1; ; attempt++) {
    try {
      return (await migrator.getMigrations()).filter((m) => m.executedAt).map((m) => m.name);
    } catch (error) {
      if (!(attempt < 5 && isOtherSchemaGone(error, database.schema))) throw error;
    }
  }
}

/** A consistent copy of the live SQLite file at `target` (another connection; the site keeps running). */
export async function backupSqlite(file: string, target: string): Promise<void> {
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
}

/**
 * Every table's rows, read from one snapshot through a cursor, 1,000 at a time (a large table is never held in
 * memory whole); each table is written to a JSON-lines file in `dir` and handed to `onTable`,
 * still inside the snapshot's transaction.
 */
export async function exportPostgres(database: Database, dir: string, onTable: (table: string, file: string) => Promise<void>): Promise<void> {
  await database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      for (const table of await tablesInOrder(trx, database.schema!)) {
        const file = path.join(dir, `${table}.jsonl`);
        const out = fs.createWriteStream(file);
        // A cursor, not LIMIT/OFFSET: every row exactly once, whatever the table's key.
        await sql`declare backup_rows no scroll cursor for select * from ${sql.table(table)}`.execute(trx);
        for (;;) {
          const page = await sql<Record<string, unknown>>`fetch forward 1000 from backup_rows`.execute(trx);
          if (page.rows.length && !out.write(page.rows.map((row) => `${JSON.stringify(row)}\n`).join(''))) await once(out, 'drain');
          if (page.rows.length < 1000) break;
        }
        await sql`close backup_rows`.execute(trx);
        out.end();
        await finished(out);
        await onTable(table, file);
        fs.rmSync(file, { force: true });
      }
    });
}

/**
 * Loads exported tables into an empty schema: migrates it to exactly the backup's migrations,
 * inserts every table's rows in one transaction (all or nothing), sets the id sequences, then
 * runs this build's newer migrations.
 */
export async function importPostgres(database: Database, migrations: string[], tables: Map<string, string>): Promise<void> {
  const migrator = new Migrator({ db: database.db, provider: provider(), migrationTableSchema: database.schema });
  const last = migrations.at(-1);
  if (last) await untilSettled(database, () => migrator.migrateTo(last));
  await database.db.transaction().execute(async (trx) => {
    for (const table of await tablesInOrder(trx, database.schema!)) {
      const file = tables.get(table);
      if (!file) continue;
      // Line by line, 200 rows an insert: a large table is never held in memory whole.
      let rows: Record<string, unknown>[] = [];
      const insert = async () => {
        if (rows.length) await trx.withTables<Record<string, Record<string, unknown>>>().insertInto(table).values(rows).execute();
        rows = [];
      };
      for await (const line of createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
        if (!line) continue;
        rows.push(JSON.parse(line) as Record<string, unknown>);
        if (rows.length === 200) await insert();
      }
      await insert();
    }
    const serials = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = ${database.schema} and column_default like 'nextval(%'`.execute(trx);
    for (const { table_name: table, column_name: column } of serials.rows) {
      await sql`select setval(pg_get_serial_sequence(${`"${database.schema}"."${table}"`}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
    }
  });
  await untilSettled(database, () => migrator.migrateToLatest());
}

/**
 * Runs a migration step, again when another schema of the same database vanished while Kysely
 * listed them (as migrate() in platform/db.ts does: nothing of ours was wrong).
 */
async function untilSettled(database: Database, step: () => Promise<{ error?: unknown }>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { error } = await step();
    if (!error) return;
    if (attempt < 5 && isOtherSchemaGone(error, database.schema)) continue;
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/** Whether the configured database holds anything (a restore refuses to overwrite it without --force). */
export async function databaseHoldsData(config: DatabaseConfig, database?: Database): Promise<boolean> {
  if (config.engine === 'sqlite') return config.file !== ':memory:' && fs.existsSync(config.file) && fs.statSync(config.file).size > 0;
  const tables = await sql<{ n: string | number }>`select count(*) as n from information_schema.tables where table_schema = ${config.schema}`.execute(database!.db);
  return Number(tables.rows[0]?.n ?? 0) > 0;
}

/** Empties the PostgreSQL schema (restore --force). */
export async function dropPostgresTables(database: Database): Promise<void> {
  await sql`drop schema ${sql.id(database.schema!)} cascade`.execute(database.db);
  await sql`create schema ${sql.id(database.schema!)}`.execute(database.db);
}

/** Puts a restored SQLite file (written beside it) in place of the configured one; its -wal and -shm files go with the old one. */
export function placeSqlite(restored: string, file: string): void {
  for (const leftover of [`${file}-wal`, `${file}-shm`]) fs.rmSync(leftover, { force: true });
  fs.renameSync(restored, file);
}

/** The schema's tables, parents before the tables whose foreign keys point at them. */
async function tablesInOrder(db: Db, schema: string): Promise<string[]> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const links = await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = k.connamespace
    where k.contype = 'f' and n.nspname = ${schema} and c.relname <> p.relname`.execute(db);
  const names = tables.rows.map((row) => row.name).filter((name) => !MIGRATION_TABLES.includes(name));
  const parents = new Map(names.map((name) => [name, new Set(links.rows.filter((l) => l.child === name).map((l) => l.parent))]));
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const parent of parents.get(name) ?? []) if (parents.has(parent)) visit(parent, path);
    ordered.push(name);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

function provider(): MigrationProvider {
  return { getMigrations: async () => MIGRATIONS };
}
