/**
 * Fresh PostgreSQL databases for test servers: each gets its own, uniquely named
 * `accord_t_<pid>_<random>`, created from the test server (`TEST_POSTGRES_URL`) and dropped when the
 * test is done. The pid in the name lets a later run drop what a killed run left behind.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_POSTGRES_URL } from './services';

const PREFIX = 'accord_t_';
let swept: Promise<void> | null = null;

/**
 * Creates a database and returns its name and URL: empty (the server migrates it on start), or a
 * copy of `template` (another test database, with no connection open on it).
 */
export async function createTestDatabase(template?: string): Promise<{ name: string; url: string }> {
  swept ??= sweepStaleTestDatabases().catch(() => undefined);
  await swept;
  const name = `${PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
  if (template !== undefined) checkName(template);
  await admin(async (client) => {
    await client.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  });
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Drops a test database, closing whatever connections are still open on it. */
export async function dropTestDatabase(name: string): Promise<void> {
  checkName(name);
  await admin(async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
  });
}

/** Drops the test databases of test processes that no longer run (a run killed before its cleanup). */
async function sweepStaleTestDatabases(): Promise<void> {
  await admin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like '${PREFIX}%'`,
    );
    for (const { datname } of rows) {
      const pid = Number(/^accord_t_(\d+)_/.exec(datname)?.[1]);
      if (!Number.isInteger(pid) || alive(pid)) continue;
      await client.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
    }
  });
}

function checkName(name: string): void {
  if (!name.startsWith(PREFIX) || !/^[a-z0-9_]+$/.test(name)) throw new Error(`Not a test database: ${name}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
