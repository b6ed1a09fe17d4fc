import { CloseCode, isUpdateMessage, MessageType, readSaved } from '@shared/collab/protocol';
import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { removeAwarenessStates } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { ApiError, api } from '../api/client';
import { mergeStored } from './savedStatus';

/** The state of the WebSocket, as the provider reports it. */
export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

/** What a document connection tells its owner. Every callback is optional. */
export interface ConnectionListener {
  /** The WebSocket opened, closed or is trying to open. */
  status?: (status: ConnectionStatus) => void;
  /** The first sync with the server finished (again after each reconnect). */
  synced?: () => void;
  /** The server stored more edits (a `saved` or an `ack` message arrived). */
  saved?: () => void;
  /** A live event (type 101) arrived; its shape belongs to the feature that sent it. */
  event?: (event: unknown) => void;
  /** The server closed the socket with one of Accord's close codes (see `CloseCode`). */
  closed?: (code: number, reason: string) => void;
  /** Repeated refused upgrades, and the session turned out to be gone. */
  signedOut?: () => void;
  /** Repeated refused upgrades, and the document is no longer readable by this user. */
  denied?: () => void;
}

/** A live connection of one document: WebSocket sync, awareness, and the offline copy in IndexedDB. */
export interface DocumentConnection {
  readonly provider: WebsocketProvider;
  /** Null when the browser has no usable IndexedDB. */
  readonly persistence: IndexeddbPersistence | null;
  /** The largest stored clock per client the server has reported. Only the connection writes it. */
  readonly stored: Map<number, number>;
  /**
   * True while this socket has sent updates the server has not yet acknowledged as stored (`ack`,
   * type 102). Deletions do not advance a state vector, so `stored` alone cannot vouch for them.
   */
  hasUnacknowledged: () => boolean;
  /** Resolves once the offline copy is loaded into the document and the socket is asked to connect. */
  readonly ready: Promise<void>;
  /** Leaves the document: tells peers we left, closes the socket, releases IndexedDB. */
  destroy: () => void;
}

/** The URL of the collaboration endpoint on this origin. */
export function collabUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}

// Close codes after which reconnecting cannot help: the server decided.
const permanentCloseCodes = new Set<number>([
  CloseCode.accessRevoked,
  CloseCode.notFound,
  CloseCode.protocolError,
]);

// How long to wait for IndexedDB before connecting anyway (a broken IndexedDB must not block editing).
const indexedDbTimeoutMs = 3000;
// Refused upgrades in a row before asking the HTTP API why.
const failuresBeforeCheck = 3;
const minCheckIntervalMs = 10_000;

/**
 * Connects `ydoc` to the document `documentId`. The offline copy in IndexedDB (`accord:<id>`) is
 * loaded first, and only then the WebSocket is opened, so that edits made offline are in the
 * document before it syncs and are sent to the server. The client never writes initial content.
 */
export function connectDocument(
  documentId: string,
  ydoc: Y.Doc,
  listener: ConnectionListener = {},
): DocumentConnection {
  const stored = new Map<number, number>();
  let destroyed = false;

  // Acknowledged update messages on the current socket; the count restarts with every socket.
  let acked = 0;

  const provider = new WebsocketProvider(collabUrl(), documentId, ydoc, {
    connect: false,
    shouldReconnect: (event) => !permanentCloseCodes.has(event.code),
    WebSocketPolyfill: CountingWebSocket,
  });

  provider.messageHandlers[MessageType.saved] = (_encoder, decoder) => {
    if (mergeStored(stored, readSaved(decoder))) listener.saved?.();
  };
  provider.messageHandlers[MessageType.ack] = (_encoder, decoder) => {
    const count = decoding.readVarUint(decoder);
    if (count > acked) {
      acked = count;
      listener.saved?.();
    }
  };
  provider.messageHandlers[MessageType.event] = (_encoder, decoder) => {
    let event: unknown;
    try {
      event = JSON.parse(decoding.readVarString(decoder));
    } catch {
      return; // A malformed event is ignored: events are hints to refresh, never the truth.
    }
    listener.event?.(event);
  };

  // Upgrades refused with 401/403 look like a socket that closes before it opens; the provider keeps
  // retrying, so after a few of those we ask the HTTP API what is wrong.
  let openedThisAttempt = false;
  let refusedInARow = 0;
  let lastCheck = 0;
  provider.on('status', ({ status }) => {
    if (status === 'connecting') {
      openedThisAttempt = false;
      acked = 0;
    }
    if (status === 'connected') {
      openedThisAttempt = true;
      refusedInARow = 0;
    }
    listener.status?.(status);
  });
  provider.on('sync', (isSynced) => {
    if (isSynced) listener.synced?.();
  });
  provider.on('connection-close', (event) => {
    if (event && event.code >= 4000) listener.closed?.(event.code, event.reason);
    if (!event || openedThisAttempt) return;
    refusedInARow++;
    if (refusedInARow >= failuresBeforeCheck && Date.now() - lastCheck > minCheckIntervalMs) {
      lastCheck = Date.now();
      void checkAccess();
    }
  });

  async function checkAccess(): Promise<void> {
    try {
      await api.getSession();
    } catch (error) {
      if (!destroyed && error instanceof ApiError && error.status === 401) listener.signedOut?.();
      return;
    }
    try {
      await api.getDocument(documentId);
    } catch (error) {
      if (!destroyed && error instanceof ApiError && (error.status === 404 || error.status === 403)) {
        listener.denied?.();
      }
    }
  }

  let persistence: IndexeddbPersistence | null = null;
  try {
    persistence = new IndexeddbPersistence(`accord:${documentId}`, ydoc);
  } catch {
    persistence = null; // No IndexedDB (private mode in some browsers): online editing still works.
  }

  const loaded = persistence
    ? Promise.race([persistence.whenSynced.then(() => undefined), delay(indexedDbTimeoutMs)]).catch(
        () => undefined,
      )
    : Promise.resolve();
  const ready = loaded.then(() => {
    if (!destroyed) provider.connect();
  });

  return {
    provider,
    persistence,
    stored,
    hasUnacknowledged: () => {
      const ws = provider.ws;
      return ws instanceof CountingWebSocket && ws.updatesSent > acked;
    },
    ready,
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      removeAwarenessStates(provider.awareness, [ydoc.clientID], 'left');
      provider.destroy();
      provider.awareness.destroy();
      void persistence?.destroy();
    },
  };
}

/** A WebSocket that counts the update-carrying messages it sends, to match them with the server's acks. */
class CountingWebSocket extends WebSocket {
  updatesSent = 0;

  override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (data instanceof Uint8Array && isUpdateMessage(data)) this.updatesSent++;
    super.send(data);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
