import { MessageType } from '@shared/collab/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Random } from '../helpers/random';
import type { Recorder } from './recorder';
import { type Replica, SERVER_ORIGIN } from './replica';
import type { Wire } from './wire';

/**
 * What a client does with the document updates it receives:
 * - `sampler`: has its own replica, applies each update at once and times the keystrokes it brings;
 * - `feeder`: shares a replica with other editors and keeps the updates for it;
 * - `typist`: shares a replica that a feeder keeps up to date, and drops them after reading them.
 */
export type ClientRole = 'sampler' | 'feeder' | 'typist';

/** How a load client connects and behaves. */
export interface LoadClientOptions {
  /** `ws://host:port` of the server this client connects to. */
  wsUrl: string;
  /** How the server wants its messages (Accord, y-websocket, Hocuspocus). */
  wire: Wire;
  documentId: string;
  /** The session cookie (Accord); none for servers without authentication. */
  cookie: string | undefined;
  origin: string;
  role: ClientRole;
  /** The replica this client types into (its own for a sampler, shared otherwise). */
  replica: Replica;
  /** This editor's Yjs client id (a sampler's is its replica's). */
  clientID: number;
  random: Random;
  recorder: Recorder;
  /** Called when the server closes the socket. */
  onClose(code: number): void;
  /** Called when the socket fails or a message cannot be handled. */
  onError(error: string): void;
}

/**
 * One simulated editor on its own WebSocket, with its own Yjs client id, presence and saved state:
 * to the server, exactly what a browser tab is. It does not apply the presence of others, and only
 * a sampler applies each update as it arrives (see `ClientRole`), so that one process runs hundreds.
 */
export class LoadClient {
  private ws: WebSocket | null = null;
  /** Keystrokes not yet reported stored: clock after the keystroke and send time, in typing order. */
  private unsaved: { clock: number; t: number }[] = [];
  private synced: (() => void) | null = null;
  private closing = false;
  private awarenessClock = 0;
  private cursor: { text: Y.XmlText; index: number } | null = null;

  constructor(private readonly opts: LoadClientOptions) {}

  /** Opens the socket and resolves once the initial sync is complete. */
  connect(): Promise<void> {
    const { wsUrl, wire, documentId, cookie, origin, replica } = this.opts;
    const headers: Record<string, string> = { origin };
    if (cookie) headers.cookie = cookie;
    const ws = new WebSocket(wire.url(wsUrl, documentId), { headers });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    return new Promise<void>((resolve, reject) => {
      this.synced = () => {
        if (replica.ready()) resolve();
        else reject(new Error(`document ${documentId} has no clause to type into`));
      };
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`upgrade to ${documentId} refused with ${res.statusCode}`));
        ws.terminate();
      });
      ws.on('error', (err) => {
        reject(err);
        this.opts.onError(`socket error: ${err.message}`);
      });
      ws.on('open', () => {
        for (const hello of wire.hello(documentId)) ws.send(hello);
        this.send(syncMessage((e) => syncProtocol.writeSyncStep1(e, replica.doc)));
        this.sendCursor();
      });
      ws.on('message', (data: Buffer) =>
        this.onMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
      );
      ws.on('close', (code) => {
        if (!this.closing) this.opts.onClose(code);
        reject(new Error(`socket closed with ${code} before sync`));
      });
    });
  }

  /** Types one character at a random place of a random clause, sends it and notes when it left. */
  type(): void {
    const { replica, clientID, random, recorder } = this.opts;
    const keystroke = replica.typeAs(clientID, random);
    if (!keystroke) return;
    this.send(syncMessage((e) => syncProtocol.writeUpdate(e, keystroke.update)));
    const t = performance.now();
    recorder.sent(clientID, keystroke.clock - 1, t);
    this.unsaved.push({ clock: keystroke.clock, t });
    this.cursor = { text: keystroke.text, index: keystroke.index };
  }

  /** Publishes the caret as presence: a relative position, as y-prosemirror's cursor plugin does. */
  sendCursor(): void {
    const at = this.cursor
      ? Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(this.cursor.text, this.cursor.index))
      : null;
    const state = { cursor: at ? { anchor: at, head: at } : null };
    // An awareness update of one client, encoded by hand because several editors share one Y.Doc.
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, 1);
    encoding.writeVarUint(update, this.opts.clientID);
    encoding.writeVarUint(update, ++this.awarenessClock);
    encoding.writeVarString(update, JSON.stringify(state));
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, MessageType.awareness);
    encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
    this.send(encoding.toUint8Array(message));
  }

  /** Closes the socket. */
  close(): void {
    this.closing = true;
    this.ws?.close();
  }

  private send(message: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(this.opts.wire.wrap(this.opts.documentId, message));
  }

  private onMessage(raw: Uint8Array): void {
    try {
      const data = this.opts.wire.unwrap(raw);
      if (!data) return;
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MessageType.sync) this.onSync(decoder);
      else if (type === MessageType.saved) this.onSaved(decoder);
      else if (type === MessageType.queryAwareness) this.sendCursor();
      // Others' presence, live events and acks mean nothing to the load: skipped unread.
    } catch (err) {
      this.opts.onError(`message handling failed: ${String(err)}`);
    }
  }

  private onSync(decoder: decoding.Decoder): void {
    const { replica, role } = this.opts;
    const syncType = decoding.peekVarUint(decoder);
    if (syncType !== syncProtocol.messageYjsUpdate) {
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MessageType.sync);
      syncProtocol.readSyncMessage(decoder, reply, replica.doc, SERVER_ORIGIN);
      if (encoding.length(reply) > 1) this.send(encoding.toUint8Array(reply));
      if (syncType === syncProtocol.messageYjsSyncStep2 && this.synced) {
        this.synced();
        this.synced = null;
      }
      return;
    }
    decoding.readVarUint(decoder);
    const update = decoding.readVarUint8Array(decoder);
    if (role === 'typist') return;
    if (role === 'feeder') {
      replica.enqueue(update);
      return;
    }
    // Which clocks of which writers this update brings that the replica lacks: those are the
    // keystrokes it delivers here (a merged tick update may carry several, from several writers).
    const doc = replica.doc;
    const before: [number, number][] = [];
    for (const client of Y.parseUpdateMeta(update).to.keys()) {
      if (client !== doc.clientID) before.push([client, Y.getState(doc.store, client)]);
    }
    Y.applyUpdate(doc, update, SERVER_ORIGIN);
    const now = performance.now();
    for (const [client, from] of before) {
      const to = Y.getState(doc.store, client);
      if (to > from) this.opts.recorder.received(client, from, to, now);
    }
  }

  private onSaved(decoder: decoding.Decoder): void {
    const self = this.opts.clientID;
    const count = decoding.readVarUint(decoder);
    let stored = -1;
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      if (client === self) stored = clock;
    }
    if (stored < 0) return;
    const now = performance.now();
    let done = 0;
    while (done < this.unsaved.length && this.unsaved[done]!.clock <= stored) {
      this.opts.recorder.stored(this.unsaved[done]!.t, now);
      done++;
    }
    if (done > 0) this.unsaved.splice(0, done);
  }
}

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  write(encoder);
  return encoding.toUint8Array(encoder);
}
