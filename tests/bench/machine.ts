import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

/** The machine a benchmark ran on, as reported with its figures. */
export interface MachineInfo {
  /** `nproc`: processing units available to the benchmark. */
  nproc: number;
  /** The `Mem:` line of `free -h` (total, used, free …), or the total from Node when `free` is missing. */
  memory: string;
  cpuModel: string;
  nodeVersion: string;
  /** When the run started, ISO-8601. */
  date: string;
}

/** Reads the machine description from the tools the issue names (`nproc`, `free -h`, /proc/cpuinfo). */
export function describeMachine(now = new Date()): MachineInfo {
  return {
    nproc: Number(run('nproc')) || availableParallelism(),
    memory: freeMemoryLine() ?? `${(totalmem() / 2 ** 30).toFixed(1)} GiB total`,
    cpuModel: cpuModel(),
    nodeVersion: process.version,
    date: now.toISOString(),
  };
}

function freeMemoryLine(): string | null {
  const out = run('free', ['-h']);
  if (!out) return null;
  const lines = out.split('\n');
  const header = lines[0]?.trim().split(/\s+/) ?? [];
  const mem =
    lines
      .find((l) => l.startsWith('Mem:'))
      ?.trim()
      .split(/\s+/)
      .slice(1) ?? [];
  if (mem.length === 0) return null;
  return header.map((name, i) => `${name} ${mem[i] ?? '?'}`).join(', ');
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const match = /^model name\s*:\s*(.+)$/m.exec(info);
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall through to "unknown".
  }
  return 'unknown';
}

function run(command: string, args: string[] = []): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
