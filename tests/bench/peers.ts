/**
 * `npm run bench -- --peers`: Accord against `@y/websocket-server` and `@hocuspocus/server`, in one
 * run, with the same load generator (tests/bench/generator.ts, in its own process) and the same
 * documents. Measures keystroke-to-peer latency for 100 documents × 5 editors, the busy-document
 * knee, RSS per loaded 100,000-character document and per idle connection; for Accord alone,
 * edit-to-disk on SQLite and PostgreSQL and the latency two processes on Redis add. Prints a table
 * of ratios (Accord ÷ peer) and writes its section of docs/benchmarks.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, dropTestDatabase } from '../helpers/postgres';
import { probe, TEST_POSTGRES_URL, TEST_REDIS_URL } from '../helpers/services';
import { type Dataset, prepareDataset, type SeedDir, writeSeedDir } from './dataset';
import { runGenerator } from './generatorProcess';
import { describeMachine, type MachineInfo } from './machine';
import type { ProbeCommand, ProbeReport } from './memoryProbe';
import { ProcessMeter, rssBytes } from './procStats';
import type { GeneratorJob, GeneratorResult } from './scenario';
import { type BenchServer, repoRoot, type StartOptions, startListening, startServer } from './serverProcess';
import { replaceSection } from './sections';
import type { LatencySummary } from './stats';
import type { Protocol } from './wire';

/** How long each part runs; `--quick` makes a smoke run of the harness. */
export interface PeersSettings {
  quick: boolean;
  warmupMs: number;
  measureMs: number;
  drainMs: number;
  kneeMeasureMs: number;
  /** The ramp stops here even if no step failed (the generator's own limit on this machine). */
  kneeMaxWriters: number;
  memoryDocuments: number;
  idleConnections: number;
  sampledReceiversPerDocument: number;
  /** Printed with the figures (e.g. "provisional: other work ran on the machine"). */
  note: string | undefined;
  /** Leave docs/benchmarks.md as it is. */
  noWrite: boolean;
}

/** The settings of a full run and of a `--quick` one. */
export function peersSettings(quick: boolean, note: string | undefined, noWrite: boolean): PeersSettings {
  return quick
    ? {
        quick,
        warmupMs: 1000,
        measureMs: 3000,
        drainMs: 2000,
        kneeMeasureMs: 2000,
        kneeMaxWriters: 30,
        memoryDocuments: 4,
        idleConnections: 100,
        sampledReceiversPerDocument: 5,
        note,
        noWrite,
      }
    : {
        quick,
        warmupMs: 3000,
        measureMs: 15_000,
        drainMs: 5000,
        kneeMeasureMs: 8000,
        kneeMaxWriters: 300,
        memoryDocuments: 20,
        idleConnections: 1000,
        sampledReceiversPerDocument: 10,
        note,
        noWrite,
      };
}

type PeerName = 'Accord' | '@y/websocket-server' | '@hocuspocus/server';
const PEERS: readonly PeerName[] = ['Accord', '@y/websocket-server', '@hocuspocus/server'];

/** How a server is started for one run. */
type TargetKind = 'accord-sqlite' | 'accord-postgres' | 'accord-redis' | 'y-websocket' | 'hocuspocus';

const targetOf: Record<PeerName, TargetKind> = {
  Accord: 'accord-sqlite',
  '@y/websocket-server': 'y-websocket',
  '@hocuspocus/server': 'hocuspocus',
};

/** A started server (one or more processes) and how the generator talks to it. */
interface Running {
  servers: BenchServer[];
  protocol: Protocol;
  cookie: string | undefined;
  expectSaved: boolean;
  stop(): Promise<void>;
}

interface Context {
  root: string;
  sqlite: Dataset;
  seeds: SeedDir;
  /** The PostgreSQL dataset (a template database), when PostgreSQL answers. */
  postgres: (Dataset & { template: string }) | null;
  redis: boolean;
  runs: number;
}

/** One load run's measures. */
interface LoadOutcome {
  result: GeneratorResult;
  cpuPercent: number;
  peakRssBytes: number;
  problems: string[];
}

interface KneeStep {
  writers: number;
  p99: number | null;
  delivered: number;
  closes: number;
  passed: boolean;
  /** 2 when the first run of the step failed and it was run again. */
  attempts: number;
}

interface PeerFigures {
  latency: LoadOutcome;
  knee: { writers: number | null; steps: KneeStep[]; capped: boolean };
  memory: { perDocumentBytes: number; perConnectionBytes: number; baseRssBytes: number };
}

interface AccordOnly {
  sqliteDisk: LatencySummary;
  postgres: LoadOutcome | null;
  redis: LoadOutcome | null;
  /** The Redis hop under a load that saturates nothing: one process, then two, on PostgreSQL. */
  lightPostgres: LoadOutcome | null;
  lightRedis: LoadOutcome | null;
  skipped: string[];
}

const LATENCY_LOAD = { documents: 100, editorsPerDocument: 5, keysPerSecond: 5 } as const;
/** A load well within one process's means, so the Redis hop is measured alone, not queueing. */
const LIGHT_LOAD = { documents: 20, editorsPerDocument: 5, keysPerSecond: 5 } as const;

/** Runs everything and reports it. */
export async function runPeers(settings: PeersSettings): Promise<void> {
  const machine = describeMachine();
  const loadBefore = loadavg();
  console.log(`Accord vs peers on ${machine.nproc} × ${machine.cpuModel}, Node ${machine.nodeVersion}`);
  console.log(settings.quick ? 'Quick run: short windows, small ramp.\n' : '');
  const root = join(tmpdir(), `accord-peers-${process.pid}`);
  mkdirSync(root, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const ctx = await prepare(root, settings, cleanups);
    const figures = new Map<PeerName, PeerFigures>();
    for (const peer of PEERS) {
      console.log(`— ${peer}`);
      const latency = await measureLoad(ctx, targetOf[peer], LATENCY_LOAD, settings, settings.measureMs);
      console.log(
        `  latency 100 docs × 5 editors: p50 ${fmtMs(latency.result.peer.p50)}, p99 ${fmtMs(latency.result.peer.p99)} ms, server CPU ${latency.cpuPercent.toFixed(0)} %`,
      );
      const knee = await measureKnee(ctx, targetOf[peer], settings);
      const memory = await measureMemory(ctx, targetOf[peer], settings);
      console.log(
        `  memory: ${(memory.perDocumentBytes / 2 ** 20).toFixed(2)} MiB per loaded document, ${(memory.perConnectionBytes / 1024).toFixed(1)} KiB per idle connection`,
      );
      figures.set(peer, { latency, knee, memory });
    }
    console.log('— Accord only');
    const accordOnly = await measureAccordOnly(ctx, settings, figures.get('Accord')!.latency);
    const loadAfter = loadavg();
    const report = { machine, settings, figures, accordOnly, loadBefore, loadAfter };
    console.log(`\n${textReport(report)}`);
    if (settings.quick || settings.noWrite) {
      console.log('\nQuick run (or --no-write): docs/benchmarks.md left as it was.');
      return;
    }
    const target = join(repoRoot, 'docs', 'benchmarks.md');
    const existing = existsSync(target) ? readFileSync(target, 'utf8') : '# Benchmarks\n';
    writeFileSync(target, replaceSection(existing, 'peers', markdownReport(report)));
    console.log(`\nWrote the peers section of ${target}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}

async function prepare(root: string, settings: PeersSettings, cleanups: (() => Promise<void>)[]): Promise<Context> {
  process.stdout.write('preparing the documents … ');
  const sqlite = await prepareDataset(
    { kind: 'sqlite', dataDir: join(root, 'template') },
    LATENCY_LOAD.documents,
    settings.memoryDocuments,
  );
  const seeds = await writeSeedDir(sqlite, join(root, 'seeds'));
  let postgres: Context['postgres'] = null;
  const pgProblem = await probe('postgres');
  if (pgProblem === null) {
    const db = await createTestDatabase();
    cleanups.push(() => dropTestDatabase(db.name));
    const prepared = await prepareDataset({ kind: 'postgres', url: db.url }, LATENCY_LOAD.documents);
    postgres = { ...prepared, template: db.name };
  } else {
    console.log(`\nPostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${pgProblem}): its runs are skipped.`);
  }
  const redisProblem = await probe('redis');
  if (redisProblem !== null) {
    console.log(`Redis at ${TEST_REDIS_URL} is unreachable (${redisProblem}): the two-process run is skipped.`);
  }
  console.log('done');
  return { root, sqlite, seeds, postgres, redis: redisProblem === null, runs: 0 };
}

/** Starts a fresh server of a kind on a fresh copy of the data. */
async function startTarget(ctx: Context, kind: TargetKind, options: StartOptions = {}): Promise<Running> {
  const dir = join(ctx.root, `run-${ctx.runs++}`);
  const stopAll = (servers: BenchServer[], after?: () => Promise<void>) => async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await after?.();
    rmSync(dir, { recursive: true, force: true });
  };
  if (kind === 'accord-sqlite') {
    if (ctx.sqlite.store.kind !== 'sqlite') throw new Error('unreachable');
    cpSync(ctx.sqlite.store.dataDir, dir, { recursive: true });
    const server = await startServer(dir, { ACCORD_DEMO: '0' }, options);
    return { servers: [server], protocol: 'accord', cookie: ctx.sqlite.cookie, expectSaved: true, stop: stopAll([server]) };
  }
  if (kind === 'accord-postgres' || kind === 'accord-redis') {
    if (!ctx.postgres) throw new Error('PostgreSQL is not available.');
    const db = await createTestDatabase(ctx.postgres.template);
    const env: Record<string, string> = { ACCORD_DEMO: '0', DATABASE_URL: db.url };
    if (kind === 'accord-redis') env.REDIS_URL = TEST_REDIS_URL;
    const servers = [await startServer(dir, env)];
    if (kind === 'accord-redis') servers.push(await startServer(dir, env));
    return {
      servers,
      protocol: 'accord',
      cookie: ctx.postgres.cookie,
      expectSaved: true,
      stop: stopAll(servers, () => dropTestDatabase(db.name)),
    };
  }
  mkdirSync(dir, { recursive: true });
  const env = { BENCH_SEED_DIR: ctx.seeds.dir, BENCH_DATA_DIR: dir };
  const script = kind === 'y-websocket' ? 'yWebsocketServer.mjs' : 'hocuspocusServer.mjs';
  const server = await startListening([join('tests', 'bench', 'peers', script)], env, options);
  return {
    servers: [server],
    protocol: kind === 'y-websocket' ? 'y-websocket' : 'hocuspocus',
    cookie: undefined,
    expectSaved: false,
    stop: stopAll([server]),
  };
}

/** One load run on a fresh server: editors typing with presence, measured by the generator. */
async function measureLoad(
  ctx: Context,
  kind: TargetKind,
  load: { documents: number; editorsPerDocument: number; keysPerSecond: number },
  settings: PeersSettings,
  measureMs: number,
): Promise<LoadOutcome> {
  const running = await startTarget(ctx, kind);
  try {
    const meters = running.servers.map((s) => new ProcessMeter(s.pid));
    let server: { cpuPercent: number; peakRssBytes: number } | null = null;
    const dataset = kind === 'accord-postgres' || kind === 'accord-redis' ? ctx.postgres! : ctx.sqlite;
    const job: GeneratorJob = {
      wsUrls: running.servers.map((s) => s.wsUrl),
      protocol: running.protocol,
      expectSaved: running.expectSaved,
      cookie: running.cookie,
      documentIds: dataset.documentIds.slice(0, load.documents),
      editorsPerDocument: load.editorsPerDocument,
      keysPerSecond: load.keysPerSecond,
      sampledReceiversPerDocument: settings.sampledReceiversPerDocument,
      warmupMs: settings.warmupMs,
      measureMs,
      drainMs: settings.drainMs,
    };
    const result = await runGenerator(job, undefined, (message) => {
      if (message.type === 'window-start') for (const m of meters) m.start();
      if (message.type === 'window-end') {
        const stats = meters.map((m) => m.stop());
        server = {
          cpuPercent: stats.reduce((n, s) => n + s.cpuPercent, 0),
          peakRssBytes: stats.reduce((n, s) => n + s.peakRssBytes, 0),
        };
      }
    });
    const measured = server as { cpuPercent: number; peakRssBytes: number } | null;
    if (!measured) throw new Error('The generator reported a result without a measurement window.');
    return { result, ...measured, problems: running.servers.flatMap((s) => s.problems) };
  } finally {
    await running.stop();
  }
}

/**
 * The busy-document knee: one document, writers ramped from 10 up by 10 at 5 keys/s, each step on
 * a fresh server; the knee is the first writer count whose p99 exceeds 100 ms or where receipts go
 * missing or sockets close. A failing step is run once more, and counts only if it fails again: one
 * stall of the machine (another process's burst) must not end a ramp the server would pass.
 */
async function measureKnee(
  ctx: Context,
  kind: TargetKind,
  settings: PeersSettings,
): Promise<PeerFigures['knee']> {
  const steps: KneeStep[] = [];
  for (let writers = 10; writers <= settings.kneeMaxWriters; writers += 10) {
    let step: KneeStep | null = null;
    for (let attempt = 0; attempt < 2 && !step?.passed; attempt++) {
      const outcome = await measureLoad(
        ctx,
        kind,
        { documents: 1, editorsPerDocument: writers, keysPerSecond: 5 },
        settings,
        settings.kneeMeasureMs,
      );
      const r = outcome.result;
      const closes = Object.values(r.closes).reduce((n, c) => n + c, 0);
      const delivered = r.expectedDeliveries === 0 ? 1 : r.peer.count / r.expectedDeliveries;
      const passed = (r.peer.p99 ?? Infinity) <= 100 && delivered >= 1 && closes === 0 && r.errors.length === 0;
      step = { writers, p99: r.peer.p99, delivered, closes, passed, attempts: attempt + 1 };
      process.stdout.write(`  knee: ${writers} writers p99 ${fmtMs(r.peer.p99)} ms${passed ? '' : ' ✗'}\n`);
    }
    steps.push(step!);
    if (!step!.passed) return { writers, steps, capped: false };
  }
  return { writers: null, steps, capped: true };
}

/** RSS per loaded big document and per idle connection, read from /proc while a probe connects. */
async function measureMemory(
  ctx: Context,
  kind: TargetKind,
  settings: PeersSettings,
): Promise<PeerFigures['memory']> {
  const running = await startTarget(ctx, kind, { inspect: true });
  const server = running.servers[0]!;
  const rss = async () => {
    await settle();
    await server.collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 500));
    return rssBytes(server.pid);
  };
  const probeChild = fork(join(repoRoot, 'tests', 'bench', 'memoryProbe.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const base = await rss();
    send(probeChild, {
      type: 'start',
      wsUrl: server.wsUrl,
      protocol: running.protocol,
      origin: server.url,
      cookie: running.cookie,
    });
    // Idle connections first: a few KiB each, they would drown in what the heap gives back after the
    // big documents' loading (a run that measured them second read a negative figure).
    await ask(probeChild, {
      type: 'open-idle',
      documentId: ctx.sqlite.documentIds[0]!,
      connections: settings.idleConnections,
    });
    const withConnections = await rss();
    await ask(probeChild, { type: 'load-documents', documentIds: ctx.sqlite.bigDocumentIds });
    const withDocuments = await rss();
    return {
      baseRssBytes: base,
      perDocumentBytes: (withDocuments - withConnections) / ctx.sqlite.bigDocumentIds.length,
      perConnectionBytes: (withConnections - base) / settings.idleConnections,
    };
  } finally {
    if (probeChild.connected) send(probeChild, { type: 'close' });
    setTimeout(() => probeChild.kill('SIGKILL'), 5000).unref();
    await running.stop();
  }
}

/** Edit-to-disk on SQLite (from the latency run) and PostgreSQL, and two processes on Redis. */
async function measureAccordOnly(ctx: Context, settings: PeersSettings, sqlite: LoadOutcome): Promise<AccordOnly> {
  const skipped: string[] = [];
  let postgres: LoadOutcome | null = null;
  let redis: LoadOutcome | null = null;
  let lightPostgres: LoadOutcome | null = null;
  let lightRedis: LoadOutcome | null = null;
  if (ctx.postgres) {
    postgres = await measureLoad(ctx, 'accord-postgres', LATENCY_LOAD, settings, settings.measureMs);
    console.log(
      `  PostgreSQL: edit-to-disk p50 ${fmtMs(postgres.result.disk.p50)}, p95 ${fmtMs(postgres.result.disk.p95)} ms`,
    );
    if (ctx.redis) {
      lightPostgres = await measureLoad(ctx, 'accord-postgres', LIGHT_LOAD, settings, settings.measureMs);
      lightRedis = await measureLoad(ctx, 'accord-redis', LIGHT_LOAD, settings, settings.measureMs);
      redis = await measureLoad(ctx, 'accord-redis', LATENCY_LOAD, settings, settings.measureMs);
      console.log(
        `  two processes on Redis: p50 ${fmtMs(lightRedis.result.peer.p50)} ms at 20 docs × 5 (one process: ${fmtMs(lightPostgres.result.peer.p50)}), ${fmtMs(redis.result.peer.p50)} ms at 100 docs × 5`,
      );
    } else {
      skipped.push('two processes on Redis: Redis was unreachable');
    }
  } else {
    skipped.push('PostgreSQL and two processes on Redis: PostgreSQL was unreachable');
  }
  return { sqliteDisk: sqlite.result.disk, postgres, redis, lightPostgres, lightRedis, skipped };
}

function send(child: ChildProcess, command: ProbeCommand): void {
  child.send(command);
}

/** Sends a command to the probe and resolves when it reports the step done. */
function ask(child: ChildProcess, command: ProbeCommand): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      const message = raw as ProbeReport;
      child.off('message', onMessage);
      if (message.type === 'failed') reject(new Error(`The memory probe failed: ${message.error}`));
      else resolve();
    };
    child.on('message', onMessage);
    send(child, command);
  });
}

/** Lets a server's memory settle (allocations of the last step, lazy frees) before reading RSS. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));

// ---------------------------------------------------------------------------------------------
// Reporting

interface Report {
  machine: MachineInfo;
  settings: PeersSettings;
  figures: Map<PeerName, PeerFigures>;
  accordOnly: AccordOnly;
  loadBefore: number[];
  loadAfter: number[];
}

const fmtMs = (v: number | null | undefined) => (v == null ? '–' : v < 10 ? v.toFixed(1) : v.toFixed(0));
const fmtRatio = (a: number | null, b: number | null) =>
  a === null || b === null || b === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? '–' : (a / b).toFixed(2);

/** Rows of the comparison: value per peer, and how to read the ratio. */
function comparisonRows(report: Report): string[][] {
  const f = (peer: PeerName) => report.figures.get(peer)!;
  const knee = (peer: PeerName) => f(peer).knee.writers;
  const kneeCell = (peer: PeerName) => {
    const k = f(peer).knee;
    return k.capped ? `> ${report.settings.kneeMaxWriters}` : String(k.writers);
  };
  const rows: { name: string; better: string; value: (p: PeerName) => number | null; cell: (p: PeerName) => string }[] = [
    {
      name: 'latency p50, 100 docs × 5 editors (ms)',
      better: 'lower',
      value: (p) => f(p).latency.result.peer.p50,
      cell: (p) => fmtMs(f(p).latency.result.peer.p50),
    },
    {
      name: 'latency p99, 100 docs × 5 editors (ms)',
      better: 'lower',
      value: (p) => f(p).latency.result.peer.p99,
      cell: (p) => fmtMs(f(p).latency.result.peer.p99),
    },
    {
      name: 'busy-document knee (writers on one document)',
      better: 'higher',
      value: knee,
      cell: kneeCell,
    },
    {
      name: 'RSS per loaded 100,000-character document (MiB)',
      better: 'lower',
      value: (p) => f(p).memory.perDocumentBytes,
      cell: (p) => (f(p).memory.perDocumentBytes / 2 ** 20).toFixed(2),
    },
    {
      name: 'RSS per idle connection (KiB)',
      better: 'lower',
      value: (p) => f(p).memory.perConnectionBytes,
      cell: (p) => (f(p).memory.perConnectionBytes / 1024).toFixed(1),
    },
    {
      name: 'server CPU during the latency run (% of a core)',
      better: 'lower',
      value: (p) => f(p).latency.cpuPercent,
      cell: (p) => f(p).latency.cpuPercent.toFixed(0),
    },
  ];
  return rows.map((r) => [
    r.name,
    ...PEERS.map(r.cell),
    fmtRatio(r.value('Accord'), r.value('@y/websocket-server')),
    fmtRatio(r.value('Accord'), r.value('@hocuspocus/server')),
    r.better,
  ]);
}

const comparisonHeader = [
  'measure',
  ...PEERS,
  'Accord ÷ @y/websocket-server',
  'Accord ÷ @hocuspocus/server',
  'better',
];

function accordRows(report: Report): string[][] {
  const a = report.accordOnly;
  const rows: string[][] = [
    ['edit-to-disk p50 / p95, SQLite (ms)', `${fmtMs(a.sqliteDisk.p50)} / ${fmtMs(a.sqliteDisk.p95)}`],
  ];
  if (a.postgres) {
    rows.push([
      'edit-to-disk p50 / p95, PostgreSQL (ms)',
      `${fmtMs(a.postgres.result.disk.p50)} / ${fmtMs(a.postgres.result.disk.p95)}`,
    ]);
  }
  const delta = (x: number | null, y: number | null) =>
    x === null || y === null ? '–' : `${x - y >= 0 ? '+' : ''}${fmtMs(x - y)}`;
  const hop = (label: string, one: LoadOutcome | null, two: LoadOutcome | null) => {
    if (!one || !two) return;
    const p = one.result.peer;
    const r = two.result.peer;
    rows.push([`latency p50 / p99 at ${label}: one process / two processes on PostgreSQL + Redis (ms)`, `${fmtMs(p.p50)} / ${fmtMs(p.p99)} → ${fmtMs(r.p50)} / ${fmtMs(r.p99)}`]);
    rows.push([`added latency of two processes on Redis at ${label}, p50 / p99 (ms)`, `${delta(r.p50, p.p50)} / ${delta(r.p99, p.p99)}`]);
  };
  hop('20 docs × 5 editors', a.lightPostgres, a.lightRedis);
  hop('100 docs × 5 editors', a.postgres, a.redis);
  for (const s of a.skipped) rows.push([s, 'skipped']);
  return rows;
}

function problems(report: Report): string[] {
  const out: string[] = [];
  const check = (name: string, o: LoadOutcome) => {
    const r = o.result;
    if (r.errors.length > 0) out.push(`${name}: client errors: ${r.errors.slice(0, 3).join('; ')}`);
    if (o.problems.length > 0) out.push(`${name}: ${o.problems.length} server problem line(s), first: \`${o.problems[0]!.slice(0, 200)}\``);
    if (r.peer.count < r.expectedDeliveries) out.push(`${name}: ${r.expectedDeliveries - r.peer.count} expected receipt(s) did not arrive.`);
    if (r.cpuPercent >= 90) out.push(`${name}: the generator used ${r.cpuPercent.toFixed(0)} % of a core; latencies include its own queueing.`);
    const closes = Object.entries(r.closes);
    if (closes.length > 0) out.push(`${name}: sockets closed: ${closes.map(([c, n]) => `${n}×${c}`).join(' ')}`);
  };
  for (const [peer, f] of report.figures) check(`${peer}, latency run`, f.latency);
  if (report.accordOnly.postgres) check('Accord on PostgreSQL', report.accordOnly.postgres);
  if (report.accordOnly.lightPostgres) check('Accord on PostgreSQL, 20 docs', report.accordOnly.lightPostgres);
  if (report.accordOnly.lightRedis) check('Accord, two processes on Redis, 20 docs', report.accordOnly.lightRedis);
  if (report.accordOnly.redis) check('Accord, two processes on Redis, 100 docs', report.accordOnly.redis);
  return out;
}

function textTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][]): string {
  const row = (r: string[]) => `| ${r.join(' | ')} |`;
  return [row(header), row(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(row)].join('\n');
}

function loadLine(report: Report): string {
  const f = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  return `load average (1, 5, 15 min) at the start: ${f(report.loadBefore)}; at the end: ${f(report.loadAfter)}`;
}

function textReport(report: Report): string {
  const kneeLines = PEERS.map((p) => {
    const steps = report.figures
      .get(p)!
      .knee.steps.map((s) => `${s.writers}:${fmtMs(s.p99)}${s.passed ? '' : '✗'}${s.attempts > 1 ? '²' : ''}`);
    return `  ${p}: ${steps.join(' ')}`;
  });
  return [
    textTable(comparisonHeader, comparisonRows(report)),
    '',
    'knee ramp (writers:p99 ms):',
    ...kneeLines,
    '',
    textTable(['Accord only', 'value'], accordRows(report)),
    '',
    loadLine(report),
    ...problems(report).map((p) => `! ${p}`),
  ].join('\n');
}

function markdownReport(report: Report): string {
  const { machine, settings } = report;
  const kneeRows = PEERS.map((p) => {
    const k = report.figures.get(p)!.knee;
    return [
      p,
      k.steps.map((s) => `${s.writers}: ${fmtMs(s.p99)}${s.passed ? '' : ' ✗'}${s.attempts > 1 ? ' (2nd run)' : ''}`).join(', '),
    ];
  });
  const problemLines = problems(report);
  return `## Accord against @y/websocket-server and @hocuspocus/server

<!-- Generated by \`npm run bench -- --peers\` (tests/bench/peers.ts); the next run overwrites this section. -->

${settings.note ? `> **${settings.note}**\n\n` : ''}Run on ${machine.nproc} × ${machine.cpuModel}, ${machine.memory}, Node ${machine.nodeVersion}, on ${machine.date}.
${loadLine(report)}.

Reproduce with \`npm run bench -- --peers\` (PostgreSQL at \`${TEST_POSTGRES_URL}\` and Redis at
\`${TEST_REDIS_URL}\` for the Accord-only rows; \`ACCORD_TEST_DATABASE_URL\` and \`ACCORD_TEST_REDIS_URL\`
point elsewhere). Nothing else heavy should run meanwhile. \`--peers --quick\` is a smoke run of the
harness that leaves this file alone.

| measure | Accord | @y/websocket-server | @hocuspocus/server | Accord ÷ @y/websocket-server | Accord ÷ @hocuspocus/server | better |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
${comparisonRows(report)
  .map((r) => `| ${r.join(' | ')} |`)
  .join('\n')}

A ratio below 1 is in Accord's favour where lower is better (latency, memory, CPU), above 1 where
higher is better (the knee).

Knee ramp, writers: p99 keystroke-to-peer (ms) per step (✗: p99 above 100 ms, a receipt missing or
a socket closed, twice in a row — a step that failed once was run again; the ramp stops there or at
${settings.kneeMaxWriters} writers):

${markdownTable(['server', 'steps'], kneeRows)}

Accord only:

${markdownTable(['measure', 'value'], accordRows(report))}

${problemLines.length === 0 ? 'No client errors, no server problems, no unexpected closes, every expected receipt arrived.' : `To note:\n\n${problemLines.map((p) => `- ${p}`).join('\n')}`}

### How the peers are run and measured

- **Same load, same documents, one generator.** The generator of the scenarios above (Yjs clients
  on WebSockets in their own process, one clock, keystrokes timed by their Yjs client id and clock)
  drives all three; only the envelope differs (tests/bench/wire.ts: Hocuspocus names the document in
  every message and wants an authentication message first). Every server starts from the same
  documents: the demo framework document and its copies, and ${settings.memoryDocuments} documents of
  100,000 characters (the demo document grown with clauses typed a word at a time at random places).
- **Accord** runs as production runs it (\`node --import tsx server/main.ts\`), SQLite with
  \`synchronous=FULL\`, and acknowledges every edit only after its commit.
- **@y/websocket-server 0.1.5** runs as its own \`server.js\` (tests/bench/peers/yWebsocketServer.mjs:
  the same code, its own \`ws\`, plus port 0 and seeding through its \`setContentInitializor\` hook). It
  has **no persistence** in this version (its \`YPERSISTENCE\`/y-leveldb support is commented out), so
  it keeps everything in memory and writes nothing. Its published dependencies do not install from
  the registry as they are (\`@y/protocols@1.0.6-rc.1\` wants a peer \`@y/y@*\` that no release
  satisfies), so package.json overrides \`@y/protocols\` with 1.0.6-1 and its \`yjs\` (a 14.0 prerelease)
  with the project's Yjs 13, which the clients speak: all three servers run the same Yjs.
- **@hocuspocus/server 4.7.0** runs as its quick start sets it up (\`new Server({ port, extensions })\`,
  default store debounce of 2 s, up to 10 s) with persistence on through
  **@hocuspocus/extension-sqlite 4.7.0** (tests/bench/peers/hocuspocusServer.mjs). It stores a
  document's whole state on that debounce and acknowledges updates (\`SyncStatus\`) on receipt, not on
  storage, so it has no edit-to-disk figure. It declares Node ≥ 22; it ran on ${machine.nodeVersion}.
- **Latency**: ${LATENCY_LOAD.documents} documents × ${LATENCY_LOAD.editorsPerDocument} editors at
  ${LATENCY_LOAD.keysPerSecond} keys/s each with a cursor in presence at most twice a second;
  ${settings.warmupMs / 1000} s warm-up, ${settings.measureMs / 1000} s window.
- **Knee**: one document, writers from 10 up by 10 at 5 keys/s, a fresh server per step,
  ${settings.kneeMeasureMs / 1000} s window per step; the knee is the first writer count whose p99
  exceeds 100 ms, or where an expected receipt is missing or a socket closes, in two runs of the
  step in a row (one stall of the machine does not end the ramp). On a 2-core machine
  the generator shares the cores with the server, so high writer counts measure the pair.
- **Memory**: a fresh server; RSS (\`VmRSS\`) after start, after ${settings.idleConnections} idle
  connections to the small demo document, each with a presence state (per connection: the difference
  ÷ ${settings.idleConnections}), and after one more connection to each of the
  ${settings.memoryDocuments} big documents (per document: the difference ÷ ${settings.memoryDocuments}; it
  includes that one connection); before each reading, 3 s of settling and two full garbage collections
  requested through the server's V8 inspector (\`--inspect\` on a loopback port, the same for all
  three; their code is not touched).
- **Accord only**: edit-to-disk is from keystroke sent to the \`saved\` message covering it, in the
  latency run on SQLite and in the same run on PostgreSQL; two processes share one PostgreSQL
  database and one Redis, each document's editors alternate between them, so most keystrokes cross
  Redis to reach a peer; the added latency is the difference with one process on PostgreSQL under
  the same load — at ${LIGHT_LOAD.documents} documents × ${LIGHT_LOAD.editorsPerDocument} editors, which
  saturates nothing (the hop itself), and at the full ${LATENCY_LOAD.documents} × ${LATENCY_LOAD.editorsPerDocument},
  where on a 2-core machine two processes (each applying and storing every update of the documents
  they share), the generator, PostgreSQL and Redis compete for the cores.
`;
}
