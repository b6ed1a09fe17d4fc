import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type Migration as KyselyMigration, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type Dialect, migrations } from './migrations/index';
import type { Database } from './schema';

/** Where the data lives: an embedded SQLite file (default) or a PostgreSQL server. */
export type StoreConfig = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

/** An open database: the one Kysely query layer, plus which dialect it speaks. */
export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (bigserial ids, counts) as strings; our ids stay far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** Bring the schema up to date (default true). */
  migrate?: boolean;
  /**
   * Told when an idle PostgreSQL connection breaks (the server restarted, a failover, an
   * administrator cut it). The pool drops that connection and opens a new one for the next query;
   * without a listener the pool's `error` event would be an uncaught exception.
   */
  onConnectionError?: (err: Error) => void;
}

/**
 * Opens the database and brings its schema up to date (unless `migrate: false`). SQLite runs in WAL mode with
 * `synchronous=FULL`, so a committed transaction is on disk before the call returns: that is what
 * lets the collaboration server tell a user "Saved".
 */
export async function openStore(
  config: StoreConfig,
  { migrate: runMigrations = true, onConnectionError }: OpenStoreOptions = {},
): Promise<Store> {
  let db: Kysely<Database>;
  let dialect: Dialect;
  if (config.kind === 'sqlite') {
    mkdirSync(config.dataDir, { recursive: true });
    const sqlite = new SqliteDatabase(join(config.dataDir, 'accord.db'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    dialect = 'sqlite';
  } else {
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    pool.on('error', (err) => onConnectionError?.(err));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    dialect = 'postgres';
  }
  // Tools that only read (`npm run verify-audit`) leave the schema as they found it.
  if (runMigrations) await migrate(db, dialect);
  return { db, dialect, close: () => db.destroy() };
}

async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const provided: Record<string, KyselyMigration> = {};
  for (const [name, migration] of Object.entries(migrations)) {
    provided[name] = { up: (kdb) => migration.up(kdb, dialect) };
  }
  // Kysely looks for its migration tables in every schema unless told which: name the current one, so
  // that databases in separate schemas of one PostgreSQL database (parallel tests) never see each other's.
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => provided },
    migrationTableSchema,
    // Migration numbers are assigned per feature and features land in any order (004 before 002):
    // a database that already ran a later number must still accept an earlier one that lands after.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
