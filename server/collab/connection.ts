import { encodeAck } from '@shared/collab/protocol';
import type { WebSocket } from 'ws';
import type { CollabIdentity } from './identity';

/** Messages a connection may send per second on average, and in a burst, before it counts as a flood. */
const FLOOD_RATE = 300;
const FLOOD_BURST = 1200;
/**
 * Event-loop time a connection's messages may cost, in milliseconds: refilled at `CPU_RATE_MS` per
 * second up to `CPU_BURST_MS`. Typing costs microseconds and a large sync a few hundred
 * milliseconds once; updates that are valid but expensive to integrate exhaust it.
 */
const CPU_RATE_MS = 200;
const CPU_BURST_MS = 1500;
/** Bytes of messages a connection may have waiting behind an update that a decode worker checks. */
export const MAX_BACKLOG_BYTES = 32 * 1024 * 1024;

/**
 * One WebSocket on one document. Knows who is on it, whether it may write, and which awareness
 * client ids it controls (so a client can never overwrite another's presence).
 */
export class Connection {
  /** Awareness client ids this connection has published. */
  readonly awarenessClients = new Set<number>();
  private tokens = FLOOD_BURST;
  private lastRefill = Date.now();
  private cpuMs = CPU_BURST_MS;
  private lastCpuRefill = Date.now();
  /** Whether a rejected write has been reported to the audit log for this connection. */
  rejectedWriteReported = false;
  closed = false;
  /** Update-carrying messages (sync step 2, update) received on this socket so far. */
  updatesReceived = 0;
  /** Messages received while an earlier one waits (for a decode worker, or its turn), handled in order after it. */
  private readonly backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  /** Whether a message of this connection is waiting for a decode worker or for the next turn. */
  waiting = false;

  constructor(
    readonly ws: WebSocket,
    readonly identity: CollabIdentity,
    readonly readOnly: boolean,
  ) {}

  /** Sends bytes unless the socket is closing; a failed send closes the connection. */
  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(message, (err) => {
      if (err) this.close(1011, 'send failed');
    });
  }

  /** Tells the client that its first `count` update messages are durably stored. */
  ack(count: number): void {
    this.send(encodeAck(count));
  }

  /** Closes the socket once; later calls do nothing. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    // A client that does not answer the close handshake must not keep the socket open.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** Keeps `message` until the one before it is handled; false once the waiting bytes pass the bound. */
  enqueue(message: Uint8Array): boolean {
    this.backlog.push(message);
    this.backlogBytes += message.byteLength;
    return this.backlogBytes <= MAX_BACKLOG_BYTES;
  }

  /** The oldest waiting message, if any, taken off the backlog. */
  takeQueued(): Uint8Array | undefined {
    const message = this.backlog.shift();
    if (message) this.backlogBytes -= message.byteLength;
    return message;
  }

  /** Forgets every waiting message (the connection is being closed). */
  clearBacklog(): void {
    this.backlog.length = 0;
    this.backlogBytes = 0;
  }

  /** Charges event-loop time spent on this connection's messages (see `overBudget`). */
  spend(ms: number): void {
    const now = Date.now();
    this.cpuMs = Math.min(CPU_BURST_MS, this.cpuMs + ((now - this.lastCpuRefill) / 1000) * CPU_RATE_MS) - ms;
    this.lastCpuRefill = now;
  }

  /** Whether the connection has spent more event-loop time than its budget allows. */
  get overBudget(): boolean {
    return this.cpuMs <= 0;
  }

  /**
   * Takes a message's `cost` from the flood budget (1 for most; more for messages whose answer costs
   * the server work in the size of the document); false when the client sends faster than allowed.
   */
  takeMessageToken(cost = 1): boolean {
    const now = Date.now();
    this.tokens = Math.min(FLOOD_BURST, this.tokens + ((now - this.lastRefill) / 1000) * FLOOD_RATE);
    this.lastRefill = now;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}
