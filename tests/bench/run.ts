/**
 * `npm run bench`: runs every scenario against a fresh server process with the load generator in
 * another process, prints a table and writes docs/benchmarks.md. See docs/benchmarks.md for what is
 * measured and how.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type Dataset, prepareDataset } from './dataset';
import { describeMachine } from './machine';
import { ProcessMeter } from './procStats';
import { markdownReport, type RunSettings, type ScenarioOutcome, textTable } from './report';
import { runGenerator } from './generatorProcess';
import { openSettings, runOpen } from './browserOpen';
import { peersSettings, runPeers } from './peers';
import { type GeneratorJob, type Scenario, scenarios } from './scenario';
import { repoRoot, startServer } from './serverProcess';
import { section } from './sections';

const seconds = z.coerce.number().positive();

const flagOptions = {
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    scenario: { type: 'string' },
    receivers: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    /** Writes V8 CPU profiles of the load generator to this directory (to see where its time goes). */
    profile: { type: 'string' },
    /** Writes V8 CPU profiles of the server to this directory. */
    'profile-server': { type: 'string' },
    /** Accord against @y/websocket-server and @hocuspocus/server (tests/bench/peers.ts). */
    peers: { type: 'boolean', default: false },
    /** Opening a 100,000-character document in a real browser (tests/bench/browserOpen.ts). */
    open: { type: 'boolean', default: false },
    /** A remark printed with the figures (e.g. that other work ran on the machine). */
    note: { type: 'string' },
  },
} as const;

async function main(): Promise<void> {
  const { values: flags } = parseArgs(flagOptions);
  if (flags.peers) {
    await runPeers(peersSettings(flags.quick, flags.note, flags['no-write']));
    return;
  }
  if (flags.open) {
    await runOpen(openSettings(flags.quick, flags.note, flags['no-write']));
    return;
  }
  const settings: RunSettings = {
    quick: flags.quick,
    warmupMs: 1000 * (flags.warmup ? seconds.parse(flags.warmup) : flags.quick ? 1 : 3),
    measureMs: 1000 * (flags.duration ? seconds.parse(flags.duration) : flags.quick ? 3 : 15),
    sampledReceiversPerDocument: flags.receivers
      ? z.coerce.number().int().positive().parse(flags.receivers)
      : 10,
  };
  const drainMs = flags.quick ? 2000 : 5000;
  const chosen = scenarios.filter((s) => !flags.scenario || s.name.includes(flags.scenario));
  if (chosen.length === 0) throw new Error(`No scenario matches "${flags.scenario}".`);
  const machine = describeMachine();
  console.log(`Accord benchmark on ${machine.nproc} × ${machine.cpuModel}, Node ${machine.nodeVersion}`);
  console.log(
    `warm-up ${settings.warmupMs / 1000} s, window ${settings.measureMs / 1000} s, ${settings.sampledReceiversPerDocument} sampled receivers per document\n`,
  );

  const root = mkdtempSync(join(tmpdir(), 'accord-bench-'));
  const outcomes: ScenarioOutcome[] = [];
  try {
    const dataset = await prepareDataset(
      { kind: 'sqlite', dataDir: join(root, 'template') },
      Math.max(...chosen.map((s) => s.documents)),
    );
    for (const [i, scenario] of chosen.entries()) {
      process.stdout.write(`${scenario.name} … `);
      const outcome = await runScenario(scenario, dataset, join(root, `scenario-${i}`), {
        settings,
        drainMs,
        profileDir: flags.profile,
        serverProfileDir: flags['profile-server'],
      });
      outcomes.push(outcome);
      const r = outcome.result;
      console.log(
        `peer p99 ${r.peer.p99?.toFixed(1) ?? '–'} ms, server CPU ${outcome.server.cpuPercent.toFixed(0)} %, generator CPU ${r.cpuPercent.toFixed(0)} %`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  console.log(`\n${textTable(outcomes)}\n`);
  for (const o of outcomes) {
    for (const line of o.problems.slice(0, 5)) console.log(`[${o.scenario.name}] server: ${line}`);
    for (const err of o.result.errors.slice(0, 5)) console.log(`[${o.scenario.name}] client: ${err}`);
  }
  if (settings.quick || flags['no-write']) {
    console.log('Quick run: docs/benchmarks.md left as it was.');
    return;
  }
  const target = join(repoRoot, 'docs', 'benchmarks.md');
  // The sections of `--peers` and `--open` runs belong to them: kept as they are.
  const existing = existsSync(target) ? readFileSync(target, 'utf8') : '';
  const kept = ['peers', 'open'].map((name) => section(existing, name)).filter(Boolean);
  writeFileSync(
    target,
    `${markdownReport(outcomes, machine, settings, flags.note).trimEnd()}\n${kept.map((s) => `\n${s}\n`).join('')}`,
  );
  console.log(`Wrote ${target}`);
}

/** Runs one scenario on a fresh copy of the dataset: server up, generator run, server down. */
async function runScenario(
  scenario: Scenario,
  dataset: Dataset,
  dataDir: string,
  {
    settings,
    drainMs,
    profileDir,
    serverProfileDir,
  }: {
    settings: RunSettings;
    drainMs: number;
    profileDir: string | undefined;
    serverProfileDir: string | undefined;
  },
): Promise<ScenarioOutcome> {
  if (dataset.store.kind !== 'sqlite') throw new Error('The scenario benchmark runs on SQLite.');
  cpSync(dataset.store.dataDir, dataDir, { recursive: true });
  const server = await startServer(dataDir, { ACCORD_DEMO: '0' }, { profileDir: serverProfileDir });
  try {
    const meter = new ProcessMeter(server.pid);
    let serverStats: ScenarioOutcome['server'] | null = null;
    const job: GeneratorJob = {
      wsUrls: [server.wsUrl],
      protocol: 'accord',
      expectSaved: true,
      cookie: dataset.cookie,
      documentIds: dataset.documentIds.slice(0, scenario.documents),
      editorsPerDocument: scenario.editorsPerDocument,
      keysPerSecond: scenario.keysPerSecond,
      sampledReceiversPerDocument: settings.sampledReceiversPerDocument,
      warmupMs: settings.warmupMs,
      measureMs: settings.measureMs,
      drainMs,
    };
    const result = await runGenerator(job, profileDir, (message) => {
      if (message.type === 'window-start') meter.start();
      if (message.type === 'window-end') serverStats = meter.stop();
    });
    if (!serverStats) throw new Error('The generator reported a result without a measurement window.');
    return { scenario, result, server: serverStats, problems: [...server.problems] };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  // A mistyped flag deserves one line, not a stack trace.
  const usage = err instanceof Error && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
  console.error(err instanceof Error ? (usage ? err.message : (err.stack ?? err.message)) : String(err));
  process.exitCode = usage ? 2 : 1;
});
