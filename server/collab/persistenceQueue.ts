import type { Logger } from '../logger';
import type { DocUpdates } from '../store/docUpdates';

/** A document whose updates the queue stores; implemented by `DocumentRoom`. */
export interface PersistSource {
  readonly documentId: string;
  /** The document's current state vector (client id → clock). */
  stateVector(): Map<number, number>;
  /** Called once everything up to `stateVector` has been committed to storage. */
  persisted(stateVector: Map<number, number>): void;
}

/** Who wrote what in one stored batch, for the audit log. */
export interface StoredEdit {
  documentId: string;
  userId: string | null;
  updates: number;
  clauses: string[];
}

/** Something waiting to be told that everything queued before it is stored (a connection's ack). */
export type AckTarget = { ack(count: number): void };

interface Pending {
  source: PersistSource;
  data: Uint8Array;
  userId: string | null;
  clauses: ReadonlySet<string>;
  /** False for updates another process received and audits; they are stored here too, not audited twice. */
  audited: boolean;
}

/**
 * Stores accepted updates of every document, batched per event-loop turn into one transaction, and
 * tells each document what is durably stored once the transaction has committed. Broadcasting never
 * waits for it: keystrokes reach peers first, the disk catches up in the next turn. When storage
 * fails, nothing is acknowledged; the batch is kept and retried until storage works again.
 */
export class PersistenceQueue {
  private pending: Pending[] = [];
  private acks = new Map<AckTarget, number>();
  private flushing = false;
  private scheduled = false;
  private retryDelay = 0;
  private idleWaiters: (() => void)[] = [];
  /** Number of transactions committed (for metrics and tests). */
  commits = 0;

  constructor(
    private readonly updates: DocUpdates,
    private readonly logger: Logger,
    private readonly onStored: (edits: StoredEdit[]) => void = () => {},
  ) {}

  /** Queues one update for storage. */
  enqueue(
    source: PersistSource,
    data: Uint8Array,
    userId: string | null,
    clauses: ReadonlySet<string>,
    audited = true,
  ): void {
    this.pending.push({ source, data, userId, clauses, audited });
    this.schedule();
  }

  /**
   * Tells `target` (with `target.ack(count)`) once everything queued so far is committed. Used after
   * each update message, whether or not it changed the document (a duplicate changes nothing but
   * still deserves its acknowledgement).
   */
  ackWhenStored(target: AckTarget, count: number): void {
    this.acks.set(target, Math.max(count, this.acks.get(target) ?? 0));
    this.schedule();
  }

  /** True while `source` has updates that are not yet committed. */
  hasPending(source: PersistSource): boolean {
    return this.pending.some((p) => p.source === source) || this.flushing;
  }

  /** Resolves when every queued update (at the time of the call or later) has been committed. */
  whenIdle(): Promise<void> {
    if (this.pending.length === 0 && !this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (this.retryDelay > 0) setTimeout(run, this.retryDelay);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    const acks = this.acks;
    this.acks = new Map();
    if (this.pending.length === 0) {
      for (const [target, count] of acks) target.ack(count);
      return this.settle();
    }
    this.flushing = true;
    const batch = this.pending;
    this.pending = [];
    // The state vectors are read in the same turn as the batch is taken: every update applied so far
    // is either in this batch or already stored, so they describe exactly what the commit makes durable.
    const vectors = new Map<PersistSource, Map<number, number>>();
    for (const p of batch) if (!vectors.has(p.source)) vectors.set(p.source, p.source.stateVector());
    try {
      await this.updates.append(
        batch.map((p) => ({ documentId: p.source.documentId, data: p.data, userId: p.userId })),
      );
      this.commits++;
      this.retryDelay = 0;
    } catch (err) {
      this.pending = batch.concat(this.pending);
      for (const [target, count] of acks) this.acks.set(target, Math.max(count, this.acks.get(target) ?? 0));
      this.retryDelay = Math.min(5000, Math.max(100, this.retryDelay * 2));
      this.logger.error({ err, updates: batch.length, retryInMs: this.retryDelay }, 'storing updates failed');
      this.flushing = false;
      this.schedule();
      return;
    }
    this.flushing = false;
    for (const [source, sv] of vectors) source.persisted(sv);
    for (const [target, count] of acks) target.ack(count);
    this.onStored(summarise(batch));
    if (this.pending.length > 0 || this.acks.size > 0) this.schedule();
    else this.settle();
  }

  private settle(): void {
    if (this.pending.length > 0 || this.flushing) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function summarise(batch: readonly Pending[]): StoredEdit[] {
  const byKey = new Map<string, StoredEdit & { clauseSet: Set<string> }>();
  for (const p of batch) {
    if (!p.audited) continue;
    const key = `${p.source.documentId}\u0000${p.userId ?? ''}`;
    let edit = byKey.get(key);
    if (!edit) {
      edit = {
        documentId: p.source.documentId,
        userId: p.userId,
        updates: 0,
        clauses: [],
        clauseSet: new Set(),
      };
      byKey.set(key, edit);
    }
    edit.updates++;
    for (const c of p.clauses) edit.clauseSet.add(c);
  }
  return [...byKey.values()].map(({ clauseSet, ...e }) => ({ ...e, clauses: [...clauseSet].sort() }));
}
