/**
 * A collaboration client for tests, built directly on `ws`, `y-protocols` and `yjs` so that a test
 * controls every byte on the wire: it speaks the y-websocket protocol (sync, awareness), keeps
 * Accord's `saved` acknowledgements, and can send raw bytes the server must survive.
 *
 * ```ts
 * const alice = await connectClient(server.wsUrl, documentId, { cookie });
 * await alice.whenSynced();
 * insertInFirstClause(alice.doc, 0, 'Hello ');
 * await alice.whenSaved();
 * ```
 */

import { isFullyStored, MessageType, readSaved } from '@shared/collab/protocol';
import { BODY_FRAGMENT } from '@shared/schema';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { waitFor } from './waitFor';

/** How a client connects. */
export interface ConnectOptions {
  /** The `Cookie` header (`accord_session=…`); none when omitted. */
  cookie?: string;
  /** The `Origin` header; the server's own origin when omitted, none when null. */
  origin?: string | null;
  /** The document replica to use (a fresh `Y.Doc` when omitted). */
  doc?: Y.Doc;
  /**
   * Milliseconds to hold each message, sent or received, before it goes on (a slow, jittery network);
   * order is kept per direction, as on one TCP connection. Messages still held when their socket closes
   * are lost, as in flight. No delay when omitted.
   */
  latency?: () => number;
}

/** How a socket was closed. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** One test client on one document. Its doc survives `close()` and `reconnect()`, like a browser tab. */
export class CollabClient {
  readonly doc: Y.Doc;
  readonly fragment: Y.XmlFragment;
  readonly awareness: awarenessProtocol.Awareness;
  /** What the server says it has durably stored: client id → clock, only ever growing. */
  readonly saved = new Map<number, number>();
  /** How many messages of each type the client has received, over all its sockets. */
  readonly received = new Map<number, number>();
  /** Errors thrown while handling the server's messages; a correct server causes none. */
  readonly errors: unknown[] = [];
  /** Live events (message type 101) received, decoded from their JSON, in order. */
  readonly events: { type: string; [key: string]: unknown }[] = [];
  ws!: WebSocket;
  /** Resolves when the current socket closes. */
  closed!: Promise<CloseInfo>;
  /** Whether the current socket has completed the initial sync (received sync step 2). */
  synced = false;
  private syncStep2Count = 0;
  private readonly outgoing = new DelayLine();
  private readonly incoming = new DelayLine();

  constructor(
    private wsUrl: string,
    readonly documentId: string,
    private readonly opts: ConnectOptions = {},
  ) {
    this.doc = opts.doc ?? new Y.Doc();
    this.fragment = this.doc.getXmlFragment(BODY_FRAGMENT);
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Whether the current socket is open. */
  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  connect(): Promise<void> {
    const httpOrigin = this.wsUrl.replace(/^ws/, 'http');
    const headers: Record<string, string> = {};
    if (this.opts.cookie) headers.cookie = this.opts.cookie;
    const origin = this.opts.origin === undefined ? httpOrigin : this.opts.origin;
    if (origin !== null) headers.origin = origin;
    const ws = new WebSocket(`${this.wsUrl}/collab/${this.documentId}`, { headers });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    this.synced = false;
    this.closed = new Promise<CloseInfo>((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    ws.on('message', (data: Buffer) => {
      const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const latency = this.opts.latency;
      if (!latency) return this.onMessage(message);
      this.incoming.push(latency(), () => {
        if (this.ws === ws) this.onMessage(message);
      });
    });
    return new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        this.onOpen();
        resolve();
      });
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`Upgrade to /collab/${this.documentId} refused with ${res.statusCode}`));
        ws.terminate();
      });
      // An 'error' after 'open' (a reset socket) also ends in 'close'; only a failed open rejects.
      ws.on('error', (err) => reject(err));
    });
  }

  /** Resolves once the current socket has received the server's sync step 2. */
  whenSynced(timeout = 10_000): Promise<void> {
    return waitFor(() => this.synced, { timeout, message: `client ${this.doc.clientID} to sync` });
  }

  /** Resolves once the server has acknowledged as stored everything this replica holds. */
  whenSaved(timeout = 10_000): Promise<void> {
    return waitFor(() => this.isSaved(), {
      timeout,
      message: () =>
        `client ${this.doc.clientID} to be saved (local ${fmt(stateVector(this.doc))}, saved ${fmt(this.saved)})`,
    });
  }

  /** Whether the server has stored everything this replica holds. */
  isSaved(): boolean {
    return isFullyStored(stateVector(this.doc), this.saved);
  }

  /**
   * Sends sync step 1 and resolves when the server's answer arrives. The server handles one socket's
   * messages in order, so everything sent before has then been processed.
   */
  async roundTrip(timeout = 10_000): Promise<void> {
    const before = this.syncStep2Count;
    this.send(syncStep1Message(this.doc));
    await waitFor(() => this.syncStep2Count > before, {
      timeout,
      message: `client ${this.doc.clientID}'s sync round trip`,
    });
  }

  /** Sends bytes as one binary frame, untouched. */
  sendRaw(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** Closes the socket (the doc is kept) and resolves once it is closed. */
  async close(): Promise<CloseInfo> {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) {
      this.ws.close();
    }
    return this.closed;
  }

  /** Closes the socket if open and opens a new one, to the same server or to `wsUrl`. */
  async reconnect(wsUrl?: string): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) await this.close();
    if (wsUrl) this.wsUrl = wsUrl;
    await this.connect();
  }

  /** Closes the socket and frees the replica. */
  async destroy(): Promise<void> {
    if (this.ws) await this.close();
    this.awareness.destroy();
    this.doc.off('update', this.onDocUpdate);
  }

  private send(bytes: Uint8Array): void {
    if (!this.open) return;
    const latency = this.opts.latency;
    if (!latency) return this.ws.send(bytes);
    const ws = this.ws;
    this.outgoing.push(latency(), () => {
      if (ws.readyState === WebSocket.OPEN) ws.send(bytes);
    });
  }

  private onOpen(): void {
    this.send(syncStep1Message(this.doc));
    if (this.awareness.getLocalState() !== null) {
      this.send(awarenessMessage(this.awareness, [this.doc.clientID]));
    }
  }

  private onMessage(data: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      this.received.set(type, (this.received.get(type) ?? 0) + 1);
      switch (type) {
        case MessageType.sync: {
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, MessageType.sync);
          const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
          if (syncType === syncProtocol.messageYjsSyncStep2) {
            this.syncStep2Count++;
            this.synced = true;
          }
          if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
          return;
        }
        case MessageType.awareness:
          awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
          return;
        case MessageType.queryAwareness:
          this.send(awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
          return;
        case MessageType.saved:
          for (const [client, clock] of readSaved(decoder)) {
            if ((this.saved.get(client) ?? 0) < clock) this.saved.set(client, clock);
          }
          return;
        case MessageType.event:
          this.events.push(JSON.parse(decoding.readVarString(decoder)) as CollabClient['events'][number]);
          return;
        default:
          // Types from newer servers mean nothing to the text.
          return;
      }
    } catch (err) {
      this.errors.push(err);
    }
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    // Updates that came from the server are not echoed back; while closed, the next sync sends them.
    if (origin === this) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    syncProtocol.writeUpdate(encoder, update);
    this.send(encoding.toUint8Array(encoder));
  };

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this) return;
    this.send(awarenessMessage(this.awareness, [...added, ...updated, ...removed]));
  };
}

/** Runs callbacks after a delay each, strictly in the order they were pushed (like bytes on one TCP stream). */
class DelayLine {
  private queue: { due: number; run: () => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  push(delayMs: number, run: () => void): void {
    const last = this.queue.at(-1)?.due ?? 0;
    this.queue.push({ due: Math.max(last, Date.now() + delayMs), run });
    this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (this.timer || !head) return;
    this.timer = setTimeout(this.drain, Math.max(0, head.due - Date.now()));
  }

  private drain = (): void => {
    this.timer = null;
    const now = Date.now();
    while (this.queue[0] && this.queue[0].due <= now) this.queue.shift()!.run();
    this.arm();
  };
}

/** Connects a client to a document and resolves once its socket is open (await `whenSynced` next). */
export async function connectClient(
  wsUrl: string,
  documentId: string,
  opts: ConnectOptions = {},
): Promise<CollabClient> {
  const client = new CollabClient(wsUrl, documentId, opts);
  await client.connect();
  return client;
}

/** Connects a client and waits for its initial sync. */
export async function syncedClient(
  wsUrl: string,
  documentId: string,
  opts: ConnectOptions = {},
): Promise<CollabClient> {
  const client = await connectClient(wsUrl, documentId, opts);
  await client.whenSynced();
  return client;
}

/** What an upgrade attempt got: the HTTP status (101 when accepted) and the bytes seen afterwards. */
export interface UpgradeResult {
  status: number;
  /** The HTTP response body of a refused upgrade. */
  body: string;
  /** WebSocket messages received before the socket was closed by the test. */
  messages: number;
}

/**
 * Attempts an upgrade with exactly `headers` and reports how the server answered. An accepted socket
 * is kept until its first message (or 2 s) so the caller can tell whether Yjs bytes flowed.
 */
export function tryUpgrade(
  wsUrl: string,
  documentId: string,
  headers: Record<string, string>,
): Promise<UpgradeResult> {
  return new Promise<UpgradeResult>((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}/collab/${documentId}`, { headers });
    let messages = 0;
    ws.on('message', () => {
      messages++;
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, messages });
        ws.terminate();
      });
    });
    ws.once('open', () => {
      const timer = setTimeout(() => ws.terminate(), 2000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve({ status: 101, body: '', messages });
      });
    });
    ws.on('error', (err) => {
      // 'unexpected-response' handles refusals; other errors (a reset) are failures of the test.
      if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
      reject(err);
    });
  });
}

/** The document's state vector as a map, for `isFullyStored` and comparisons. */
export function stateVector(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

/** Every clause element of the document, in document order. */
export function clauses(doc: Y.Doc): Y.XmlElement[] {
  const out: Y.XmlElement[] = [];
  for (const objective of doc.getXmlFragment(BODY_FRAGMENT).toArray()) {
    if (!(objective instanceof Y.XmlElement) || objective.nodeName !== 'objective') continue;
    for (const child of objective.toArray()) {
      if (child instanceof Y.XmlElement && child.nodeName === 'clause') out.push(child);
    }
  }
  return out;
}

/** The text of a clause (its first `Y.XmlText`), created when the clause is empty. */
export function clauseText(clause: Y.XmlElement): Y.XmlText {
  const existing = clause.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
  if (existing) return existing;
  const text = new Y.XmlText();
  clause.insert(clause.length, [text]);
  return text;
}

/** The text of the document's first clause. */
export function firstClauseText(doc: Y.Doc): Y.XmlText {
  const first = clauses(doc)[0];
  if (!first) throw new Error('The document has no clause');
  return clauseText(first);
}

/** Inserts `text` at `index` of the first clause (clamped to its length); returns the index used. */
export function insertInFirstClause(doc: Y.Doc, index: number, text: string): number {
  const target = firstClauseText(doc);
  const at = Math.min(index, target.length);
  target.insert(at, text);
  return at;
}

/** Appends a clause holding `text` to the last objective; returns its id (random unless given). */
export function appendClause(doc: Y.Doc, text: string, clauseId?: string): string {
  const objectives = doc
    .getXmlFragment(BODY_FRAGMENT)
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'objective');
  const last = objectives[objectives.length - 1];
  if (!last) throw new Error('The document has no objective');
  const id = clauseId ?? `c-test-${doc.clientID}-${Math.random().toString(36).slice(2, 10)}`;
  doc.transact(() => {
    const clause = new Y.XmlElement('clause');
    clause.setAttribute('id', id);
    clause.insert(0, [new Y.XmlText(text)]);
    last.insert(last.length, [clause]);
  });
  return id;
}

/** All the text of the document, one line per block, marks ignored. */
export function docText(doc: Y.Doc): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment) => {
    let line = '';
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) line += textOf(child);
      else if (child instanceof Y.XmlElement) walk(child);
    }
    if (line) lines.push(line);
  };
  walk(doc.getXmlFragment(BODY_FRAGMENT));
  return lines.join('\n');
}

function textOf(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[])
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('');
}

/** The encoded state vector of a replica, for equality checks. */
export function encodedStateVector(doc: Y.Doc): Uint8Array {
  return Y.encodeStateVector(doc);
}

function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

function fmt(sv: Map<number, number>): string {
  return JSON.stringify([...sv]);
}

/**
 * Resolves once every replica has the same state vector as the first and identical body fragments;
 * rejects naming the replicas that differ. Both are awaited: deletions do not advance a state vector,
 * so equal vectors can come a moment before a deletion has arrived everywhere.
 */
export async function waitForConvergence(docs: readonly Y.Doc[], timeout = 15_000): Promise<void> {
  const [first, ...rest] = docs;
  if (!first) return;
  const same = (d: Y.Doc) =>
    Buffer.from(Y.encodeStateVector(d)).equals(Buffer.from(Y.encodeStateVector(first)));
  const content = (d: Y.Doc) => JSON.stringify(d.getXmlFragment(BODY_FRAGMENT).toJSON());
  await waitFor(() => rest.every(same), {
    timeout,
    message: () =>
      `replicas to converge; state vectors:\n${docs.map((d) => `  ${d.clientID}: ${fmt(stateVector(d))}`).join('\n')}`,
  });
  await waitFor(() => rest.every((d) => content(d) === content(first)), {
    timeout,
    message: () =>
      `replicas ${rest
        .filter((d) => content(d) !== content(first))
        .map((d) => d.clientID)
        .join(', ')} with the same state vector as ${first.clientID} to have the same content`,
  });
}
