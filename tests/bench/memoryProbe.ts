/**
 * The memory probe of `npm run bench -- --peers`, run as its own process (forked by peers.ts, never
 * inside a server's): on the orchestrator's word it opens one connection to each big document (so
 * the server loads them), then many idle connections to one small document, and reports when each
 * step is complete, so the orchestrator can read the server's RSS in between.
 */
import { createRandom } from '../helpers/random';
import { LoadClient } from './loadClient';
import { Recorder } from './recorder';
import { Replica } from './replica';
import { type Protocol, wires } from './wire';

/** What the orchestrator asks of the probe. */
export type ProbeCommand =
  | {
      type: 'start';
      wsUrl: string;
      protocol: Protocol;
      origin: string;
      cookie: string | undefined;
    }
  | { type: 'load-documents'; documentIds: string[] }
  | { type: 'open-idle'; documentId: string; connections: number }
  | { type: 'close' };

/** What the probe tells the orchestrator. */
export type ProbeReport =
  | { type: 'done'; step: 'load-documents' | 'open-idle'; connections: number; ms: number }
  | { type: 'failed'; error: string };

/** Upgrades opened at once. */
const CONCURRENCY = 20;

let settings: Extract<ProbeCommand, { type: 'start' }> | null = null;
const clients: LoadClient[] = [];
const errors: string[] = [];
let nextId = 1;

function report(message: ProbeReport): void {
  process.send?.(message);
}

/** Connects `count` clients to a document through one shared replica (they never type). */
async function connect(documentId: string, count: number): Promise<void> {
  if (!settings) throw new Error('The probe was not started.');
  const replica = new Replica();
  const recorder = new Recorder();
  const made: LoadClient[] = [];
  for (let i = 0; i < count; i++) {
    made.push(
      new LoadClient({
        wsUrl: settings.wsUrl,
        wire: wires[settings.protocol],
        documentId,
        cookie: settings.cookie,
        origin: settings.origin,
        // The first applies what it receives (the document's content); the others read and drop it.
        role: i === 0 ? 'feeder' : 'typist',
        replica,
        clientID: nextId++,
        random: createRandom(i),
        recorder,
        onClose: (code) => errors.push(`socket closed with ${code}`),
        onError: (error) => errors.push(error),
      }),
    );
  }
  for (let i = 0; i < made.length; i += CONCURRENCY) {
    await Promise.all(made.slice(i, i + CONCURRENCY).map((c) => c.connect()));
  }
  clients.push(...made);
}

async function handle(command: ProbeCommand): Promise<void> {
  const start = performance.now();
  switch (command.type) {
    case 'start':
      settings = command;
      return;
    case 'load-documents':
      for (const id of command.documentIds) await connect(id, 1);
      report({ type: 'done', step: 'load-documents', connections: clients.length, ms: performance.now() - start });
      return;
    case 'open-idle':
      await connect(command.documentId, command.connections);
      report({ type: 'done', step: 'open-idle', connections: clients.length, ms: performance.now() - start });
      return;
    case 'close':
      for (const c of clients) c.close();
      process.disconnect?.();
      return;
  }
}

process.on('message', (raw: unknown) => {
  // Our own parent, built from the same types: its messages need no validation.
  void handle(raw as ProbeCommand).catch((err: unknown) => {
    report({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  });
});
