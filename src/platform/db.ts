// Opens the configured database (SQLite by default, PostgreSQL when DATABASE_URL says so) and runs
// migrations. Features get a `Db` and declare their own tables with `db.withTables<…>()`, so no
// central schema type couples them.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type Compilable,
  type DatabaseConnection,
  type SqliteDialectConfig,
  type MigrationProvider,
  type SqliteDatabase,
} from 'kysely';
import { MIGRATIONS } from '../../migrations/_all.ts';
import type { DatabaseConfig } from './config.ts';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type Db = Kysely<{}>;

export interface Database {
  db: Db;
  engine: DatabaseConfig['engine'];
  /** The PostgreSQL schema holding the tables (undefined on SQLite). */
  schema?: string;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.engine === 'sqlite') {
    if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new SQLite(config.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- as Db above
    const db = new Kysely<{}>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, engine: 'sqlite', close: () => db.destroy() };
  }
  await ensureSchema(config.url, config.schema);
  const pool = new pg.Pool({ connectionString: config.url, max: 10, options: `-c search_path=${config.schema}` });
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- as Db above
  const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', schema: config.schema, close: () => db.destroy() };
}

/**
 * Transactions begin IMMEDIATE: they take the write lock at `begin`, waiting up to `busy_timeout`
 * for it. Kysely's default (DEFERRED) takes a read snapshot first, and a transaction that reads
 * and then writes fails at once with SQLITE_BUSY_SNAPSHOT if another process (a CLI import, a
 * second server on the same file) committed in between; no timeout can help that one.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares every query afresh, and on SQLite preparing costs more than running a small
 * query. Statements are reusable, so keep the most recent ones by their SQL text.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
    } else {
      statement = sqlite.prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
  return { prepare, close: () => sqlite.close() };
}

/**
 * Creates the schema when it is missing. Nodes starting together would otherwise race on
 * `CREATE SCHEMA IF NOT EXISTS` (one fails with a duplicate key), so they take turns under an
 * advisory lock named by the schema; the migrations then run under Kysely's advisory lock.
 */
async function ensureSchema(url: string, schema: string): Promise<void> {
  if (schema === 'public') return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bulletin.schema:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Migrations are files in /migrations named YYYY-MM-DD-NN-what.ts, listed in migrations/_all.ts. */
const migrationList: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema up to date. Kysely holds a lock while it runs (on PostgreSQL a session advisory
 * lock), so nodes starting together run each migration once; the others wait, then find nothing to do.
 */
export async function migrate({ db, schema }: Pick<Database, 'db' | 'schema'>): Promise<string[]> {
  // Naming the schema matters when several schemas share a database: Kysely would otherwise find
  // another schema's migration tables and skip creating its own.
  const migrator = new Migrator({ db, provider: migrationList, migrationTableSchema: schema });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Kysely looks for its migration table by listing the tables of every schema in the database;
    // a schema someone else drops during that listing fails it ("schema … does not exist", 3F000,
    // or "relation "<their schema>.<table>" does not exist", 42P01), though nothing of ours is wrong. Trying again is safe: on PostgreSQL the migrations run in one
    // transaction, so a failed attempt leaves nothing behind.
    // The same listing can also catch a table of another schema half-altered by that schema's own
    // migration ("column … of relation … does not exist", 42703). A real fault of ours fails the
    // same way five times over and is thrown.
    if (attempt < 5 && (isOtherSchemaGone(error, schema) || (error as { code?: string } | undefined)?.code === '42703')) continue;
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/** Names of the migrations this build has that the database has not run (a node older than its schema sees none). */
export async function pendingMigrations({ db, schema }: Pick<Database, 'db' | 'schema'>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationList, migrationTableSchema: schema });
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

/**
 * Whether a failure names another schema, dropped while Kysely listed it: the schema itself gone
 * (3F000), or one of its tables, which the listing names schema-qualified (42P01, `relation
 * "t_12_other.jobs" does not exist`). A table of ours is never named with another schema.
 * Exported for its test.
 */
export function isOtherSchemaGone(error: unknown, schema: string | undefined): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (typeof message !== 'string') return false;
  if (code === '3F000') return !(schema && message.includes(`"${schema}"`));
  const relation = code === '42P01' ? /relation "([^".]+)\.[^"]+" does not exist/.exec(message) : null;
  return relation !== null && relation[1] !== schema;
}

const PARAM_PREFIX = '\u0000param:';

/** A named placeholder for a `Prepared` query; typed as the value it stands for. */
export function param<T>(name: string): T {
  return `${PARAM_PREFIX}${name}` as unknown as T;
}

/**
 * A query built and compiled once, run many times with new parameter values. Building and
 * compiling a query costs about three times what SQLite takes to run a point lookup, so hot
 * reader queries are prepared this way; values stand in as `param('name')` when building.
 */
export class Prepared<Row, Params extends Record<string, unknown>> {
  private readonly sql: string;
  private readonly slots: ({ name: string } | { value: unknown })[];

  constructor(query: Compilable<Row>) {
    const compiled = query.compile();
    this.sql = compiled.sql;
    this.slots = compiled.parameters.map((value) =>
      typeof value === 'string' && value.startsWith(PARAM_PREFIX) ? { name: value.slice(PARAM_PREFIX.length) } : { value },
    );
  }

  // A prepared query runs on any feature's tables.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async execute(db: Kysely<any>, values: Params): Promise<Row[]> {
    const parameters = this.slots.map((slot) => ('name' in slot ? values[slot.name] : slot.value));
    const result = await db.executeQuery<Row>(CompiledQuery.raw(this.sql, parameters));
    return result.rows;
  }
}
