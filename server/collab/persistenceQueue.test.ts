import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocUpdates, UpdateRow } from '../store/docUpdates';
import { type PersistSource, PersistenceQueue } from './persistenceQueue';

/** A document whose state vector the test sets, recording what it was told is stored. */
function source(): PersistSource & { vector: Map<number, number>; told: Map<number, number>[] } {
  const told: Map<number, number>[] = [];
  const vector = new Map<number, number>();
  return {
    documentId: 'd1',
    vector,
    told,
    stateVector: () => new Map(vector),
    persisted: (sv) => told.push(sv),
  };
}

/** Storage that fails while `failing` is true and records every row it stored. */
function storage() {
  const state = { failing: false, attempts: [] as number[], stored: [] as UpdateRow[] };
  const updates = {
    append: (rows: readonly UpdateRow[]) => {
      state.attempts.push(Date.now());
      if (state.failing) return Promise.reject(new Error('SQLITE_BUSY: database is locked'));
      state.stored.push(...rows);
      return Promise.resolve();
    },
  } as unknown as DocUpdates; // Only `append` is used by the queue.
  return { state, updates };
}

describe('PersistenceQueue when storage fails', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('acknowledges nothing while storing fails, retries with growing delays, and stores everything once it works', async () => {
    const { state, updates } = storage();
    const queue = new PersistenceQueue(updates, pino({ level: 'silent' }));
    const doc = source();
    const acks: number[] = [];
    const conn = { ack: (n: number) => acks.push(n) };

    state.failing = true;
    doc.vector.set(7, 3);
    queue.enqueue(doc, Uint8Array.of(1), 'u1', new Set());
    queue.ackWhenStored(conn, 1);
    await vi.advanceTimersByTimeAsync(10_000);
    doc.vector.set(7, 5);
    queue.enqueue(doc, Uint8Array.of(2), 'u1', new Set());
    queue.ackWhenStored(conn, 2);
    await vi.advanceTimersByTimeAsync(20_000);

    expect(acks).toEqual([]);
    expect(doc.told).toEqual([]);
    expect(queue.hasPending(doc)).toBe(true);
    const gaps = state.attempts.slice(1).map((t, i) => t - state.attempts[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(6);
    // Back-off: 100 ms, doubling, capped at 5 s; never a busy loop.
    expect(gaps.slice(0, 6)).toEqual([100, 200, 400, 800, 1600, 3200]);
    expect(Math.max(...gaps)).toBe(5000);

    state.failing = false;
    await vi.advanceTimersByTimeAsync(5000);
    expect(state.stored.map((r) => [...r.data])).toEqual([[1], [2]]);
    expect(acks).toEqual([2]);
    expect(doc.told).toEqual([new Map([[7, 5]])]);
    expect(queue.hasPending(doc)).toBe(false);

    // Recovered: the next update is stored on the next turn, without waiting out the old delay.
    const before = state.attempts.length;
    queue.enqueue(doc, Uint8Array.of(3), 'u1', new Set());
    await vi.advanceTimersByTimeAsync(1);
    expect(state.attempts.length).toBe(before + 1);
  });
});
