import { Worker } from 'node:worker_threads';
import { BODY_FRAGMENT } from '@shared/schema';
import { DEFAULT_SCAN_LIMITS, type ScanLimits, scanUpdate, UpdateRejected } from './updateScan.mjs';

export { UpdateRejected } from './updateScan.mjs';

/** Updates up to this size are checked on the event loop; larger ones go to a decode worker. */
export const WORKER_THRESHOLD_BYTES = 64 * 1024;
/** How long a worker may decode one update before it is terminated and the update refused. */
export const DECODE_TIMEOUT_MS = 1000;
/** Heap of one decode worker; an update that needs more is refused, the server's heap is untouched. */
const WORKER_HEAP_MB = 256;

/** How an `UpdateGuard` decides. */
export interface UpdateGuardOptions {
  /** Size above which an update is decoded in a worker (bytes). */
  thresholdBytes?: number;
  /** Time limit of one decode in a worker (milliseconds). */
  timeoutMs?: number;
  /** Workers decoding at once. */
  poolSize?: number;
  /** Heap limit of each worker (MB). */
  heapMb?: number;
  /** Limits of the structural scan (tests loosen them to reach the worker's own limits). */
  limits?: Partial<ScanLimits>;
}

interface Job {
  update: Uint8Array;
  resolve(): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker | null;
  /** Whether the worker has started (loaded Yjs) and can take a job. */
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  jobId: number;
}

/** How long a new worker may take to start before its job is refused. */
const WORKER_START_TIMEOUT_MS = 15_000;

type WorkerMessage = { ready: true } | { id: number; ok: true } | { id: number; ok: false; reason: string };

/**
 * Decides whether an untrusted update may reach the document, without letting one hostile update
 * stall the server. Small updates (the keystrokes) get a structural scan on the event loop that
 * runs in time linear in their size and builds nothing (`updateScan.mjs`); only then does Yjs decode
 * them. Large ones (a long offline session's sync, a huge paste, or an attack) are scanned and fully
 * decoded in a worker thread with a time and a heap limit first; a worker that exceeds either is
 * terminated and the update refused. Either way, bytes that would make Yjs' decoder loop or blow up
 * never reach the event loop's decoder.
 */
export class UpdateGuard {
  private readonly thresholdBytes: number;
  private readonly timeoutMs: number;
  private readonly heapMb: number;
  private readonly limits: Partial<ScanLimits>;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  /** Updates decided on the event loop and in workers, for the logs and the bench. */
  readonly counts = { inline: 0, worker: 0, refused: 0, workersTerminated: 0 };

  constructor({
    thresholdBytes = WORKER_THRESHOLD_BYTES,
    timeoutMs = DECODE_TIMEOUT_MS,
    poolSize = 2,
    heapMb = WORKER_HEAP_MB,
    limits = {},
  }: UpdateGuardOptions = {}) {
    this.thresholdBytes = thresholdBytes;
    this.timeoutMs = timeoutMs;
    this.heapMb = heapMb;
    this.limits = { ...DEFAULT_SCAN_LIMITS, allowedRoots: [BODY_FRAGMENT], ...limits };
    this.slots = Array.from({ length: Math.max(1, poolSize) }, () => ({ worker: null, ready: false, job: null, timer: null, jobId: -1 }));
  }

  /**
   * Checks an update. Returns null when it may be applied now, or a promise that settles once a
   * worker has decoded it; throws (or rejects with) `UpdateRejected` when it must be refused.
   */
  inspect(update: Uint8Array): Promise<void> | null {
    if (update.length <= this.thresholdBytes) {
      try {
        scanUpdate(update, this.limits);
      } catch (err) {
        this.counts.refused++;
        throw err instanceof UpdateRejected ? err : new UpdateRejected(String(err));
      }
      this.counts.inline++;
      return null;
    }
    this.counts.worker++;
    return new Promise<void>((resolve, reject) => {
      if (this.closed) return reject(new UpdateRejected('the server is shutting down'));
      this.queue.push({
        update,
        resolve,
        reject: (err) => {
          this.counts.refused++;
          reject(err);
        },
      });
      this.pump();
    });
  }

  /** Terminates the workers; updates still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new UpdateRejected('the server is shutting down'));
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.reject(new UpdateRejected('the server is shutting down'));
        slot.job = null;
        const worker = slot.worker;
        slot.worker = null;
        await worker?.terminate();
      }),
    );
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      this.run(slot, this.queue.shift() as Job);
    }
  }

  private run(slot: Slot, job: Job): void {
    if (!slot.worker) this.spawn(slot);
    slot.job = job;
    slot.jobId = this.nextId++;
    if (slot.ready) {
      this.post(slot);
      return;
    }
    // The time limit is for decoding; a worker that does not even start gets a generous one.
    slot.timer = setTimeout(
      () => this.discard(slot, new UpdateRejected('the decode worker did not start')),
      WORKER_START_TIMEOUT_MS,
    );
  }

  /** Hands the slot's job to its (started) worker and starts the time limit. */
  private post(slot: Slot): void {
    const job = slot.job;
    if (!job || !slot.worker) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      this.counts.workersTerminated++;
      this.discard(slot, new UpdateRejected(`decoding the update took longer than ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    // A copy, so that only the update's own bytes cross (a view may share a larger pooled buffer).
    const copy = job.update.slice();
    slot.worker.postMessage({ id: slot.jobId, update: copy, limits: this.limits }, [copy.buffer]);
  }

  private spawn(slot: Slot): void {
    slot.ready = false;
    const worker = new Worker(new URL('./decodeWorker.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 32 },
    });
    // An idle worker must not keep a stopping process alive.
    worker.unref();
    worker.on('message', (message: WorkerMessage) => {
      if (slot.worker !== worker) return;
      if ('ready' in message) {
        slot.ready = true;
        this.post(slot);
        return;
      }
      if (message.id !== slot.jobId) return;
      this.finish(slot, message.ok ? null : new UpdateRejected(message.reason));
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.counts.workersTerminated++;
      this.discard(slot, new UpdateRejected(outOfMemory ? 'decoding the update needs too much memory' : err.message));
    });
    worker.on('exit', () => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      slot.ready = false;
      this.finish(slot, new UpdateRejected('the decode worker stopped'));
    });
    slot.worker = worker;
  }

  /** Settles the slot's job: accepted when `err` is null. */
  private finish(slot: Slot, err: UpdateRejected | null): void {
    const job = slot.job;
    if (!job) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    if (err) job.reject(err);
    else job.resolve();
    if (!this.closed) this.pump();
  }

  /** Terminates a worker that ran away and refuses its update; the next job gets a fresh worker. */
  private discard(slot: Slot, err: UpdateRejected): void {
    const worker = slot.worker;
    slot.worker = null;
    slot.ready = false;
    void worker?.terminate();
    this.finish(slot, err);
  }
}
