import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store, type StoreConfig } from './db';
import { newId } from './ids';

/** The PostgreSQL server tests use (trust auth); `ACCORD_TEST_DATABASE_URL` overrides it. */
export const TEST_POSTGRES_URL =
  process.env.ACCORD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Which databases a test suite runs against. */
export type StoreKind = 'sqlite' | 'postgres';

/** A store opened for one test, with what removes it again. */
export interface TestStore {
  store: Store;
  /** Where it lives, for a second connection or a child process (a CLI) to open it. */
  config: StoreConfig;
  cleanup(): Promise<void>;
}

/**
 * The databases to test on: SQLite always, PostgreSQL when it answers. When it does not, the reason
 * is printed and PostgreSQL is left out, except under `CI=true`, where that is an error.
 */
export async function testStoreKinds(): Promise<StoreKind[]> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return ['sqlite', 'postgres'];
  } catch (err) {
    const reason = `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${err instanceof Error ? err.message : String(err)})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it.`, { cause: err });
    console.warn(`${reason}: PostgreSQL tests are not run.`);
    return ['sqlite'];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Opens a fresh, migrated store: SQLite in a new temporary directory, or PostgreSQL in a new schema
 * of the test database (selected through `search_path`). `cleanup` closes it and deletes it.
 */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'accord-test-'));
    const config: StoreConfig = { kind: 'sqlite', dataDir };
    const store = await openStore(config);
    return {
      store,
      config,
      cleanup: async () => {
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schemaName = `t_${newId()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schemaName}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schemaName}`);
  const config: StoreConfig = { kind: 'postgres', url: url.toString() };
  const store = await openStore(config);
  return {
    store,
    config,
    cleanup: async () => {
      await store.close();
      await admin.query(`drop schema ${schemaName} cascade`);
      await admin.end();
    },
  };
}
