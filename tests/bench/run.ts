/**
 * `npm run bench`: runs every scenario against a fresh server process with the load generator in
 * another process, prints a table and writes docs/benchmarks.md. See docs/benchmarks.md for what is
 * measured and how.
 */
import { fork } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type Dataset, prepareDataset } from './dataset';
import { describeMachine } from './machine';
import { ProcessMeter } from './procStats';
import { markdownReport, type RunSettings, type ScenarioOutcome, textTable } from './report';
import {
  type GeneratorJob,
  type GeneratorMessage,
  type GeneratorResult,
  type Scenario,
  scenarios,
} from './scenario';
import { repoRoot, startServer } from './serverProcess';

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
  },
} as const;

async function main(): Promise<void> {
  // Reserved for several server processes sharing documents (a later issue), with or without a value.
  if (process.argv.slice(2).some((a) => a === '--peers' || a.startsWith('--peers='))) {
    console.log(
      '--peers: not implemented yet (several server processes sharing documents come in a later issue).',
    );
    return;
  }
  const { values: flags } = parseArgs(flagOptions);
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
    const dataset = await prepareDataset(join(root, 'template'), Math.max(...chosen.map((s) => s.documents)));
    for (const [i, scenario] of chosen.entries()) {
      process.stdout.write(`${scenario.name} … `);
      const outcome = await runScenario(scenario, dataset, join(root, `scenario-${i}`), {
        settings,
        drainMs,
        profileDir: flags.profile,
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
  writeFileSync(target, markdownReport(outcomes, machine, settings));
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
  }: { settings: RunSettings; drainMs: number; profileDir: string | undefined },
): Promise<ScenarioOutcome> {
  cpSync(dataset.dataDir, dataDir, { recursive: true });
  const server = await startServer(dataDir, { ACCORD_DEMO: '0' });
  try {
    const meter = new ProcessMeter(server.pid);
    let serverStats: ScenarioOutcome['server'] | null = null;
    const job: GeneratorJob = {
      wsUrl: server.wsUrl,
      origin: server.url,
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

/** Forks the load generator, hands it the job and resolves with its result. */
function runGenerator(
  job: GeneratorJob,
  profileDir: string | undefined,
  onMessage: (message: GeneratorMessage) => void,
): Promise<GeneratorResult> {
  const child = fork(join(repoRoot, 'tests', 'bench', 'generator.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<GeneratorResult>((resolve, reject) => {
    let settled = false;
    child.on('message', (raw) => {
      // Our own child, built from the same types: its messages need no validation.
      const message = raw as GeneratorMessage;
      onMessage(message);
      if (message.type === 'result') {
        settled = true;
        resolve(message.result);
        // It exits by itself once its sockets are closed (a profile, if asked for, is written then).
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      } else if (message.type === 'failed') {
        settled = true;
        reject(new Error(`The load generator failed: ${message.error}`));
        child.kill();
      }
    });
    child.once('exit', (code, signal) => {
      if (!settled)
        reject(new Error(`The load generator exited (code ${code}, signal ${signal}) without a result.`));
    });
    child.send(job);
  });
}

main().catch((err: unknown) => {
  // A mistyped flag deserves one line, not a stack trace.
  const usage = err instanceof Error && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
  console.error(err instanceof Error ? (usage ? err.message : (err.stack ?? err.message)) : String(err));
  process.exitCode = usage ? 2 : 1;
});
