import type { Logger } from '../logger';
import type { DocUpdates } from '../store/docUpdates';
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
 */
export class DocumentRegistry {
  private readonly rooms = new Map<string, Promise<DocumentRoom>>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly compacting = new Set<string>();

  constructor(
    private readonly updates: DocUpdates,
    private readonly queue: PersistenceQueue,
    private readonly logger: Logger,
    private readonly options: RegistryOptions,
  ) {}

  /** The loaded room of a document, loading it if needed. Rejects when storage cannot be read. */
  async acquire(documentId: string, dialogueId: string): Promise<DocumentRoom> {
    this.cancelUnload(documentId);
    const existing = this.rooms.get(documentId);
    if (existing) {
      const room = await existing;
      if (!room.unloading) return room;
      // It is being unloaded: wait for that to finish, then load it afresh.
      await this.waitUnloaded(documentId);
      return this.acquire(documentId, dialogueId);
    }
    const loading = this.updates
      .load(documentId)
      .then((stored) => new DocumentRoom(documentId, dialogueId, stored, this.queue, this.options));
    this.rooms.set(documentId, loading);
    try {
      return await loading;
    } catch (err) {
      this.rooms.delete(documentId);
      throw err;
    }
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
    const done = (async () => {
      try {
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
