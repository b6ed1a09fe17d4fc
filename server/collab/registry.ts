import type { Logger } from '../logger';
import type { DocUpdates } from '../store/docUpdates';
import type { BusMessage, DocumentBus } from './bus';
import type { PersistenceQueue } from './persistenceQueue';
import { DocumentRoom, type RoomOptions } from './room';

/** Settings of the registry. */
export interface RegistryOptions extends RoomOptions {
  /** Milliseconds a document with no connection stays loaded. */
  unloadAfterMs: number;
  /** Stored updates after which a loaded document's log is compacted. */
  compactAfterUpdates: number;
}

/**
 * The loaded documents of this process. A document is loaded from storage on first connection
 * (only from storage: a failed load refuses the connection and never stores anything), stays while
 * it has connections, and is unloaded — its log compacted — after a grace period without any.
 *
 * With a bus, a process subscribes to a document's channel before it reads the document from
 * storage, then asks the processes already holding it for what they have beyond what it read: an
 * update they applied is then either stored before the read, or published after the subscription,
 * or in their answer — the catch-up loses nothing, whatever the timing.
 */
export class DocumentRegistry {
  private readonly rooms = new Map<string, Promise<DocumentRoom>>();
  /** The rooms whose load has completed, for callers that must not wait a turn. */
  private readonly ready = new Map<string, DocumentRoom>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly compacting = new Set<string>();

  constructor(
    private readonly updates: DocUpdates,
    private readonly queue: PersistenceQueue,
    private readonly logger: Logger,
    private readonly options: RegistryOptions,
    private readonly bus: DocumentBus | null = null,
  ) {
    // Messages may have been lost while the bus was away: every loaded document asks for a sync.
    bus?.onReconnect(() => {
      for (const room of this.ready.values()) room.requestSync();
    });
  }

  /** The loaded room of a document, loading it if needed. Rejects when storage cannot be read. */
  async acquire(documentId: string, dialogueId: string): Promise<DocumentRoom> {
    this.cancelUnload(documentId);
    const existing = this.rooms.get(documentId);
    if (existing) {
      const room = await existing;
      if (!room.unloading) {
        if (!room.dialogueId) room.dialogueId = dialogueId;
        return room;
      }
      // It is being unloaded: wait for that to finish, then load it afresh.
      await this.waitUnloaded(documentId);
      return this.acquire(documentId, dialogueId);
    }
    const loading = this.load(documentId, dialogueId);
    this.rooms.set(documentId, loading);
    try {
      return await loading;
    } catch (err) {
      this.rooms.delete(documentId);
      throw err;
    }
  }

  /** The room of a document if it is loaded in this process and its load has completed, now. */
  loadedNow(documentId: string): DocumentRoom | null {
    const room = this.ready.get(documentId);
    return room && !room.unloading ? room : null;
  }

  /** The room of a document if it is loaded in this process. */
  async loaded(documentId: string): Promise<DocumentRoom | null> {
    const room = await this.rooms.get(documentId)?.catch(() => null);
    return room && !room.unloading ? room : null;
  }

  /** Every loaded room. */
  async all(): Promise<DocumentRoom[]> {
    const rooms = await Promise.all([...this.rooms.values()].map((p) => p.catch(() => null)));
    return rooms.filter((r): r is DocumentRoom => r !== null && !r.unloading);
  }

  /** Called when a room lost its last connection: unload it after the grace period. */
  released(room: DocumentRoom): void {
    if (room.connections.size > 0) return;
    this.cancelUnload(room.documentId);
    const timer = setTimeout(() => void this.unload(room), this.options.unloadAfterMs);
    timer.unref();
    this.unloadTimers.set(room.documentId, timer);
  }

  /** Called after a room's updates were stored: compacts a long log in the background. */
  stored(room: DocumentRoom): void {
    if (room.updatesSinceCompaction < this.options.compactAfterUpdates) return;
    if (this.compacting.has(room.documentId)) return;
    room.updatesSinceCompaction = 0;
    void this.compact(room.documentId);
  }

  /** Stores everything, compacts and unloads every document (graceful shutdown). */
  async closeAll(): Promise<void> {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    for (const room of await this.all()) {
      for (const conn of room.connections) conn.close(1001, 'server shutting down');
      await this.unload(room, { force: true });
    }
  }

  private async load(documentId: string, dialogueId: string): Promise<DocumentRoom> {
    const bus = this.bus;
    let room: DocumentRoom | null = null;
    const early: BusMessage[] = [];
    if (bus) {
      // Subscribe first: what others publish while storage is read waits here, applied right after.
      await bus.join(documentId, (message) => {
        if (room) room.receiveFromBus(message);
        else early.push(message);
      });
    }
    try {
      const stored = await this.updates.load(documentId);
      room = new DocumentRoom(documentId, dialogueId, stored, this.queue, this.options, bus);
    } catch (err) {
      if (bus) await bus.leave(documentId).catch(() => undefined);
      throw err;
    }
    for (const message of early) room.receiveFromBus(message);
    room.requestSync();
    this.ready.set(documentId, room);
    return room;
  }

  private cancelUnload(documentId: string): void {
    const timer = this.unloadTimers.get(documentId);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(documentId);
  }

  private readonly unloaded = new Map<string, Promise<void>>();

  private waitUnloaded(documentId: string): Promise<void> {
    return this.unloaded.get(documentId) ?? Promise.resolve();
  }

  private async unload(room: DocumentRoom, { force = false } = {}): Promise<void> {
    this.unloadTimers.delete(room.documentId);
    if (room.unloading || (!force && room.connections.size > 0)) return;
    room.unloading = true;
    this.ready.delete(room.documentId);
    const done = (async () => {
      try {
        // The other holders store what is published from now on; this process stops applying it.
        if (this.bus) {
          await this.bus.leave(room.documentId).catch((err: unknown) => {
            this.logger.warn({ err: String(err), documentId: room.documentId }, 'leaving the bus failed');
          });
        }
        room.flushBus();
        await this.queue.whenIdle();
        await this.compact(room.documentId);
      } finally {
        room.destroy();
        this.rooms.delete(room.documentId);
        this.unloaded.delete(room.documentId);
        this.logger.debug({ documentId: room.documentId }, 'document unloaded');
      }
    })();
    this.unloaded.set(room.documentId, done);
    await done;
  }

  private async compact(documentId: string): Promise<void> {
    this.compacting.add(documentId);
    try {
      const { folded } = await this.updates.compact(documentId);
      if (folded > 0) this.logger.debug({ documentId, folded }, 'document compacted');
    } catch (err) {
      // The log stays as it is; nothing is lost, the next compaction tries again.
      this.logger.error({ err, documentId }, 'compaction failed');
    } finally {
      this.compacting.delete(documentId);
    }
  }
}
