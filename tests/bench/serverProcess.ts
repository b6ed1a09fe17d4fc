import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, where the server is started from (as `npm start` does). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

const logLine = z.looseObject({ level: z.number(), msg: z.string().optional() });
const listeningLine = z.looseObject({ msg: z.literal('listening'), port: z.number().int().positive() });

/** A running Accord server process, started the way production starts it. */
export interface BenchServer {
  /** Process id of the server itself (Node runs tsx in-process, so this is the server). */
  pid: number;
  port: number;
  url: string;
  wsUrl: string;
  /** Log lines at level warn (40) or above, and lines on stderr, as they came. */
  problems: string[];
  /**
   * Runs a full garbage collection in the server (through its inspector) and resolves when done;
   * only for a server started with `{ inspect: true }`.
   */
  collectGarbage(): Promise<void>;
  /** Stops the server with SIGTERM (it stores what is pending) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** How a benchmark server process is started. */
export interface StartOptions {
  /**
   * Opens the V8 inspector on a free loopback port, so the orchestrator can collect garbage in the
   * server before it reads its memory — the same way for every server, without touching its code.
   */
  inspect?: boolean;
  /** Writes a V8 CPU profile of the server to this directory when it stops (`--profile-server`). */
  profileDir?: string;
}

/** Starts `node --import tsx server/main.ts` on port 0 over `dataDir` and resolves once it listens. */
export function startServer(
  dataDir: string,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<BenchServer> {
  return startListening(
    ['--import', 'tsx', 'server/main.ts'],
    { ACCORD_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    options,
  );
}

/** What Node prints on stderr about its inspector: not a problem of the server. */
const inspectorLine = /^(Debugger listening on|For help, see: https:\/\/nodejs\.org|Debugger attached|Waiting for the debugger)/;

/**
 * Starts `node <args>` from the repository root on port 0 (`PORT=0`, `HOST=127.0.0.1`) and resolves
 * once it prints a JSON `{"msg":"listening","port":…}` line on stdout — Accord's pino line, or the
 * peers' launchers (tests/bench/peers).
 */
export function startListening(
  args: string[],
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<BenchServer> {
  // A parent's database settings must not send the benchmark to another store.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  let inspectorUrl: string | null = null;
  const nodeArgs = [
    ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []),
    ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
  ];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: repoRoot,
    env: {
      ...inherited,
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const problems: string[] = [];
  const tail: string[] = [];

  return new Promise<BenchServer>((resolve, reject) => {
    let started = false;
    const fail = (why: string) => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\n${tail.join('\n')}`));
    };
    const timer = setTimeout(() => fail('The server did not log "listening" in time.'), START_TIMEOUT_MS);
    child.once('error', (err) => fail(`The server could not be started: ${err.message}`));
    child.once('exit', (code) => fail(`The server exited before listening (code ${code}).`));

    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) => {
        const inspector = /^Debugger listening on (ws:\/\/\S+)/.exec(line);
        if (inspector) inspectorUrl = inspector[1]!;
        if (inspectorLine.test(line)) return;
        problems.push(`stderr: ${line}`);
        tail.push(line);
      });
    }
    if (!child.stdout) return fail('The server has no stdout.');
    createInterface({ input: child.stdout }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      const json = parseJson(line);
      const entry = logLine.safeParse(json);
      if (entry.success && entry.data.level >= 40) problems.push(line);
      if (started) return;
      const listening = listeningLine.safeParse(json);
      if (!listening.success || child.pid === undefined) return;
      started = true;
      clearTimeout(timer);
      const port = listening.data.port;
      resolve({
        pid: child.pid,
        port,
        url: `http://127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${port}`,
        problems,
        collectGarbage: () => {
          if (!inspectorUrl) return Promise.reject(new Error('The server was not started with its inspector.'));
          return collectGarbage(inspectorUrl);
        },
        stop: () => stop(child, exited),
      });
    });
  });
}

/** Asks a Node process's inspector for two full garbage collections (the second frees what the first finalised). */
function collectGarbage(inspectorUrl: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(inspectorUrl);
    let answered = 0;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('The inspector did not collect garbage within 30 s.'));
    }, 30_000);
    ws.on('open', () => {
      ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
      ws.send(JSON.stringify({ id: 2, method: 'HeapProfiler.collectGarbage' }));
    });
    ws.on('message', (data: Buffer) => {
      const message = parseJson(data.toString()) as { id?: number } | null;
      if (message?.id === 1 || message?.id === 2) answered++;
      if (answered < 2) return;
      clearTimeout(timer);
      ws.close();
      resolve();
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Signs in over the API and returns the `accord_session=…` pair to send as the Cookie header. */
export async function signIn(server: BenchServer, email: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200)
    throw new Error(`Sign-in as ${email} failed with ${res.status}: ${await res.text()}`);
  const pair = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!pair.startsWith('accord_session=')) throw new Error('Sign-in returned no session cookie.');
  return pair;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
