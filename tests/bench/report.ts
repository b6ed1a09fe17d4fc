import type { MachineInfo } from './machine';
import type { GeneratorResult, Scenario } from './scenario';

/** What one scenario produced: the generator's measures and the server's, over the same window. */
export interface ScenarioOutcome {
  scenario: Scenario;
  result: GeneratorResult;
  server: { cpuPercent: number; rssBytes: number; peakRssBytes: number };
  /** Server log lines at warn level or above, and stderr lines, during the scenario. */
  problems: string[];
}

/** How the run was configured, for the report. */
export interface RunSettings {
  warmupMs: number;
  measureMs: number;
  sampledReceiversPerDocument: number;
  quick: boolean;
}

const columns = [
  'scenario',
  'clients',
  'keys/s',
  'peer p50',
  'peer p95',
  'peer p99',
  'p95 drift',
  'worst 1 s p99',
  'disk p50',
  'disk p95',
  'server CPU',
  'server RSS',
  'gen CPU',
  'delivered',
  'stored',
  'closes',
] as const;

/** Meaning of each column, for the report. */
const legend: Record<(typeof columns)[number], string> = {
  scenario: 'documents × simulated editors per document, each typing 5 keys/s',
  clients: 'WebSocket connections open during the run',
  'keys/s': 'keystrokes typed per second over all editors during the measurement window',
  'peer p50':
    'keystroke-to-peer latency, median: from the writer sending the update to a sampled receiver having applied it (ms)',
  'peer p95': 'the same, 95th percentile (ms)',
  'peer p99': 'the same, 99th percentile (ms)',
  'p95 drift':
    'keystroke-to-peer p95 over the first third of the window → over the last third (ms); a steady server keeps them close, a growing backlog shows as a rise',
  'worst 1 s p99':
    'the highest p99 of any single second of the window (ms): a server that stalls now and then shows it here even when the window p99 hides it',
  'disk p50':
    "edit-to-disk latency, median: from sending a keystroke to the server's `saved` message covering it (ms)",
  'disk p95': 'the same, 95th percentile (ms)',
  'server CPU': 'CPU used by the server process during the window (user + system), % of one core',
  'server RSS': 'resident memory of the server process at its peak during the window',
  'gen CPU':
    'CPU used by the load generator during the window, % of one core (near 100 % means the generator itself is saturated and latencies include its own queueing)',
  delivered:
    'share of the expected receipts (window keystrokes × sampled receivers) that arrived before the end of the drain',
  stored: 'share of the window keystrokes whose writer was told they are stored before the end of the drain',
  closes: 'sockets closed by the server during the run, by close code (should be none)',
};

function cells(o: ScenarioOutcome): string[] {
  const r = o.result;
  const ms = (v: number | null) => (v === null ? '–' : v < 10 ? v.toFixed(1) : v.toFixed(0));
  const pct = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);
  const closes = Object.entries(r.closes)
    .map(([code, n]) => `${n}×${code}`)
    .join(' ');
  return [
    o.scenario.name,
    String(r.clients),
    r.keysPerSecond.toFixed(0),
    ms(r.peer.p50),
    ms(r.peer.p95),
    ms(r.peer.p99),
    `${ms(r.peerFirstThird.p95)} → ${ms(r.peerLastThird.p95)}`,
    ms(r.worstSecondP99),
    ms(r.disk.p50),
    ms(r.disk.p95),
    `${o.server.cpuPercent.toFixed(0)} %`,
    `${(o.server.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    `${r.cpuPercent.toFixed(0)} %`,
    pct(r.peer.count, r.expectedDeliveries),
    pct(r.keystrokes - r.unsaved, r.keystrokes),
    closes || 'none',
  ];
}

/** The results as a plain-text table for the terminal. */
export function textTable(outcomes: readonly ScenarioOutcome[]): string {
  const rows = [[...columns], ...outcomes.map(cells)];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function markdownTable(outcomes: readonly ScenarioOutcome[]): string {
  const row = (r: readonly string[]) => `| ${r.join(' | ')} |`;
  const align = columns.map((_, i) => (i === 0 ? '---' : '---:'));
  return [row(columns), row(align), ...outcomes.map((o) => row(cells(o)))].join('\n');
}

/** Problems the run saw, one bullet each; empty when there were none. */
function problemList(outcomes: readonly ScenarioOutcome[]): string[] {
  const out: string[] = [];
  for (const o of outcomes) {
    const r = o.result;
    if (r.errors.length > 0)
      out.push(`${o.scenario.name}: client errors: ${r.errors.slice(0, 3).join('; ')}`);
    if (o.problems.length > 0) {
      out.push(
        `${o.scenario.name}: ${o.problems.length} server log line(s) at warn or above, first: \`${o.problems[0]!.slice(0, 300)}\``,
      );
    }
    if (r.cpuPercent >= 90) {
      out.push(
        `${o.scenario.name}: the generator used ${r.cpuPercent.toFixed(0)} % of a core, so the server and the generator together filled the machine; its latencies include the generator's own queueing, are upper bounds for the server, and vary from run to run.`,
      );
    }
    if (r.unsaved > 0)
      out.push(`${o.scenario.name}: ${r.unsaved} keystroke(s) of the window never reported stored.`);
    if (r.peer.count < r.expectedDeliveries) {
      out.push(
        `${o.scenario.name}: ${r.expectedDeliveries - r.peer.count} expected receipt(s) did not arrive.`,
      );
    }
  }
  return out;
}

/** The whole of docs/benchmarks.md: how to reproduce, what the columns mean, the machine, the figures. */
export function markdownReport(
  outcomes: readonly ScenarioOutcome[],
  machine: MachineInfo,
  settings: RunSettings,
  note?: string,
): string {
  const problems = problemList(outcomes);
  return `# Benchmarks

<!-- Generated by \`npm run bench\` (tests/bench/run.ts); edits here are overwritten by the next run,
     except the sections between the peers and open markers, which \`npm run bench -- --peers\` and
     \`npm run bench -- --open\` write. -->
${note ? `\n> **${note}**\n` : ''}
Simulated editors are Yjs clients on real WebSockets against a real Accord server (SQLite storage,
\`synchronous=FULL\`), each typing single characters at random places of random clauses of the demo
framework document at 5 keys/s (jittered timers) and publishing its caret as presence at most twice a
second. The server runs in its own process, started as production starts it
(\`node --import tsx server/main.ts\`); the load generator runs in another.

Reproduce with \`npm run bench\` (about a minute and a half; \`npm run bench -- --quick\` is a
half-minute smoke run that does not rewrite this file). Flags: \`--duration <s>\` sets the
measurement window, \`--warmup <s>\` the warm-up, \`--scenario <text>\` keeps the scenarios whose name
contains the text, \`--receivers <n>\` the timing receivers per document, \`--no-write\` leaves this file
alone, \`--profile <dir>\` writes CPU profiles of the generator (\`--profile-server <dir>\` of the
server), \`--note <text>\` prints a remark with
the figures; \`--peers\` compares Accord with @y/websocket-server and @hocuspocus/server, and
\`--open\` times opening a 100,000-character document in a real browser (their own sections, at the
end of this file).

How it measures:
- Each scenario starts a fresh server on a fresh copy of a seeded data directory (the demo document,
  plus copies of it in the same dialogue for the multi-document scenario). All editors sign in as the
  demo drafter through one session (each connection is its own Yjs client).
- ${settings.warmupMs / 1000} s of warm-up, then a ${settings.measureMs / 1000} s measurement window;
  only keystrokes typed inside the window are counted. Typing then stops and the generator waits for
  the window's keystrokes to reach every sampled receiver and to be reported stored.
- **One clock.** A keystroke is known by its writer's Yjs client id and the clock of the struct it made.
  The writer notes \`performance.now()\` when it sends the update; a receiver, after applying an update,
  reads which clocks of which writers it gained and looks their send times up. Writers and receivers
  live in the same generator process, so every latency is the difference of two readings of one clock.
- **Sampled receivers, shared replicas.** To the server every editor is a browser tab: its own
  socket, its own Yjs client id, its own presence and its own \`saved\` tracking; every socket receives
  everything the server sends. In the generator, only the first ${settings.sampledReceiversPerDocument}
  editors of each document keep their own replica, apply each update as it arrives and time it. The
  others of a document type through one shared replica, each keystroke made under the typing editor's
  own client id, so each update is the one that editor's up-to-date replica would have sent; one of
  them feeds the shared replica with what it receives (applied in one transaction before the next
  keystroke), the others read and drop it. Keeping 200 full replicas of a document taking 1,000
  keystrokes/s costs the generator about 200,000 struct integrations a second, more than the server
  does: with them the generator saturated at about 500 keys/s. Clients do not apply others' presence.
- **Edit-to-disk.** The server sends a \`saved\` message (type 100) with the clocks it has durably stored;
  a keystroke is on disk when its writer's entry reaches the keystroke's clock.
- Server CPU is the difference of \`utime + stime\` in \`/proc/<pid>/stat\` over the window; RSS is
  \`VmRSS\` of \`/proc/<pid>/status\`, sampled every 250 ms.

## Machine

- nproc: ${machine.nproc}
- memory (\`free -h\`): ${machine.memory}
- CPU: ${machine.cpuModel}
- Node: ${machine.nodeVersion}
- date: ${machine.date}

The server merges what a document broadcasts over a 5 ms tick (\`ACCORD_BROADCAST_TICK_MS\`), which
sets the floor of keystroke-to-peer latency at a few milliseconds even for a handful of editors;
edit-to-disk does not wait for that tick, which is why it is often the smaller of the two.

The generator and the server share these cores: on a 2-core machine the generator's own CPU (column
*gen CPU*) is taken from the server, and when it nears 100 % the latencies include its queueing.

## Results

${markdownTable(outcomes)}

${problems.length === 0 ? 'No client errors, no server warnings, no unexpected socket closes, every expected receipt and stored acknowledgement arrived, and the generator kept below 90 % of a core.' : `To note:\n\n${problems.map((p) => `- ${p}`).join('\n')}`}

## Columns

${columns.map((c) => `- **${c}**: ${legend[c]}`).join('\n')}
`;
}
