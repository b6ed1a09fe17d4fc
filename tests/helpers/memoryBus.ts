/**
 * An in-memory stand-in for the Redis bus, to test several "processes" (registries) in one test
 * process: the same interface and the same delivery rules as `RedisBus` (asynchronous, in order
 * per sender, never back to the sender, only to processes that joined the document), plus what
 * Redis does not offer a test: a log of every message and a switch to drop some.
 */
import { randomBytes } from 'node:crypto';
import type { AccessMessage, BusMessage, DocumentBus } from '@server/collab/bus';

/** One message as the hub carried it. */
export interface HubRecord {
  from: string;
  /** The document, or null for access changes. */
  documentId: string | null;
  /** Set for messages sent to one process (`sendTo`). */
  to: string | null;
  message: BusMessage | ({ kind: 'access' } & AccessMessage);
}

/** Connects `MemoryBus`es, like a Redis server. */
export class MemoryHub {
  readonly log: HubRecord[] = [];
  /** Return true to drop a message before delivery (it stays in the log). */
  drop: (record: HubRecord, receiver: string) => boolean = () => false;
  readonly buses = new Set<MemoryBus>();

  /** A new bus (one "process") on this hub. */
  bus(): MemoryBus {
    const bus = new MemoryBus(this);
    this.buses.add(bus);
    return bus;
  }

  /** Resolves once every message sent so far has been delivered. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  deliver(record: HubRecord): void {
    this.log.push(record);
    for (const bus of this.buses) {
      if (bus.processId === record.from) continue;
      if (record.to !== null && bus.processId !== record.to) continue;
      if (this.drop(record, bus.processId)) continue;
      // Asynchronous, like a network: never inside the sender's call.
      setImmediate(() => bus.receive(record));
    }
  }
}

/** One process's end of a `MemoryHub`. */
export class MemoryBus implements DocumentBus {
  readonly processId = randomBytes(4).toString('hex');
  private readonly handlers = new Map<string, (message: BusMessage) => void>();
  private accessHandler: ((message: AccessMessage) => void) | null = null;
  private reconnectHandler: (() => void) | null = null;

  constructor(private readonly hub: MemoryHub) {}

  async join(documentId: string, onMessage: (message: BusMessage) => void): Promise<void> {
    this.handlers.set(documentId, onMessage);
  }

  async leave(documentId: string): Promise<void> {
    this.handlers.delete(documentId);
  }

  publish(documentId: string, message: BusMessage): void {
    this.hub.deliver({ from: this.processId, documentId, to: null, message });
  }

  sendTo(processId: string, documentId: string, message: BusMessage): void {
    this.hub.deliver({ from: this.processId, documentId, to: processId, message });
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandler = handler;
  }

  /** Simulates a reconnect after an outage (the hub may have dropped messages meanwhile). */
  reconnected(): void {
    this.reconnectHandler?.();
  }

  onAccessChanged(handler: (message: AccessMessage) => void): void {
    this.accessHandler = handler;
  }

  publishAccessChanged(message: AccessMessage): void {
    this.hub.deliver({ from: this.processId, documentId: null, to: null, message: { kind: 'access', ...message } });
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.hub.buses.delete(this);
  }

  receive(record: HubRecord): void {
    const { message } = record;
    if (message.kind === 'access') {
      this.accessHandler?.({ dialogueId: message.dialogueId, userId: message.userId });
      return;
    }
    // Only a joined document's messages arrive (a Redis channel nobody here subscribed to).
    if (record.documentId !== null) this.handlers.get(record.documentId)?.(message);
  }
}
