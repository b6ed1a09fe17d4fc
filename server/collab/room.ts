import { encodeEvent, encodeSaved } from '@shared/collab/protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Audience, LiveEvent } from '../context';
import type { StoredDocument } from '../store/docUpdates';
import { touchedClauses } from './attribution';
import { Connection } from './connection';
import { awarenessMessage, syncStep1, syncUpdate } from './messages';
import type { BusMessage, DocumentBus } from './bus';
import type { CollabIdentity } from './identity';
import type { PersistenceQueue, PersistSource } from './persistenceQueue';
import { summariseTextChanges, type TextChangeSummary } from './textChanges';

/** Origin of a Yjs transaction made by the server itself (restore, proposed wording …). */
export class ServerOrigin {
  constructor(readonly actorId: string | null) {}
}

/** Origin of an update or awareness change that another server process received (over the bus). */
export class RemoteOrigin {
  constructor(readonly userId: string | null) {}
}

/** Origin of the transaction that loads a document from storage: never stored again, never broadcast. */
const LOAD_ORIGIN = Symbol('load');
/** Origin of awareness changes received from another process (never published back). */
const REMOTE_AWARENESS = Symbol('remote awareness');
/** Smallest interval between two sync requests of one room (a trailing one follows if asked meanwhile). */
const SYNC_REQUEST_INTERVAL_MS = 1000;

/** Settings of a room. */
export interface RoomOptions {
  /** Milliseconds over which outgoing updates are merged into one message (0: next turn). */
  broadcastTickMs: number;
  /** Smallest interval between two awareness broadcasts, in milliseconds. */
  awarenessIntervalMs: number;
  /** Told what each edit from a connection did to the text's tracked changes (see `textChanges.ts`). */
  inspect?: (room: DocumentRoom, conn: Connection, summary: TextChangeSummary) => void;
}

/**
 * One loaded document: its `Y.Doc`, its awareness and its connections. Updates from writers are
 * applied, queued for storage and broadcast; what is broadcast within one tick is merged into one
 * message, encoded once for all receivers, so a busy document sends one frame per receiver per tick
 * rather than one per keystroke.
 *
 * With a bus (several processes), the room also publishes what its own connections change — one
 * merged message per event-loop turn — and applies what the others publish. Updates from the bus
 * are stored by this process too (see `receiveFromBus`), but never published again, audited or
 * acknowledged to anyone: nothing echoes, and every process acknowledges only its own commits.
 */
export class DocumentRoom implements PersistSource {
  readonly doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Which connection published each awareness client id; no other connection may overwrite it. */
  readonly awarenessOwners = new Map<number, Connection>();
  /** Updates stored since the document was loaded or last compacted. */
  updatesSinceCompaction = 0;
  /** Set when the room is being unloaded; a room in that state accepts no new connection. */
  unloading = false;
  /** The document's dialogue; empty while unknown (loaded by the server itself, not by a connection). */
  dialogueId: string;

  private persistedVector: Map<number, number>;
  private outgoing: { data: Uint8Array; origin: Connection | null }[] = [];
  private outgoingTimer: NodeJS.Timeout | null = null;
  /** Stored clocks that advanced since the last `saved` message, sent at most once per tick. */
  private savedPending = new Map<number, number>();
  private savedTimer: NodeJS.Timeout | null = null;
  private awarenessChanged = new Set<number>();
  private awarenessTimer: NodeJS.Timeout | null = null;
  private lastAwarenessFlush = 0;
  private lastSyncRequest = 0;
  private syncTimer: NodeJS.Timeout | null = null;
  /** Updates made in this process, waiting to be published on the bus at the end of the turn. */
  private busOutgoing: { data: Uint8Array; userId: string | null }[] = [];
  private busScheduled = false;
  /** Awareness client ids whose state a local connection changed since the last awareness flush. */
  private awarenessToPublish = new Set<number>();

  constructor(
    readonly documentId: string,
    dialogueId: string,
    stored: StoredDocument,
    private readonly queue: PersistenceQueue,
    private readonly options: RoomOptions,
    private readonly bus: DocumentBus | null = null,
  ) {
    this.dialogueId = dialogueId;
    Y.transact(
      this.doc,
      () => {
        if (stored.state) Y.applyUpdate(this.doc, stored.state, LOAD_ORIGIN);
        for (const u of stored.updates) Y.applyUpdate(this.doc, u, LOAD_ORIGIN);
      },
      LOAD_ORIGIN,
    );
    this.persistedVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onUpdate);
    if (options.inspect) this.doc.on('afterTransaction', this.onAfterTransaction);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Adds a connection and starts the sync: state vector, current presence, what is stored. */
  add(conn: Connection): void {
    this.connections.add(conn);
    conn.send(syncStep1(this.doc));
    if (this.awareness.getStates().size > 0) conn.send(awarenessMessage(this.awareness));
    conn.send(encodeSaved(this.persistedVector));
  }

  /** Removes a connection and the presence it published. */
  remove(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    for (const id of conn.awarenessClients) this.awarenessOwners.delete(id);
    const owned = [...conn.awarenessClients].filter((id) => this.awareness.getStates().has(id));
    if (owned.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, owned, conn);
  }

  /** Sends the same bytes to every connection accepted by `filter`. */
  broadcast(message: Uint8Array, filter: (conn: Connection) => boolean = () => true): void {
    for (const conn of this.connections) if (filter(conn)) conn.send(message);
  }

  /** Applies an update made by the server on behalf of `actorId`; stored and broadcast like any edit. */
  applyServerUpdate(update: Uint8Array, actorId: string | null): void {
    Y.applyUpdate(this.doc, update, new ServerOrigin(actorId));
  }

  stateVector(): Map<number, number> {
    return Y.decodeStateVector(Y.encodeStateVector(this.doc));
  }

  /**
   * Tells every connection which edits are now durably stored (only the entries that advanced). A
   * busy document commits many times a second; what advanced is sent at most once per broadcast tick,
   * so `saved` does not add a frame per receiver per commit. (Each writer's own `ack` is not delayed.)
   */
  persisted(stateVector: Map<number, number>): void {
    for (const [client, clock] of stateVector) {
      if ((this.persistedVector.get(client) ?? 0) < clock) {
        this.persistedVector.set(client, clock);
        this.savedPending.set(client, clock);
      }
    }
    if (this.savedPending.size > 0 && !this.savedTimer) {
      this.savedTimer = setTimeout(this.flushSaved, this.tickMs());
    }
  }

  private flushSaved = (): void => {
    if (this.savedTimer) clearTimeout(this.savedTimer);
    this.savedTimer = null;
    if (this.savedPending.size === 0) return;
    const message = encodeSaved(this.savedPending);
    this.savedPending = new Map();
    this.broadcast(message);
  };

  /**
   * The broadcast tick for the room's current size. Fan-out costs one frame per receiver per tick, so
   * a crowded document merges over a longer window: the configured tick up to 50 connections, then
   * growing with the room (200 connections: 4×), at most 5× the configured tick.
   */
  private tickMs(): number {
    const base = this.options.broadcastTickMs;
    return base * Math.min(5, Math.max(1, this.connections.size / 50));
  }

  /** What storage holds of this document, as a state vector (for tests and diagnostics). */
  persistedStateVector(): ReadonlyMap<number, number> {
    return this.persistedVector;
  }

  /** Sends a live event to the connections in `audience` (everyone on the document when omitted). */
  deliverEvent(event: LiveEvent, audience: Audience | undefined): void {
    const message = encodeEvent(event);
    this.broadcast(message, (conn) => inAudience(conn.identity, audience));
  }

  /** Sends whatever is waiting and stops the room's timers; the room must not be used afterwards. */
  destroy(): void {
    this.flushOutgoing();
    this.flushSaved();
    this.flushBus();
    if (this.awarenessTimer) {
      clearTimeout(this.awarenessTimer);
      this.flushAwareness();
    }
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.doc.off('update', this.onUpdate);
    this.doc.off('afterTransaction', this.onAfterTransaction);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /**
   * Handles what another process publishes about this document.
   *
   * Remote updates are applied, broadcast to this process's connections and stored by this process
   * too (Yjs makes the duplicate row harmless; compaction folds it). That is what makes this
   * process's `saved` and `ack` true on their own: the state vector it reports as stored after its
   * commit covers every update it applied, including the remote ones its clients' later edits may
   * depend on, whether or not the process that received them first lived to commit them.
   */
  receiveFromBus(message: BusMessage): void {
    switch (message.kind) {
      case 'update':
        Y.applyUpdate(this.doc, message.data, new RemoteOrigin(message.userId));
        // A gap (a message Redis lost, or one published before this room subscribed): ask for it.
        if (this.doc.store.pendingStructs || this.doc.store.pendingDs) this.requestSync();
        return;
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.data, REMOTE_AWARENESS);
        return;
      case 'syncRequest':
        this.answerSyncRequest(message.from, message.stateVector);
        return;
      case 'event':
        this.deliverEvent(message.event, message.audience);
        return;
    }
  }

  /**
   * Asks the other processes holding the document for whatever this one lacks: after loading it
   * (what they applied but had not yet stored), after the bus reconnected, and when an update from
   * the bus could not be integrated. At most once a second; a request made meanwhile is sent then.
   */
  requestSync(): void {
    if (!this.bus) return;
    const wait = this.lastSyncRequest + SYNC_REQUEST_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.syncTimer ??= setTimeout(() => {
        this.syncTimer = null;
        this.requestSync();
      }, wait);
      return;
    }
    this.lastSyncRequest = Date.now();
    this.bus.publish(this.documentId, {
      kind: 'syncRequest',
      from: this.bus.processId,
      stateVector: Y.encodeStateVector(this.doc),
    });
  }

  /** Publishes the updates made in this process during the current turn, merged per author. */
  flushBus = (): void => {
    this.busScheduled = false;
    if (!this.bus || this.busOutgoing.length === 0) return;
    const batch = this.busOutgoing;
    this.busOutgoing = [];
    for (let i = 0; i < batch.length; ) {
      const userId = batch[i]!.userId;
      let j = i + 1;
      while (j < batch.length && batch[j]!.userId === userId) j++;
      const data = j - i === 1 ? batch[i]!.data : Y.mergeUpdates(batch.slice(i, j).map((b) => b.data));
      this.bus.publish(this.documentId, { kind: 'update', data, userId });
      i = j;
    }
  };

  /** Answers a loading process with what it lacks and the presence of this process's connections. */
  private answerSyncRequest(requester: string, stateVector: Uint8Array): void {
    if (!this.bus) return;
    const diff = Y.encodeStateAsUpdate(this.doc, stateVector);
    // [0 clients with structs][0 deletions]: the requester has everything already.
    if (diff.length > 2) this.bus.sendTo(requester, this.documentId, { kind: 'update', data: diff, userId: null });
    const present = [...this.awarenessOwners.keys()].filter((id) => this.awareness.getStates().has(id));
    if (present.length > 0) {
      this.bus.sendTo(requester, this.documentId, {
        kind: 'awareness',
        data: awarenessProtocol.encodeAwarenessUpdate(this.awareness, present),
      });
    }
  }

  // Runs before Yjs merges and garbage-collects the transaction's structs: the deleted text is still readable.
  private onAfterTransaction = (tr: Y.Transaction): void => {
    const conn = tr.origin;
    if (!(conn instanceof Connection) || !this.options.inspect) return;
    try {
      this.options.inspect(this, conn, summariseTextChanges(tr, conn.identity.userId));
    } catch {
      // Inspection must never stand in the way of an edit; a failure only means no flag.
    }
  };

  private onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction): void => {
    if (origin === LOAD_ORIGIN) return;
    const conn = origin instanceof Connection ? origin : null;
    const remote = origin instanceof RemoteOrigin;
    const userId = conn
      ? conn.identity.userId
      : origin instanceof ServerOrigin
        ? origin.actorId
        : remote
          ? origin.userId
          : null;
    this.updatesSinceCompaction++;
    this.queue.enqueue(this, update, userId, touchedClauses(tr), !remote);
    if (!remote && this.bus) {
      this.busOutgoing.push({ data: update, userId });
      if (!this.busScheduled) {
        this.busScheduled = true;
        setImmediate(this.flushBus);
      }
    }
    this.outgoing.push({ data: update, origin: conn });
    if (!this.outgoingTimer) {
      this.outgoingTimer = setTimeout(this.flushOutgoing, this.tickMs());
    }
  };

  private flushOutgoing = (): void => {
    if (this.outgoingTimer) clearTimeout(this.outgoingTimer);
    this.outgoingTimer = null;
    const batch = this.outgoing;
    if (batch.length === 0) return;
    this.outgoing = [];
    // Small updates of one tick merge cheaply; long logs are never merged this way (see compaction).
    const merged = batch.length === 1 ? batch[0]!.data : Y.mergeUpdates(batch.map((b) => b.data));
    const message = syncUpdate(merged);
    const first = batch[0]!.origin;
    // When one connection made every update of the tick it already has them; others get the one message.
    const soleOrigin = first && batch.every((b) => b.origin === first) ? first : null;
    this.broadcast(message, (conn) => conn !== soleOrigin);
  };

  private onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    // Only what this process's connections changed goes on the bus; states that time out here
    // (a process that died) time out in every process by themselves.
    if (this.bus && origin instanceof Connection) {
      for (const id of changes.added) this.awarenessToPublish.add(id);
      for (const id of changes.updated) this.awarenessToPublish.add(id);
      for (const id of changes.removed) this.awarenessToPublish.add(id);
    }
    for (const id of changes.added) this.awarenessChanged.add(id);
    for (const id of changes.updated) this.awarenessChanged.add(id);
    for (const id of changes.removed) this.awarenessChanged.add(id);
    if (this.awarenessTimer) return;
    const wait = Math.max(0, this.lastAwarenessFlush + this.options.awarenessIntervalMs - Date.now());
    this.awarenessTimer = setTimeout(this.flushAwareness, wait);
  };

  private flushAwareness = (): void => {
    this.awarenessTimer = null;
    this.lastAwarenessFlush = Date.now();
    const clients = [...this.awarenessChanged];
    this.awarenessChanged.clear();
    if (clients.length > 0 && this.connections.size > 0) {
      this.broadcast(awarenessMessage(this.awareness, clients));
    }
    if (this.bus && this.awarenessToPublish.size > 0) {
      const local = [...this.awarenessToPublish];
      this.awarenessToPublish.clear();
      this.bus.publish(this.documentId, {
        kind: 'awareness',
        data: awarenessProtocol.encodeAwarenessUpdate(this.awareness, local),
      });
    }
  };
}

/** Whether a connection's identity is among those a live event is meant for. */
export function inAudience(identity: CollabIdentity, audience: Audience | undefined): boolean {
  if (!audience) return true;
  if (audience.userIds?.includes(identity.userId)) return true;
  if (audience.roles?.includes(identity.role)) return true;
  return false;
}
