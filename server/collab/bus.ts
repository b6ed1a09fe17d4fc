import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Audience, LiveEvent } from '../context';
import type { Logger } from '../logger';

/** What one process tells the others about a document. */
export type BusMessage =
  /** Yjs updates this process received from its clients (or made itself), merged per event-loop turn. */
  | { kind: 'update'; data: Uint8Array; userId: string | null }
  /** Awareness changes of this process's connections, merged per awareness tick. */
  | { kind: 'awareness'; data: Uint8Array }
  /**
   * A process that just loaded the document asks the holders for what it lacks (its state vector);
   * they answer on its own channel (`sendTo`), so nobody else receives the answers.
   */
  | { kind: 'syncRequest'; stateVector: Uint8Array; from: string }
  /** A live event about a server record, for the connections in `audience`. */
  | { kind: 'event'; event: LiveEvent; audience: Audience | undefined };

/** A change of a member's access, which every process must apply to its open connections. */
export interface AccessMessage {
  dialogueId: string;
  userId: string;
}

/**
 * Carries document traffic between the server processes that hold the same document. A process
 * publishes each message once, whatever the number of processes or connections, so the work per
 * update stays constant as a room grows; no state vector is exchanged per update (only once, when a
 * process loads a document, and when a gap is detected).
 */
export interface DocumentBus {
  /** This process's id on the bus (the `from` of its sync requests). */
  readonly processId: string;
  /** Subscribes to a document's messages; resolves once the subscription is in place. */
  join(documentId: string, onMessage: (message: BusMessage) => void): Promise<void>;
  /** Stops receiving a document's messages. */
  leave(documentId: string): Promise<void>;
  /** Sends a message to every other process that holds the document. */
  publish(documentId: string, message: BusMessage): void;
  /** Sends a message about a document to one process only (an answer to its sync request). */
  sendTo(processId: string, documentId: string, message: BusMessage): void;
  /** Called after the bus lost its connection and got it back: messages may have been missed. */
  onReconnect(handler: () => void): void;
  onAccessChanged(handler: (message: AccessMessage) => void): void;
  publishAccessChanged(message: AccessMessage): void;
  close(): Promise<void>;
}

const kinds = { update: 1, awareness: 2, syncRequest: 3, event: 4 } as const;
const PREFIX = 'accord:';
const ACCESS_CHANNEL = `${PREFIX}access`;
const DOC_PREFIX = `${PREFIX}doc:`;
const PROCESS_PREFIX = `${PREFIX}process:`;

/** How long `ready()` waits for Redis before the server refuses to start. */
const READY_TIMEOUT_MS = 10_000;
/**
 * How long opening a document waits for its subscription. Without it the document could miss what
 * the other processes publish, so a connection is refused (503, retried by the client) instead.
 */
const JOIN_TIMEOUT_MS = 5_000;

/**
 * The Redis pub/sub implementation of the bus: one channel per document (only the processes that
 * hold it subscribe), one per process (answers to its sync requests) and one for access changes.
 * Redis pub/sub delivers at most once: after a reconnect every loaded document asks for a sync.
 */
export class RedisBus implements DocumentBus {
  /** Identifies this process's messages, which it ignores when Redis delivers them back. */
  readonly processId = randomBytes(8).toString('hex');
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, (message: BusMessage) => void>();
  private accessHandler: ((message: AccessMessage) => void) | null = null;
  private reconnectHandler: (() => void) | null = null;
  private subReadyOnce = false;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {
    // maxRetriesPerRequest null: a publish made while Redis restarts waits for the reconnect
    // instead of failing (the offline queue keeps it).
    this.pub = new Redis(url, { maxRetriesPerRequest: null, connectionName: `accord-pub-${this.processId}` });
    this.sub = new Redis(url, { maxRetriesPerRequest: null, connectionName: `accord-sub-${this.processId}` });
    let lastError = '';
    for (const client of [this.pub, this.sub]) {
      client.on('error', (err: Error) => {
        // ioredis retries forever; one line per distinct failure, not one per retry.
        if (err.message === lastError) return;
        lastError = err.message;
        this.logger.warn({ err: err.message }, 'redis error');
      });
    }
    this.sub.on('ready', () => {
      lastError = '';
      if (!this.subReadyOnce) {
        this.subReadyOnce = true;
        return;
      }
      // ioredis resubscribes every channel by itself; what was published meanwhile is lost to us.
      // Subscribing to our own channel again (a no-op for Redis) resolves once the resubscription
      // is in place, so the answers to the sync requests that follow cannot be missed.
      this.logger.info('redis reconnected; resynchronising loaded documents');
      void this.sub
        .subscribe(PROCESS_PREFIX + this.processId)
        .then(() => this.reconnectHandler?.())
        .catch((err: unknown) => this.logger.warn({ err: String(err) }, 'redis resubscribe failed'));
    });
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
  }

  /** Resolves once both connections answer and the process channels are subscribed; rejects after 10 s. */
  async ready(): Promise<void> {
    await withTimeout(
      Promise.all([this.pub.ping(), this.sub.subscribe(ACCESS_CHANNEL, PROCESS_PREFIX + this.processId)]),
      READY_TIMEOUT_MS,
      `connecting to Redis at ${redactUrl(this.url)}`,
    );
  }

  async join(documentId: string, onMessage: (message: BusMessage) => void): Promise<void> {
    this.handlers.set(documentId, onMessage);
    try {
      await withTimeout(this.sub.subscribe(DOC_PREFIX + documentId), JOIN_TIMEOUT_MS, 'subscribing to the document');
    } catch (err) {
      this.handlers.delete(documentId);
      throw err;
    }
  }

  async leave(documentId: string): Promise<void> {
    this.handlers.delete(documentId);
    if (!this.closed) await this.sub.unsubscribe(DOC_PREFIX + documentId);
  }

  publish(documentId: string, message: BusMessage): void {
    this.send(DOC_PREFIX + documentId, documentId, message);
  }

  sendTo(processId: string, documentId: string, message: BusMessage): void {
    this.send(PROCESS_PREFIX + processId, documentId, message);
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandler = handler;
  }

  onAccessChanged(handler: (message: AccessMessage) => void): void {
    this.accessHandler = handler;
  }

  publishAccessChanged(message: AccessMessage): void {
    if (this.closed) return;
    const body = JSON.stringify({ from: this.processId, dialogueId: message.dialogueId, userId: message.userId });
    void this.pub.publish(ACCESS_CHANNEL, body).catch((err: unknown) => {
      this.logger.warn({ err: String(err) }, 'redis publish failed');
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    this.sub.disconnect();
    if (this.pub.status !== 'ready') {
      // Not connected: quit() would wait in the offline queue for a Redis that may never come.
      this.pub.disconnect();
      return;
    }
    // quit() sends what is still queued (the last updates of a graceful shutdown) before closing.
    await withTimeout(this.pub.quit(), 2000, 'closing the Redis connection').catch(() => this.pub.disconnect());
  }

  private send(channel: string, documentId: string, message: BusMessage): void {
    if (this.closed) return;
    void this.pub.publish(channel, Buffer.from(encodeBusMessage(this.processId, documentId, message))).catch(
      (err: unknown) => {
        this.logger.warn({ err: String(err), documentId }, 'redis publish failed');
      },
    );
  }

  private receive(channel: string, raw: Buffer): void {
    try {
      if (channel === ACCESS_CHANNEL) {
        const parsed = JSON.parse(raw.toString()) as AccessMessage & { from: string };
        if (parsed.from !== this.processId) {
          this.accessHandler?.({ dialogueId: parsed.dialogueId, userId: parsed.userId });
        }
        return;
      }
      const decoded = decodeBusMessage(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      // Redis delivers a process's own publications back to it: ignore them (no echo).
      if (decoded.from === this.processId) return;
      this.handlers.get(decoded.documentId)?.(decoded.message);
    } catch (err) {
      this.logger.error({ err: String(err), channel }, 'bad message on the bus');
    }
  }
}

/** Encodes a bus message: sender, document, kind and body (binary; events as JSON). */
export function encodeBusMessage(from: string, documentId: string, message: BusMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, from);
  encoding.writeVarString(e, documentId);
  encoding.writeUint8(e, kinds[message.kind]);
  switch (message.kind) {
    case 'update':
      encoding.writeVarString(e, message.userId ?? '');
      encoding.writeVarUint8Array(e, message.data);
      break;
    case 'awareness':
      encoding.writeVarUint8Array(e, message.data);
      break;
    case 'syncRequest':
      encoding.writeVarString(e, message.from);
      encoding.writeVarUint8Array(e, message.stateVector);
      break;
    case 'event':
      encoding.writeVarString(e, JSON.stringify({ event: message.event, audience: message.audience ?? null }));
      break;
  }
  return encoding.toUint8Array(e);
}

/** Decodes what `encodeBusMessage` made; throws on anything else. */
export function decodeBusMessage(bytes: Uint8Array): { from: string; documentId: string; message: BusMessage } {
  const d = decoding.createDecoder(bytes);
  const from = decoding.readVarString(d);
  const documentId = decoding.readVarString(d);
  const kind = decoding.readUint8(d);
  let message: BusMessage;
  if (kind === kinds.update) {
    const userId = decoding.readVarString(d) || null;
    message = { kind: 'update', userId, data: decoding.readVarUint8Array(d) };
  } else if (kind === kinds.awareness) {
    message = { kind: 'awareness', data: decoding.readVarUint8Array(d) };
  } else if (kind === kinds.syncRequest) {
    const requester = decoding.readVarString(d);
    message = { kind: 'syncRequest', from: requester, stateVector: decoding.readVarUint8Array(d) };
  } else if (kind === kinds.event) {
    const { event, audience } = JSON.parse(decoding.readVarString(d)) as {
      event: LiveEvent;
      audience: Audience | null;
    };
    message = { kind: 'event', event, audience: audience ?? undefined };
  } else {
    throw new Error(`unknown bus message kind ${kind}`);
  }
  return { from, documentId, message };
}

/** Rejects when `promise` has not settled after `ms` milliseconds. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms / 1000} s ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A Redis URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
