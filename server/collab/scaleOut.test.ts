import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type HubRecord, MemoryHub } from '../../tests/helpers/memoryBus';
import { waitFor } from '../../tests/helpers/waitFor';
import type { Store } from '../store/db';
import { DocUpdates } from '../store/docUpdates';
import { openTestStore } from '../store/testStores';
import { type BusMessage, decodeBusMessage, type DocumentBus, encodeBusMessage } from './bus';
import { PersistenceQueue, type StoredEdit } from './persistenceQueue';
import { DocumentRegistry } from './registry';
import { type DocumentRoom, ServerOrigin } from './room';

/**
 * Several processes in one test: each is a registry with its own persistence queue, all on one
 * database and one in-memory bus, so the tests can hold storage back, drop messages, and count
 * what crosses the bus — which real processes on Redis cannot show.
 */

const DOC = 'doc-scale';
const logger = pino({ level: 'silent' });

/** Storage whose appends and loads a test can hold back. */
class GatedUpdates extends DocUpdates {
  appendGate: Promise<void> | null = null;
  /** Set while a load has read storage but is held back; resolving `loadGate` lets it finish. */
  loadRead: (() => void) | null = null;
  loadGate: Promise<void> | null = null;

  override async append(rows: Parameters<DocUpdates['append']>[0]): Promise<void> {
    if (this.appendGate) await this.appendGate;
    return super.append(rows);
  }

  override async load(documentId: string): ReturnType<DocUpdates['load']> {
    const stored = await super.load(documentId);
    this.loadRead?.();
    if (this.loadGate) await this.loadGate;
    return stored;
  }
}

interface Process {
  bus: DocumentBus & { processId: string };
  updates: GatedUpdates;
  queue: PersistenceQueue;
  registry: DocumentRegistry;
  /** Edits this process's queue reported for the audit log. */
  audited: StoredEdit[];
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const text = (room: DocumentRoom) => room.doc.getText('t').toString();

/** Types `s` at the end of the room's text as a change made in that room's process. */
function type(room: DocumentRoom, s: string): void {
  Y.transact(room.doc, () => room.doc.getText('t').insert(room.doc.getText('t').length, s), new ServerOrigin('u1'));
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('several processes sharing documents over a bus', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let hub: MemoryHub;
  const processes: Process[] = [];

  const startProcess = (): Process => {
    const bus = hub.bus();
    const updates = new GatedUpdates(store);
    const audited: StoredEdit[] = [];
    const queue = new PersistenceQueue(updates, logger, (edits) => audited.push(...edits));
    const registry = new DocumentRegistry(
      updates,
      queue,
      logger,
      { unloadAfterMs: 60_000, broadcastTickMs: 0, awarenessIntervalMs: 0, compactAfterUpdates: 100_000 },
      bus,
    );
    const p = { bus, updates, queue, registry, audited };
    processes.push(p);
    return p;
  };

  beforeEach(async () => {
    ({ store, cleanup } = await openTestStore('sqlite'));
    hub = new MemoryHub();
    const seed = new Y.Doc();
    seed.getText('t').insert(0, 'seed.');
    await new DocUpdates(store).createInitialState(DOC, Y.encodeStateAsUpdate(seed));
  });

  afterEach(async () => {
    for (const p of processes.splice(0)) {
      p.updates.appendGate = null;
      await p.registry.closeAll();
    }
    await cleanup();
  });

  it('catches up a process that loads the document while another holds edits it has not stored yet', async () => {
    const a = startProcess();
    const b = startProcess();
    const roomA = await a.registry.acquire(DOC, 'd');
    const held = gate();
    a.updates.appendGate = held.promise;
    for (let i = 0; i < 20; i++) {
      type(roomA, `a${i}.`);
      await turn();
    }
    // All published before B subscribes: B hears none of them on the document's channel.
    await hub.settle();

    // B reads storage, which lacks all twenty, and asks A for the rest.
    const roomB = await b.registry.acquire(DOC, 'd');
    await waitFor(() => text(roomB) === text(roomA), { message: 'B to catch up with A' });
    expect(text(roomB)).toContain('a19.');
    held.open();
  });

  it('applies what is published while a process reads storage once it has loaded, not losing it', async () => {
    const a = startProcess();
    const b = startProcess();
    const roomA = await a.registry.acquire(DOC, 'd');
    // Only the subscription made before the read can save these edits: sync requests are dropped.
    hub.drop = (record) => record.message.kind === 'syncRequest';
    const read = gate();
    const release = gate();
    b.updates.loadRead = read.open;
    b.updates.loadGate = release.promise;
    const loadingB = b.registry.acquire(DOC, 'd');
    await read.promise;
    for (let i = 0; i < 10; i++) {
      type(roomA, `a${i}.`);
      await turn();
    }
    await a.queue.whenIdle();
    await hub.settle();
    release.open();
    const roomB = await loadingB;

    expect(text(roomB)).toBe(text(roomA));
  });

  it('publishes each edit once, from the process that received it, and never back', async () => {
    const a = startProcess();
    const b = startProcess();
    const roomA = await a.registry.acquire(DOC, 'd');
    const roomB = await b.registry.acquire(DOC, 'd');
    await hub.settle();
    const before = hub.log.length;
    let appliedInB = 0;
    roomB.doc.on('update', () => appliedInB++);

    for (let i = 0; i < 30; i++) {
      type(roomA, `a${i}.`);
      await turn();
    }
    await hub.settle();
    await Promise.all([a.queue.whenIdle(), b.queue.whenIdle()]);

    const updates = hub.log.slice(before).filter((r) => r.message.kind === 'update');
    expect(updates.every((r) => r.from === a.bus.processId)).toBe(true);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.length).toBeLessThanOrEqual(30);
    expect(appliedInB).toBe(updates.length);
    expect(text(roomB)).toBe(text(roomA));
    // B stores what it applied (so its own acknowledgements stand alone) but audits none of it.
    expect(a.audited.reduce((n, e) => n + e.updates, 0)).toBe(30);
    expect(b.audited).toEqual([]);
  });

  it('asks the other processes for a lost update as soon as a later one cannot be integrated', async () => {
    const a = startProcess();
    const b = startProcess();
    const roomA = await a.registry.acquire(DOC, 'd');
    const roomB = await b.registry.acquire(DOC, 'd');
    await hub.settle();
    let seen = 0;
    hub.drop = (record: HubRecord) => record.message.kind === 'update' && record.to === null && ++seen === 3;

    for (let i = 0; i < 6; i++) {
      type(roomA, `a${i}.`);
      await turn();
    }
    await waitFor(() => text(roomB) === text(roomA), { timeout: 5000, message: 'B to recover the lost update' });
    expect(roomB.doc.store.pendingStructs).toBeNull();
  });

  it('asks for what it missed after the bus reconnects, deletions included', async () => {
    const a = startProcess();
    const b = startProcess();
    const roomA = await a.registry.acquire(DOC, 'd');
    const roomB = await b.registry.acquire(DOC, 'd');
    await hub.settle();
    // An outage: everything A publishes is lost to B, including a deletion (which leaves no gap).
    hub.drop = (record) => record.from === a.bus.processId;
    Y.transact(roomA.doc, () => roomA.doc.getText('t').delete(0, 5), new ServerOrigin('u1'));
    type(roomA, 'after.');
    await hub.settle();
    expect(text(roomB)).toBe('seed.');

    hub.drop = () => false;
    (b.bus as ReturnType<MemoryHub['bus']>).reconnected();
    await waitFor(() => text(roomB) === text(roomA), { timeout: 5000, message: 'B to resynchronise' });
    expect(text(roomB)).toBe('after.');
  });
});

describe('bus messages', () => {
  it('decode to what was encoded, for every kind', () => {
    const messages: BusMessage[] = [
      { kind: 'update', data: Uint8Array.of(1, 2, 3), userId: 'u1' },
      { kind: 'update', data: Uint8Array.of(0, 0), userId: null },
      { kind: 'awareness', data: Uint8Array.of(9) },
      { kind: 'syncRequest', stateVector: Uint8Array.of(1, 5, 7), from: 'p2' },
      { kind: 'event', event: { type: 'thread.created', documentId: 'd1', threadId: 't' }, audience: { roles: ['co_chair'] } },
      { kind: 'event', event: { type: 'status.changed', documentId: 'd1' }, audience: undefined },
    ];
    for (const message of messages) {
      expect(decodeBusMessage(encodeBusMessage('p1', 'd1', message))).toEqual({ from: 'p1', documentId: 'd1', message });
    }
  });

  it('refuses bytes that are not a bus message', () => {
    expect(() => decodeBusMessage(Uint8Array.of(1, 65, 1, 66, 99))).toThrow();
  });
});
