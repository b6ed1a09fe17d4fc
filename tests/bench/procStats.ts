import { readFileSync } from 'node:fs';

/**
 * CPU time and memory of another process, read from Linux's /proc the way `pidusage` does, so the
 * benchmark measures the server from outside without instrumenting it.
 */

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux the project runs on. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLOCK_TICKS;
}

/** Resident set size of the process, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Samples a process's CPU and RSS over a window: CPU share of one core and the RSS peak. */
export class ProcessMeter {
  private startCpu = 0;
  private startWall = 0;
  private peakRss = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pid: number) {}

  /** Starts the window (and RSS sampling every `intervalMs`). */
  start(intervalMs = 250): void {
    this.startCpu = cpuSeconds(this.pid);
    this.startWall = performance.now();
    this.peakRss = rssBytes(this.pid);
    this.timer = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, rssBytes(this.pid));
    }, intervalMs);
  }

  /** Ends the window: CPU as a percentage of one core, RSS at the end and at its peak, in bytes. */
  stop(): { cpuPercent: number; rssBytes: number; peakRssBytes: number } {
    if (this.timer) clearInterval(this.timer);
    const cpu = cpuSeconds(this.pid) - this.startCpu;
    const wall = (performance.now() - this.startWall) / 1000;
    const rss = rssBytes(this.pid);
    return { cpuPercent: (100 * cpu) / wall, rssBytes: rss, peakRssBytes: Math.max(this.peakRss, rss) };
  }
}
