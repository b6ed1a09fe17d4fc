/**
 * A real Accord server for tests: `node --import tsx server/main.ts` as a child process, on port 0,
 * with its data in a temporary directory — or, when `ACCORD_TEST_STORE=postgres`, in a fresh
 * PostgreSQL database created for it and dropped afterwards. The port is learnt from the pino
 * `listening` log line.
 *
 * ```ts
 * const server = await startTestServer();
 * afterAll(() => stopAllTestServers());
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store, type StoreConfig } from '@server/store/db';
import { z } from 'zod';
import { createTestDatabase, dropTestDatabase } from './postgres';

/** Where test servers keep their data; `ACCORD_TEST_STORE=postgres` runs the suite on PostgreSQL. */
export type TestStoreKind = 'sqlite' | 'postgres';

/** The storage this test run uses. */
export const testStoreKind: TestStoreKind = process.env.ACCORD_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The repository root: the server is started from there, as `npm start` does. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** How long a server may take to log `listening` before the start counts as failed. */
const START_TIMEOUT_MS = 30_000;
/** How long a signalled server may take to exit before it is killed outright. */
const STOP_TIMEOUT_MS = 10_000;

/** How to start a test server. */
export interface TestServerOptions {
  /** Data directory to use (a restart reuses it); a fresh temporary one when omitted. */
  dataDir?: string;
  /** Extra environment variables; they win over the defaults. */
  env?: Record<string, string>;
  /** Seed the demo dialogue on first start (default true). */
  demo?: boolean;
  /** Serve the data of this server (another process on the same storage, as behind a load balancer). */
  shareStorageWith?: TestServer;
}

/** A running Accord server process. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `ws://127.0.0.1:<port>` */
  wsUrl: string;
  port: number;
  /** The server process's id (to read its memory use, say). */
  pid: number;
  dataDir: string;
  /** The PostgreSQL database it stores in (`DATABASE_URL`), or null on SQLite in `dataDir`. */
  databaseUrl: string | null;
  /** Where its data lives, to open it from a test (`openServerStore`). */
  store: StoreConfig;
  /** Every stdout and stderr line the process wrote, in order. */
  logs: string[];
  /** Whether the process is still running. */
  readonly alive: boolean;
  /** Sends `signal` and resolves once the process has exited (killed outright after 10 s). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the process (SIGTERM, unless it already exited) and starts a new one on the same data. */
  restart(): Promise<TestServer>;
}

const listeningLine = z.object({
  msg: z.literal('listening'),
  port: z.number().int().positive(),
  storage: z.enum(['sqlite', 'postgres']),
});

const children = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
const ownedDatabases = new Set<string>();

// A test run that crashes or is interrupted must not leave servers behind (its PostgreSQL databases
// are dropped by the next run: see tests/helpers/postgres.ts).
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts a server and resolves once it listens; rejects with its output when it does not. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const shared = opts.shareStorageWith;
  let dataDir = opts.dataDir ?? shared?.dataDir;
  if (!dataDir) {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-test-'));
    ownedDirs.add(dataDir);
  }
  let databaseUrl = shared ? shared.databaseUrl : null;
  if (!shared && testStoreKind === 'postgres') {
    const created = await createTestDatabase();
    ownedDatabases.add(created.name);
    databaseUrl = created.url;
  }
  return spawnServer(dataDir, databaseUrl, opts);
}

/**
 * Kills every server this process started and removes the temporary data directories and the
 * PostgreSQL databases it made.
 */
export async function stopAllTestServers(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child, 'SIGTERM')));
  for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  ownedDirs.clear();
  const databases = [...ownedDatabases];
  ownedDatabases.clear();
  await Promise.all(databases.map((name) => dropTestDatabase(name)));
}

/**
 * Opens a server's storage from the test (to arrange data the API cannot make); close it after.
 * Works while the server runs: SQLite in WAL mode and PostgreSQL both allow it.
 */
export function openServerStore(server: TestServer): Promise<Store> {
  return openStore(server.store);
}

function spawnServer(dataDir: string, databaseUrl: string | null, opts: TestServerOptions): Promise<TestServer> {
  // The parent's database and Redis settings must not leak into a test that did not ask for them.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PORT: '0',
    HOST: '127.0.0.1',
    ACCORD_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ACCORD_DEMO: opts.demo === false ? '0' : '1',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...opts.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      children.delete(child);
      resolve();
    });
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  const stdout: string[] = [];

  return new Promise<TestServer>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(
          `${why}\n--- stderr ---\n${stderr.join('\n').slice(-4000)}\n--- stdout ---\n${stdout.slice(-30).join('\n')}`,
        ),
      );
    };
    const timer = setTimeout(
      () => fail(`Accord did not log "listening" within ${START_TIMEOUT_MS} ms.`),
      START_TIMEOUT_MS,
    );
    child.once('error', (err) => fail(`Accord could not be started: ${err.message}`));
    child.once('exit', (code, signal) =>
      fail(`Accord exited before listening (code ${code}, signal ${signal}).`),
    );

    onLines(child.stderr, (line) => {
      stderr.push(line);
      logs.push(line);
    });
    onLines(child.stdout, (line) => {
      logs.push(line);
      stdout.push(line);
      if (settled) return;
      const parsed = listeningLine.safeParse(parseJson(line));
      if (!parsed.success) return;
      const expected = databaseUrl ? 'postgres' : 'sqlite';
      if (parsed.data.storage !== expected) {
        fail(`Accord listens on ${parsed.data.storage} storage, but the test asked for ${expected}.`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      const port = parsed.data.port;
      const server: TestServer = {
        url: `http://127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${port}`,
        port,
        pid: child.pid ?? -1,
        dataDir,
        databaseUrl,
        store: databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', dataDir },
        logs,
        get alive() {
          return child.exitCode === null && child.signalCode === null;
        },
        kill: (signal = 'SIGTERM') => stopChild(child, signal, exited),
        restart: async () => {
          await stopChild(child, 'SIGTERM', exited);
          return spawnServer(dataDir, databaseUrl, opts);
        },
      };
      resolve(server);
    });
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, exited?: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited ?? new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await done;
  clearTimeout(timer);
}

function onLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.length > 0) onLine(line);
      newline = buffered.indexOf('\n');
    }
  });
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
