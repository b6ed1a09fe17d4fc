import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, MessageType } from '@shared/collab/protocol';
import { can, type Role, roleColors } from '@shared/permissions';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import type { Audience, CollabControl, LiveEvent } from '../context';
import type { Logger } from '../logger';
import type { Store } from '../store/db';
import { DocUpdates } from '../store/docUpdates';
import type { Node } from 'prosemirror-model';
import type { DocumentBus } from './bus';
import { ChangeWatch } from './changeWatch';
import { Connection } from './connection';
import { readStoredText, readText } from './documentText';
import { EditAudit } from './editAudit';
import type { CollabIdentity } from './identity';
import { dropPending, type ReceiverHooks, receiveMessage } from './messageReceiver';
import { PersistenceQueue, type StoredEdit } from './persistenceQueue';
import { DocumentRegistry } from './registry';
import type { DocumentRoom } from './room';
import { UpdateGuard, type UpdateGuardOptions } from './updateGuard';

/** Largest WebSocket frame accepted; a bigger one closes the socket with 1009. */
export const MAX_PAYLOAD = 16 * 1024 * 1024;
/**
 * Flood-budget cost of a sync step 1: its answer is an encoding of the whole document, so a client
 * may ask for it far less often than it may type (a client sends one per connection).
 */
const SYNC_STEP1_COST = 20;
/**
 * Event-loop time one socket's messages may take in one go; after that its next messages wait for
 * the next turn, so other sockets (other documents) are served in between. `ws` hands over every
 * frame of a TCP read at once, so without this one socket's burst would hold the loop throughout.
 */
const YIELD_AFTER_MS = 10;

/** How the collaboration server learns who a request is; implemented over sessions and members. */
export interface CollabAuth {
  /** The signed-in user of a request's Cookie header, or null. */
  authenticate(
    cookieHeader: string | undefined,
  ): Promise<{ userId: string; name: string; email: string } | null>;
  /** The user's role on a document (through its dialogue), or null when they are not a member. */
  access(userId: string, documentId: string): Promise<{ dialogueId: string; role: Role } | null>;
  /** Whether a request's Origin header (when present) is one the server accepts. */
  originAllowed(req: IncomingMessage): boolean;
}

/** Where the collaboration server writes its audit entries. */
export interface CollabAudit {
  append(entry: {
    dialogueId: string | null;
    documentId: string | null;
    actorId: string | null;
    action: string;
    detail: Record<string, unknown>;
  }): Promise<unknown>;
}

export interface CollabServerOptions {
  unloadAfterMs: number;
  broadcastTickMs: number;
  awarenessIntervalMs?: number;
  compactAfterUpdates?: number;
  heartbeatMs?: number;
  /** Connects this process to the others serving the same documents (Redis); none for one process. */
  bus?: DocumentBus | null;
  /** How untrusted updates are checked (thresholds and limits of the decode workers). */
  guard?: UpdateGuardOptions;
}

const documentPath = /^\/collab\/([A-Za-z0-9_-]{1,64})$/;

/**
 * The collaboration endpoint `/collab/<documentId>`: authenticates at upgrade, keeps the registry
 * of loaded documents and the persistence queue, and routes each socket's messages to its room.
 * With a bus, live events and access changes also reach the connections of the other processes.
 */
export class CollabServer implements CollabControl {
  readonly registry: DocumentRegistry;
  readonly queue: PersistenceQueue;
  readonly updates: DocUpdates;
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD,
    perMessageDeflate: false,
  });
  private readonly heartbeat: NodeJS.Timeout;
  private readonly alive = new WeakSet<WebSocket>();
  private readonly editAudit: EditAudit;
  private readonly bus: DocumentBus | null;
  private readonly changeWatch: ChangeWatch;
  private readonly guard: UpdateGuard;
  /** What the message receiver calls back into; built once, not per message. */
  private readonly hooks: ReceiverHooks = {
    rejectedWrite: (c, r) => this.rejectedWrite(c, r),
    ackWhenStored: (c, count) => this.queue.ackWhenStored(c, count),
    inspectUpdate: (update) => this.guard.inspect(update),
  };

  constructor(
    store: Store,
    private readonly auth: CollabAuth,
    private readonly audit: CollabAudit,
    private readonly logger: Logger,
    options: CollabServerOptions,
  ) {
    this.updates = new DocUpdates(store);
    this.guard = new UpdateGuard(options.guard);
    this.bus = options.bus ?? null;
    this.editAudit = new EditAudit(audit, (err) => logger.error({ err }, 'audit append failed'));
    this.queue = new PersistenceQueue(this.updates, logger, (edits) => this.onStored(edits));
    this.changeWatch = new ChangeWatch(store, audit, (event, audience) => this.publish(event, audience), logger);
    this.registry = new DocumentRegistry(
      this.updates,
      this.queue,
      logger,
      {
        inspect: (room, conn, summary) =>
          this.changeWatch.observe(room.dialogueId || conn.identity.dialogueId, room.documentId, conn.identity, summary),
        unloadAfterMs: options.unloadAfterMs,
        broadcastTickMs: options.broadcastTickMs,
        awarenessIntervalMs: options.awarenessIntervalMs ?? 30,
        compactAfterUpdates: options.compactAfterUpdates ?? 2000,
      },
      this.bus,
    );
    this.bus?.onAccessChanged(({ dialogueId, userId }) => {
      void this.applyAccessChange(dialogueId, userId).catch((err: unknown) =>
        this.logger.error({ err, dialogueId }, 'applying an access change from another process failed'),
      );
    });
    // Sockets that stop answering pings (a closed laptop) are dropped so their presence goes away.
    this.heartbeat = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }, options.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** Handles an HTTP upgrade on `/collab/…`; refuses before any Yjs byte when it must. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.logger.debug({ err }, 'upgrade socket error'));
    void this.upgrade(req, socket, head).catch((err: unknown) => {
      this.logger.error({ err }, 'upgrade failed');
      refuse(socket, 500, 'internal', 'The collaboration server failed to open the document.');
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = documentPath.exec(path);
    if (!match) return refuse(socket, 404, 'not_found', 'No collaboration endpoint at this path.');
    const documentId = match[1]!;
    if (!this.auth.originAllowed(req)) return refuse(socket, 403, 'forbidden_origin', 'Origin not allowed.');
    const user = await this.auth.authenticate(req.headers.cookie);
    if (!user) return refuse(socket, 401, 'unauthenticated', 'Sign in first.');
    const access = await this.auth.access(user.userId, documentId);
    if (!access || !can(access.role, 'document.readLive')) {
      return refuse(socket, 403, 'forbidden', 'You may not open this document.');
    }
    let room: DocumentRoom;
    try {
      room = await this.registry.acquire(documentId, access.dialogueId);
    } catch (err) {
      // Never open a document we could not load: the client would see (and might store) an empty one.
      this.logger.error({ err, documentId }, 'document load failed');
      return refuse(socket, 503, 'load_failed', 'The document could not be loaded. Try again shortly.');
    }
    if (socket.destroyed) return this.registry.released(room);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const identity: CollabIdentity = {
        userId: user.userId,
        name: user.name,
        email: user.email,
        dialogueId: access.dialogueId,
        role: access.role,
        color: roleColors[access.role],
      };
      this.open(room, ws, new Connection(ws, identity, !can(access.role, 'document.edit')));
    });
  }

  private open(room: DocumentRoom, ws: WebSocket, conn: Connection): void {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    ws.on('error', (err) => this.logger.debug({ err, documentId: room.documentId }, 'socket error'));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (conn.closed) return;
      if (!isBinary || !(data instanceof Buffer)) {
        conn.close(CloseCode.protocolError, 'binary messages only');
        return;
      }
      const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (!conn.takeMessageToken(messageCost(message))) {
        this.logger.warn({ userId: conn.identity.userId, documentId: room.documentId }, 'message flood');
        conn.close(CloseCode.flood, 'too many messages');
        return;
      }
      if (conn.waiting) {
        // An earlier message waits for a decode worker: keep the order, within a bound.
        if (!conn.enqueue(message)) {
          this.logger.warn({ userId: conn.identity.userId, documentId: room.documentId }, 'message backlog too large');
          conn.close(CloseCode.flood, 'too many messages');
        }
        return;
      }
      this.receive(room, conn, message);
    });
    ws.on('close', () => {
      conn.closed = true;
      room.remove(conn);
      this.registry.released(room);
    });
    room.add(conn);
  }

  /** Handles one message, then any that waited behind it while a decode worker decided. */
  private receive(room: DocumentRoom, conn: Connection, message: Uint8Array): void {
    const turnStarted = performance.now();
    let next: Uint8Array | undefined = message;
    while (next && !conn.closed) {
      let pending: Promise<void> | void;
      const started = performance.now();
      try {
        pending = receiveMessage(room, conn, next, this.hooks);
      } catch (err) {
        return this.malformed(room, conn, err);
      } finally {
        conn.spend(performance.now() - started);
      }
      if (pending) {
        conn.waiting = true;
        pending.then(
          () => {
            if (conn.overBudget) {
              conn.waiting = false;
              return this.overBudget(room, conn);
            }
            this.resume(room, conn);
          },
          (err: unknown) => {
            conn.waiting = false;
            this.malformed(room, conn, err);
          },
        );
        return;
      }
      if (conn.overBudget) return this.overBudget(room, conn);
      if (performance.now() - turnStarted > YIELD_AFTER_MS) {
        // Let other sockets in; this one's later messages wait (in order) for the next turn.
        conn.waiting = true;
        setImmediate(() => this.resume(room, conn));
        return;
      }
      next = conn.takeQueued();
    }
  }

  /** Goes on with the messages that waited behind a decode worker or a yield. */
  private resume(room: DocumentRoom, conn: Connection): void {
    conn.waiting = false;
    const queued = conn.takeQueued();
    if (queued) this.receive(room, conn, queued);
  }

  /** Closes a connection whose messages cost the event loop more time than its budget. */
  private overBudget(room: DocumentRoom, conn: Connection): void {
    this.logger.warn({ userId: conn.identity.userId, documentId: room.documentId }, 'messages too expensive; closing the socket');
    this.closeOffender(room, conn, CloseCode.flood, 'messages too expensive');
  }

  private malformed(room: DocumentRoom, conn: Connection, err: unknown): void {
    this.logger.warn(
      { err: String(err), userId: conn.identity.userId, documentId: room.documentId },
      'malformed message; closing the socket',
    );
    this.closeOffender(room, conn, CloseCode.protocolError, 'malformed message');
  }

  /** Closes a socket whose input was refused, with what it left waiting in the document and here. */
  private closeOffender(room: DocumentRoom, conn: Connection, code: number, reason: string): void {
    dropPending(room);
    conn.clearBacklog();
    conn.close(code, reason);
  }

  private rejectedWrite(conn: Connection, room: DocumentRoom): void {
    if (conn.rejectedWriteReported) return;
    conn.rejectedWriteReported = true;
    this.logger.warn(
      { userId: conn.identity.userId, documentId: room.documentId },
      'write from read-only connection dropped',
    );
    void this.audit
      .append({
        dialogueId: room.dialogueId,
        documentId: room.documentId,
        actorId: conn.identity.userId,
        action: 'document.write_rejected',
        detail: { role: conn.identity.role },
      })
      .catch((err: unknown) => this.logger.error({ err }, 'audit append failed'));
  }

  private onStored(edits: StoredEdit[]): void {
    for (const edit of edits) {
      void this.registry.loaded(edit.documentId).then((room) => {
        if (!room) return;
        this.registry.stored(room);
        this.editAudit.add(room.dialogueId, edit);
      });
    }
  }

  publish(event: LiveEvent, audience?: Audience): void {
    const room = this.registry.loadedNow(event.documentId);
    if (this.bus) {
      // Updates this process made in this turn go first, so that an event about them (a restored
      // version, say) never reaches another process before the text it describes.
      room?.flushBus();
      this.bus.publish(event.documentId, { kind: 'event', event, audience });
    }
    if (room) {
      room.deliverEvent(event, audience);
      return;
    }
    // The document may be still loading here: deliver once it is (a connection opened meanwhile).
    void this.registry.loaded(event.documentId).then((loaded) => loaded?.deliverEvent(event, audience));
  }

  async accessChanged(dialogueId: string, userId: string): Promise<void> {
    this.bus?.publishAccessChanged({ dialogueId, userId });
    await this.applyAccessChange(dialogueId, userId);
  }

  /** Closes or downgrades this process's connections of a member whose access changed. */
  private async applyAccessChange(dialogueId: string, userId: string): Promise<void> {
    for (const room of await this.registry.all()) {
      if (room.dialogueId !== dialogueId) continue;
      for (const conn of room.connections) {
        if (conn.identity.userId !== userId) continue;
        const access = await this.auth.access(userId, room.documentId);
        if (!access || !can(access.role, 'document.readLive')) {
          conn.close(CloseCode.accessRevoked, 'access revoked');
        } else if (access.role !== conn.identity.role) {
          // The client reconnects at once and gets the access level of its new role.
          conn.close(CloseCode.roleChanged, 'role changed');
        }
      }
    }
  }

  async applyServerUpdate(documentId: string, update: Uint8Array, actorId: string | null): Promise<void> {
    const existing = await this.registry.loaded(documentId);
    const room = existing ?? (await this.registry.acquire(documentId, ''));
    room.applyServerUpdate(update, actorId);
    await this.queue.whenIdle();
    if (!existing) this.registry.released(room);
  }

  async readDocument(documentId: string): Promise<Node> {
    const room = await this.registry.loaded(documentId);
    if (room) return readText(room.doc);
    return readStoredText(await this.updates.load(documentId));
  }

  policyChanged(documentId: string): void {
    this.changeWatch.invalidate(documentId);
  }

  allowAttribution(documentId: string, grant: { writerId: string; authorId: string; changeId: string }): void {
    this.changeWatch.allowAttribution(documentId, grant);
  }

  async readState(documentId: string): Promise<Uint8Array> {
    const room = await this.registry.loaded(documentId);
    if (room) {
      // What a reader gets is what is durably stored: wait for the edits already accepted.
      await this.queue.whenIdle();
      return Y.encodeStateAsUpdate(room.doc);
    }
    const stored = await this.updates.load(documentId);
    const ydoc = new Y.Doc();
    Y.transact(ydoc, () => {
      if (stored.state) Y.applyUpdate(ydoc, stored.state);
      for (const update of stored.updates) Y.applyUpdate(ydoc, update);
    });
    const state = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
    return state;
  }

  /** Stores everything pending, unloads every document and closes every socket. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.registry.closeAll();
    await this.queue.whenIdle();
    await this.editAudit.flush();
    await this.changeWatch.flush();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await this.guard.close();
  }
}

/** What a message takes from its sender's flood budget (see `SYNC_STEP1_COST`). */
function messageCost(message: Uint8Array): number {
  return message[0] === MessageType.sync && message[1] === 0 ? SYNC_STEP1_COST : 1;
}

/** Answers an upgrade with an HTTP error and closes the socket; no WebSocket byte is ever sent. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  const reason =
    { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status] ??
    'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
