/**
 * A hash of everything a database holds, to prove that a refused request changed nothing: every
 * table of the store (SQLite's, or the current PostgreSQL schema's), each one's rows in a stable order.
 */
import { createHash } from 'node:crypto';
import type { Store } from '@server/store/db';
import { sql } from 'kysely';

/** The tables of the store, by name. */
async function tableNames(store: Store): Promise<string[]> {
  const { rows } =
    store.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(store.db);
  return rows.map((r) => r.name).sort();
}

/** SHA-256 over every row of every table except `except`; equal before and after means nothing changed. */
export async function databaseFingerprint(store: Store, { except = [] as readonly string[] } = {}): Promise<string> {
  const hash = createHash('sha256');
  for (const table of await tableNames(store)) {
    if (except.includes(table)) continue;
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
    const lines = rows.map((row) =>
      JSON.stringify(row, (_key, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
      ),
    );
    hash.update(`${table}\n${lines.sort().join('\n')}\n`);
  }
  return hash.digest('hex');
}
