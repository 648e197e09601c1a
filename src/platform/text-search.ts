// "Contains" search over text columns, the same on both engines: the words are matched literally
// (no wildcards), and case is folded for A–Z only, because SQLite's lower() knows no other letters;
// PostgreSQL's lower() is held to the C collation's so one search finds the same rows everywhere.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DatabaseConfig } from './config.ts';

const foldAscii = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/** A where-condition: true when any of `columns` contains `search`. */
export function containsText(engine: DatabaseConfig['engine'], columns: readonly string[], search: string): Expression<SqlBool> {
  const pattern = `%${foldAscii(search).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const lowered = (column: string) => (engine === 'postgres' ? sql`lower(${sql.ref(column)} collate "C")` : sql`lower(${sql.ref(column)})`);
  // SQLite's LIKE has no escape character unless told; PostgreSQL's is the backslash already.
  const each = columns.map((column) => sql`${lowered(column)} like ${pattern} escape '\\'`);
  return sql<SqlBool>`(${sql.join(each, sql` or `)})`;
}
