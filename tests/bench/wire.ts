import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The collaboration protocols the load generator speaks. Accord and `@y/websocket-server` speak
 * the y-websocket protocol (one document per socket, named by the URL); Hocuspocus wraps every
 * y-websocket message in an envelope that names the document, and wants an authentication message
 * before anything else. The load generator builds y-websocket messages; a `Wire` puts them in the
 * server's envelope and takes them out of it, so every server gets the same load.
 */
export type Protocol = 'accord' | 'y-websocket' | 'hocuspocus';

/** How messages of one protocol travel. */
export interface Wire {
  /** The WebSocket URL of a document on a server at `base` (`ws://host:port`). */
  url(base: string, documentId: string): string;
  /** What a client sends first after the socket opens, before its sync step 1. */
  hello(documentId: string): Uint8Array[];
  /** Puts a y-websocket message into this protocol's envelope. */
  wrap(documentId: string, message: Uint8Array): Uint8Array;
  /** Takes a y-websocket message out of the envelope (sync, awareness …); null for anything else. */
  unwrap(data: Uint8Array): Uint8Array | null;
}

const plain = (path: (documentId: string) => string): Wire => ({
  url: (base, documentId) => `${base}${path(documentId)}`,
  hello: () => [],
  wrap: (_documentId, message) => message,
  unwrap: (data) => data,
});

/** Hocuspocus message types that differ from y-websocket's (see @hocuspocus/server's `MessageType`). */
const HOCUSPOCUS_AUTH = 2;
/** A sync message that must not trigger another sync step 1: the same as sync, for a client. */
const HOCUSPOCUS_SYNC_REPLY = 4;

const hocuspocus: Wire = {
  url: (base) => base,
  hello: (documentId) => {
    // Authentication (type 2), sub-type token (0), an empty token: the benchmark server has no
    // `onAuthenticate` hook, as in Hocuspocus's own quick start.
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentId);
    encoding.writeVarUint(e, HOCUSPOCUS_AUTH);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, '');
    return [encoding.toUint8Array(e)];
  },
  wrap: (documentId, message) => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentId);
    encoding.writeUint8Array(e, message);
    return encoding.toUint8Array(e);
  },
  unwrap: (data) => {
    const d = decoding.createDecoder(data);
    decoding.readVarString(d);
    const start = d.pos;
    const type = decoding.readVarUint(d);
    if (type !== HOCUSPOCUS_SYNC_REPLY) return data.subarray(start);
    const out = new Uint8Array(1 + data.length - d.pos);
    out[0] = 0;
    out.set(data.subarray(d.pos), 1);
    return out;
  },
};

/** The wire of each protocol. */
export const wires: Record<Protocol, Wire> = {
  accord: plain((id) => `/collab/${id}`),
  'y-websocket': plain((id) => `/${id}`),
  hocuspocus,
};
