import { z } from 'zod';
import type { LatencySummary } from './stats';

/** One load shape: how many documents, how many editors on each, and how fast they type. */
export interface Scenario {
  name: string;
  documents: number;
  editorsPerDocument: number;
  keysPerSecond: number;
}

/** The scenarios of the issue: 5, 50 and 200 editors on one document, and 100 documents of 5. */
export const scenarios: readonly Scenario[] = [
  { name: '1 doc × 5 editors', documents: 1, editorsPerDocument: 5, keysPerSecond: 5 },
  { name: '1 doc × 50 editors', documents: 1, editorsPerDocument: 50, keysPerSecond: 5 },
  { name: '1 doc × 200 editors', documents: 1, editorsPerDocument: 200, keysPerSecond: 5 },
  { name: '100 docs × 5 editors', documents: 100, editorsPerDocument: 5, keysPerSecond: 5 },
];

/** What the orchestrator tells a load-generator process to do. */
export const generatorJobSchema = z.object({
  /** The server processes to connect to (`ws://host:port`); editor i of a document uses the i-th, round robin. */
  wsUrls: z.array(z.string().startsWith('ws://')).min(1),
  protocol: z.enum(['accord', 'y-websocket', 'hocuspocus']),
  /** Accord's session cookie; servers without authentication need none. */
  cookie: z.string().min(1).optional(),
  /** Whether the server reports what it stored (Accord's `saved`): the drain then waits for it. */
  expectSaved: z.boolean(),
  documentIds: z.array(z.string().min(1)).min(1),
  editorsPerDocument: z.number().int().positive(),
  keysPerSecond: z.number().positive(),
  /** At most this many clients of each document time what they receive (all of them apply it). */
  sampledReceiversPerDocument: z.number().int().positive(),
  warmupMs: z.number().int().nonnegative(),
  measureMs: z.number().int().positive(),
  /** How long to wait after the window for keystrokes typed in it to arrive and be stored. */
  drainMs: z.number().int().nonnegative(),
});
export type GeneratorJob = z.infer<typeof generatorJobSchema>;

/** What the generator measured in one run. */
export interface GeneratorResult {
  clients: number;
  /** Keystrokes typed during the measurement window. */
  keystrokes: number;
  /** Keystrokes per second typed during the window, over all editors. */
  keysPerSecond: number;
  peer: LatencySummary;
  /** Keystroke-to-peer latency over the first and the last third of the window (a drift check). */
  peerFirstThird: LatencySummary;
  peerLastThird: LatencySummary;
  /** The highest per-second p99 of keystroke-to-peer latency in the window: short stalls show here. */
  worstSecondP99: number | null;
  disk: LatencySummary;
  /** Receipts the sampled receivers should have seen for keystrokes of the window. */
  expectedDeliveries: number;
  /** Keystrokes of the window the writer never saw reported as stored. */
  unsaved: number;
  /** Sockets that closed during the run, by close code. */
  closes: Record<string, number>;
  /** Errors seen by clients (connection failures, undecodable messages). */
  errors: string[];
  /** CPU the generator itself used during the window, as a percentage of one core. */
  cpuPercent: number;
  /** Wall time from the first upgrade to the last client's initial sync, ms. */
  connectMs: number;
}

/** Messages a generator sends to the orchestrator over IPC. */
export type GeneratorMessage =
  | { type: 'connected'; clients: number; connectMs: number }
  | { type: 'window-start' }
  | { type: 'window-end' }
  | { type: 'result'; result: GeneratorResult }
  | { type: 'failed'; error: string };
