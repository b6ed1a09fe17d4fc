/**
 * The load generator, run as its own process (forked by `run.ts`, never inside the server's): it
 * receives one job over IPC, connects the simulated editors, types for the warm-up and the window,
 * waits for the window's keystrokes to arrive and be stored, and reports what it measured.
 */
import { createRandom } from '../helpers/random';
import { type ClientRole, LoadClient } from './loadClient';
import { Recorder } from './recorder';
import { Replica } from './replica';
import {
  type GeneratorJob,
  type GeneratorMessage,
  type GeneratorResult,
  generatorJobSchema,
} from './scenario';
import { summarise } from './stats';
import { wires } from './wire';

/** Upgrades opened at once while connecting; more would only queue in the server's accept loop. */
const CONNECT_CONCURRENCY = 25;
/** Presence is published at most this often per editor (the issue asks for ≤ 2/s). */
const CURSOR_INTERVAL_MS = 500;

function report(message: GeneratorMessage): void {
  process.send?.(message);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Editor {
  client: LoadClient;
  /** Sampled receivers of the same document other than this editor. */
  peersSampling: number;
  lastCursor: number;
  timer: NodeJS.Timeout | null;
}

async function run(job: GeneratorJob): Promise<GeneratorResult> {
  const recorder = new Recorder();
  const closes: Record<string, number> = {};
  const errors: string[] = [];
  const editors: Editor[] = [];
  const samplers = Math.min(job.sampledReceiversPerDocument, job.editorsPerDocument);
  let seed = 1;
  const ids = createRandom(seed++);
  const usedIds = new Set<number>();
  const freshId = () => {
    let id = 1 + ids.int(0xfffffffe);
    while (usedIds.has(id)) id = 1 + ids.int(0xfffffffe);
    usedIds.add(id);
    return id;
  };
  for (const documentId of job.documentIds) {
    // Editors that do not time what they receive type through one replica per document (see Replica).
    const shared = new Replica();
    for (let i = 0; i < job.editorsPerDocument; i++) {
      const role: ClientRole = i < samplers ? 'sampler' : i === samplers ? 'feeder' : 'typist';
      const replica = role === 'sampler' ? new Replica() : shared;
      const clientID = freshId();
      if (role === 'sampler') replica.doc.clientID = clientID;
      const wsUrl = job.wsUrls[i % job.wsUrls.length]!;
      const client = new LoadClient({
        wsUrl,
        wire: wires[job.protocol],
        documentId,
        cookie: job.cookie,
        // A browser sends the page's own origin: the server it loaded the page from.
        origin: wsUrl.replace(/^ws/, 'http'),
        role,
        replica,
        clientID,
        random: createRandom(seed++),
        recorder,
        onClose: (code) => {
          closes[code] = (closes[code] ?? 0) + 1;
        },
        onError: (error) => {
          if (errors.length < 20) errors.push(error);
        },
      });
      editors.push({
        client,
        peersSampling: samplers - (role === 'sampler' ? 1 : 0),
        lastCursor: 0,
        timer: null,
      });
    }
  }

  const connectStart = performance.now();
  for (let i = 0; i < editors.length; i += CONNECT_CONCURRENCY) {
    await Promise.all(editors.slice(i, i + CONNECT_CONCURRENCY).map((e) => e.client.connect()));
  }
  const connectMs = performance.now() - connectStart;
  report({ type: 'connected', clients: editors.length, connectMs });

  let expectedDeliveries = 0;
  const meanGap = 1000 / job.keysPerSecond;
  const jitter = createRandom(0);
  const schedule = (editor: Editor, delay: number) => {
    editor.timer = setTimeout(() => {
      editor.client.type();
      const now = performance.now();
      if (recorder.inWindow(now)) expectedDeliveries += editor.peersSampling;
      if (now - editor.lastCursor >= CURSOR_INTERVAL_MS) {
        editor.client.sendCursor();
        editor.lastCursor = now;
      }
      // Uniform in [0.5, 1.5) of the mean gap: editors drift apart instead of typing in lockstep.
      schedule(editor, meanGap * (0.5 + jitter.next()));
    }, delay);
  };
  for (const editor of editors) schedule(editor, meanGap * jitter.next());

  await sleep(job.warmupMs);
  recorder.startWindow();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  report({ type: 'window-start' });
  await sleep(job.measureMs);
  recorder.endWindow();
  const cpu = process.cpuUsage(cpuStart);
  const wall = performance.now() - wallStart;
  report({ type: 'window-end' });
  for (const editor of editors) if (editor.timer) clearTimeout(editor.timer);

  // Keystrokes typed at the end of the window are still on their way: wait for them, within reason.
  const drainUntil = performance.now() + job.drainMs;
  while (performance.now() < drainUntil) {
    const delivered = recorder.peer.length >= expectedDeliveries;
    const stored = !job.expectSaved || recorder.disk.length >= recorder.keystrokes;
    if (delivered && stored) break;
    await sleep(20);
  }

  const thirds = recorder.peerThirds();
  const perSecond = recorder.peerBySecond().map((samples) => summarise(samples).p99 ?? 0);
  const result: GeneratorResult = {
    clients: editors.length,
    keystrokes: recorder.keystrokes,
    keysPerSecond: (recorder.keystrokes * 1000) / wall,
    expectedDeliveries,
    unsaved: job.expectSaved ? recorder.keystrokes - recorder.disk.length : 0,
    peerFirstThird: summarise(thirds.first),
    peerLastThird: summarise(thirds.last),
    worstSecondP99: perSecond.length > 0 ? Math.max(...perSecond) : null,
    peer: summarise(recorder.peer),
    disk: summarise(recorder.disk),
    closes,
    errors,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    connectMs,
  };
  for (const editor of editors) editor.client.close();
  return result;
}

process.once('message', (raw: unknown) => {
  void (async () => {
    try {
      const result = await run(generatorJobSchema.parse(raw));
      report({ type: 'result', result });
    } catch (err) {
      report({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
    process.disconnect?.();
  })();
});
