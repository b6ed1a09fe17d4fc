import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Message types on `/collab/<documentId>`. 0–3 are the y-websocket protocol's own; the ones above
 * are Accord's extensions, sent only by the server, which stock y-websocket clients ignore.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** The server has durably stored edits: a partial state vector of what is now on disk. */
  saved: 100,
  /** A live event about a server record (thread, status, evidence, version, access), as JSON. */
  event: 101,
  /**
   * Sent to one connection: the first `n` update-carrying messages it sent on this socket (sync
   * step 2 and update) are durably stored. Unlike the state vector of `saved`, this also covers
   * deletions, which do not advance a Yjs state vector.
   */
  ack: 102,
} as const;

/** True for a client message that carries document content (sync step 2 or update): the ones `ack` counts. */
export function isUpdateMessage(message: Uint8Array): boolean {
  return message[0] === MessageType.sync && (message[1] === 1 || message[1] === 2);
}

/** Encodes an `ack` message. */
export function encodeAck(count: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.ack);
  encoding.writeVarUint(encoder, count);
  return encoding.toUint8Array(encoder);
}

/** WebSocket close codes the server uses, so clients can tell why they were closed. */
export const CloseCode = {
  /** Malformed or hostile bytes: the socket is closed, the document is untouched. */
  protocolError: 4400,
  /** The member lost access (removed, or role lowered to one that cannot read). */
  accessRevoked: 4403,
  /** The document no longer exists. */
  notFound: 4404,
  /** The member's role changed: reconnect to get the new access level. */
  roleChanged: 4409,
  /** The document could not be loaded from storage; try later. */
  loadFailed: 4500,
  /** Too many messages: the client floods. */
  flood: 4429,
} as const;

/**
 * Encodes a `saved` message: the (client id → clock) entries whose edits are now durably stored.
 * Entries only grow; a client keeps the maximum per client id it has been told.
 */
export function encodeSaved(entries: Iterable<readonly [number, number]>): Uint8Array {
  const list = [...entries];
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.saved);
  encoding.writeVarUint(encoder, list.length);
  for (const [client, clock] of list) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}

/** Reads the body of a `saved` message (after its type) into a map of client id → stored clock. */
export function readSaved(decoder: decoding.Decoder): Map<number, number> {
  const count = decoding.readVarUint(decoder);
  const saved = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    saved.set(client, clock);
  }
  return saved;
}

/** Encodes an `event` message carrying one JSON live event. */
export function encodeEvent(event: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.event);
  encoding.writeVarString(encoder, JSON.stringify(event));
  return encoding.toUint8Array(encoder);
}

/**
 * True when every edit in `local` (a state vector of the client's document) is covered by
 * `stored`, i.e. the server has durably stored everything this client has seen or made.
 */
export function isFullyStored(local: Map<number, number>, stored: Map<number, number>): boolean {
  for (const [client, clock] of local) {
    if ((stored.get(client) ?? 0) < clock) return false;
  }
  return true;
}
