import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Audience, LiveEvent } from '../context';
import type { Logger } from '../logger';

/** What one process tells the others about a document. */
export type BusMessage =
  | { kind: 'update'; data: Uint8Array; userId: string | null }
  | { kind: 'awareness'; data: Uint8Array }
  /** A process that just loaded the document asks holders for what it lacks (its state vector). */
  | { kind: 'syncRequest'; stateVector: Uint8Array }
  | { kind: 'event'; event: LiveEvent; audience: Audience | undefined };

/** A change of a member's access, which every process must apply to its open connections. */
export interface AccessMessage {
  dialogueId: string;
  userId: string;
}

/**
 * Carries document traffic between the server processes that hold the same document. Each message
 * is published once per update, whatever the number of processes or connections, so the work per
 * update stays constant as a room grows.
 */
export interface DocumentBus {
  join(documentId: string, onMessage: (message: BusMessage) => void): Promise<void>;
  leave(documentId: string): Promise<void>;
  publish(documentId: string, message: BusMessage): void;
  onAccessChanged(handler: (message: AccessMessage) => void): void;
  publishAccessChanged(message: AccessMessage): void;
  close(): Promise<void>;
}

const kinds = { update: 1, awareness: 2, syncRequest: 3, event: 4 } as const;
const ACCESS_CHANNEL = 'accord:access';
const channelOf = (documentId: string) => `accord:doc:${documentId}`;

/** The Redis pub/sub implementation of the bus: one channel per document, one for access changes. */
export class RedisBus implements DocumentBus {
  /** Identifies this process's messages, which it ignores when Redis delivers them back. */
  readonly processId = randomBytes(8).toString('hex');
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, (message: BusMessage) => void>();
  private accessHandler: ((message: AccessMessage) => void) | null = null;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    this.pub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    this.sub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    for (const client of [this.pub, this.sub]) {
      client.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'redis error'));
    }
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    void this.sub.subscribe(ACCESS_CHANNEL);
  }

  /** Resolves once both connections are ready (so the first publish is not queued behind a reconnect). */
  async ready(): Promise<void> {
    await Promise.all([this.pub.ping(), this.sub.ping().catch(() => undefined)]);
  }

  async join(documentId: string, onMessage: (message: BusMessage) => void): Promise<void> {
    this.handlers.set(channelOf(documentId), onMessage);
    await this.sub.subscribe(channelOf(documentId));
  }

  async leave(documentId: string): Promise<void> {
    this.handlers.delete(channelOf(documentId));
    await this.sub.unsubscribe(channelOf(documentId));
  }

  publish(documentId: string, message: BusMessage): void {
    void this.pub.publish(channelOf(documentId), Buffer.from(this.encode(message))).catch((err: unknown) => {
      this.logger.warn({ err: String(err), documentId }, 'redis publish failed');
    });
  }

  onAccessChanged(handler: (message: AccessMessage) => void): void {
    this.accessHandler = handler;
  }

  publishAccessChanged(message: AccessMessage): void {
    void this.pub.publish(ACCESS_CHANNEL, JSON.stringify({ from: this.processId, ...message }));
  }

  async close(): Promise<void> {
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }

  private encode(message: BusMessage): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, this.processId);
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
        encoding.writeVarUint8Array(e, message.stateVector);
        break;
      case 'event':
        encoding.writeVarString(e, JSON.stringify({ event: message.event, audience: message.audience ?? null }));
        break;
    }
    return encoding.toUint8Array(e);
  }

  private receive(channel: string, raw: Buffer): void {
    try {
      if (channel === ACCESS_CHANNEL) {
        const parsed = JSON.parse(raw.toString()) as AccessMessage & { from: string };
        if (parsed.from !== this.processId) this.accessHandler?.({ dialogueId: parsed.dialogueId, userId: parsed.userId });
        return;
      }
      const handler = this.handlers.get(channel);
      if (!handler) return;
      const d = decoding.createDecoder(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      if (decoding.readVarString(d) === this.processId) return;
      const kind = decoding.readUint8(d);
      if (kind === kinds.update) {
        const userId = decoding.readVarString(d) || null;
        handler({ kind: 'update', userId, data: decoding.readVarUint8Array(d) });
      } else if (kind === kinds.awareness) {
        handler({ kind: 'awareness', data: decoding.readVarUint8Array(d) });
      } else if (kind === kinds.syncRequest) {
        handler({ kind: 'syncRequest', stateVector: decoding.readVarUint8Array(d) });
      } else if (kind === kinds.event) {
        const { event, audience } = JSON.parse(decoding.readVarString(d)) as { event: LiveEvent; audience: Audience | null };
        handler({ kind: 'event', event, audience: audience ?? undefined });
      }
    } catch (err) {
      this.logger.error({ err: String(err), channel }, 'bad message on the bus');
    }
  }
}
