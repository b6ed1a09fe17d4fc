import { MessageType } from '@shared/collab/protocol';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { filterAwarenessUpdate } from './awarenessFilter';
import type { Connection } from './connection';
import { awarenessUser } from './identity';
import { awarenessMessage, syncStep2 } from './messages';
import type { DocumentRoom } from './room';
import { UpdateRejected } from './updateScan.mjs';

/**
 * Most bytes of updates a document keeps waiting for missing dependencies. Yjs re-applies and
 * re-merges what waits on every later update (and sends it with every sync), so a writer who parks
 * updates there would slow everyone on the document; an honest client's wait is a few bytes for
 * the moment between its reconnect and its sync step 2.
 */
export const MAX_PENDING_BYTES = 16 * 1024;

/** What the receiver reports back to the collaboration server. */
export interface ReceiverHooks {
  /** A read-only connection tried to change the document; its update was dropped. */
  rejectedWrite(conn: Connection, room: DocumentRoom): void;
  /** Acknowledge the connection's first `count` update messages once they are stored. */
  ackWhenStored(conn: Connection, count: number): void;
  /**
   * Checks an untrusted update (see `UpdateGuard.inspect`): null when it may be applied now, a
   * promise when a worker decides; throws or rejects when it must be refused.
   */
  inspectUpdate(update: Uint8Array): Promise<void> | null;
}

/** An update with no structs and no deletions (what a client with nothing new sends as sync step 2). */
function isEmptyUpdate(update: Uint8Array): boolean {
  // [0 clients with structs][0 clients in the delete set]
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/**
 * Decodes one message from a connection and acts on it. Permissions are enforced here, where
 * messages enter the server: a read-only connection's updates are dropped and never reach the
 * document, storage or peers. Throws on malformed bytes; the caller closes that socket only.
 * Returns a promise when the message waits for a decode worker: the caller must hold the
 * connection's later messages until it settles (and close the socket when it rejects), so that
 * one socket's messages are still handled in order.
 */
export function receiveMessage(
  room: DocumentRoom,
  conn: Connection,
  data: Uint8Array,
  hooks: ReceiverHooks,
): Promise<void> | void {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.sync:
      return receiveSync(room, conn, decoder, hooks);
    case MessageType.awareness: {
      const update = decoding.readVarUint8Array(decoder);
      const filtered = filterAwareness(room, conn, update);
      if (filtered) awarenessProtocol.applyAwarenessUpdate(room.awareness, filtered, conn);
      return;
    }
    case MessageType.queryAwareness:
      conn.send(awarenessMessage(room.awareness));
      return;
    default:
      // `auth` and types from newer clients carry nothing the server acts on.
      return;
  }
}

function receiveSync(
  room: DocumentRoom,
  conn: Connection,
  decoder: decoding.Decoder,
  hooks: ReceiverHooks,
): Promise<void> | void {
  const syncType = decoding.readVarUint(decoder);
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1: {
      const stateVector = decoding.readVarUint8Array(decoder);
      Y.decodeStateVector(stateVector); // throws on malformed bytes before any work is done
      conn.send(syncStep2(room.doc, stateVector));
      return;
    }
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate: {
      const update = decoding.readVarUint8Array(decoder);
      if (conn.readOnly) {
        // A read-only connection's sync step 2 is normally empty (acknowledged: nothing to lose);
        // anything in it is refused and never acknowledged.
        if (isEmptyUpdate(update)) hooks.ackWhenStored(conn, ++conn.updatesReceived);
        else hooks.rejectedWrite(conn, room);
        return;
      }
      const verdict = hooks.inspectUpdate(update);
      if (!verdict) return applyUpdate(room, conn, update, hooks);
      return verdict.then(() => {
        // The socket may have closed while a worker decided; its update goes nowhere then.
        if (conn.closed) return;
        const started = performance.now();
        try {
          applyUpdate(room, conn, update, hooks);
        } finally {
          conn.spend(performance.now() - started);
        }
      });
    }
    default:
      throw new Error(`unknown sync message type ${syncType}`);
  }
}

function applyUpdate(room: DocumentRoom, conn: Connection, update: Uint8Array, hooks: ReceiverHooks): void {
  Y.applyUpdate(room.doc, update, conn);
  const { store } = room.doc;
  const pendingBytes = (store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0);
  if (pendingBytes > MAX_PENDING_BYTES) {
    dropPending(room);
    throw new UpdateRejected('too much of the update waits for changes the server does not have');
  }
  conn.updatesReceived++;
  // Structs waiting for missing dependencies are only in memory: acknowledge nothing until they integrate.
  if (!store.pendingStructs && !store.pendingDs) {
    hooks.ackWhenStored(conn, conn.updatesReceived);
  }
}

/**
 * Forgets what a document keeps waiting for missing dependencies, when its sender turned out
 * hostile. Nothing waiting was stored or acknowledged: honest senders still hold it and send it
 * again on their next sync.
 */
export function dropPending(room: DocumentRoom): void {
  room.doc.store.pendingStructs = null;
  room.doc.store.pendingDs = null;
}

function filterAwareness(room: DocumentRoom, conn: Connection, update: Uint8Array): Uint8Array | null {
  const mayClaim = (id: number) => {
    // A browser tab has one document client; a few allow for reloads within one socket's life.
    if (conn.awarenessClients.size >= 4) return false;
    const owner = room.awarenessOwners.get(id);
    if (owner) return owner === conn;
    // A state no local connection owns comes from another process: only its own user may take it
    // over (a tab that reconnected here after its process died).
    const remote = room.awareness.getStates().get(id) as { user?: { id?: unknown } } | undefined;
    return !remote || remote.user?.id === conn.identity.userId;
  };
  const filtered = filterAwarenessUpdate(
    update,
    awarenessUser(conn.identity),
    mayClaim,
    conn.awarenessClients,
  );
  for (const id of conn.awarenessClients) room.awarenessOwners.set(id, conn);
  return filtered;
}
