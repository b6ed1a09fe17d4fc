/**
 * The load generator's one clock: writers note when each keystroke left, receivers and the saved
 * acknowledgements look those times up. Every client lives in the generator process, so a latency
 * is a difference of two `performance.now()` readings of the same process, never of two clocks.
 *
 * A keystroke is identified by its writer's Yjs client id and the clock of the last struct it made,
 * so receivers can find it from the (client, clock range) of any update, merged or not.
 */
export class Recorder {
  /** Client id → (clock → send time) of every keystroke typed. */
  private readonly sentAt = new Map<number, Map<number, number>>();
  private windowStart = Number.POSITIVE_INFINITY;
  private windowEnd = Number.POSITIVE_INFINITY;
  /** Keystroke-to-peer latencies (ms) of keystrokes typed in the window, as seen by sampled receivers. */
  readonly peer: number[] = [];
  /** When the keystroke of each `peer` sample was typed (same order), to see latency drift. */
  readonly peerSentAt: number[] = [];
  /** Edit-to-disk latencies (ms) of keystrokes typed in the window, as seen by their writer. */
  readonly disk: number[] = [];
  /** Keystrokes typed in the window. */
  keystrokes = 0;

  /** Opens the measurement window: only keystrokes typed from now on are counted. */
  startWindow(now = performance.now()): void {
    this.windowStart = now;
    this.windowEnd = Number.POSITIVE_INFINITY;
  }

  /** Closes the window: keystrokes typed afterwards are not counted (their receipts still arrive). */
  endWindow(now = performance.now()): void {
    this.windowEnd = now;
  }

  /** Whether a keystroke sent at `t` belongs to the measurement window. */
  inWindow(t: number): boolean {
    return t >= this.windowStart && t <= this.windowEnd;
  }

  /** Notes a keystroke of `client` whose last struct has clock `clock`, sent at `t`. */
  sent(client: number, clock: number, t: number): void {
    let clocks = this.sentAt.get(client);
    if (!clocks) {
      clocks = new Map();
      this.sentAt.set(client, clocks);
    }
    clocks.set(clock, t);
    if (this.inWindow(t)) this.keystrokes++;
  }

  /** Notes that a receiver integrated clocks [from, to) of `client` at `now`. */
  received(client: number, from: number, to: number, now: number): void {
    const clocks = this.sentAt.get(client);
    if (!clocks) return;
    for (let clock = from; clock < to; clock++) {
      const t = clocks.get(clock);
      if (t !== undefined && this.inWindow(t)) {
        this.peer.push(now - t);
        this.peerSentAt.push(t);
      }
    }
  }

  /**
   * The keystroke-to-peer samples of the first and of the last third of the window, to tell a
   * steady state from a backlog that grows while the load lasts.
   */
  peerThirds(): { first: number[]; last: number[] } {
    const span = this.windowEnd - this.windowStart;
    const first: number[] = [];
    const last: number[] = [];
    for (let i = 0; i < this.peer.length; i++) {
      const offset = this.peerSentAt[i]! - this.windowStart;
      if (offset < span / 3) first.push(this.peer[i]!);
      else if (offset >= (2 * span) / 3) last.push(this.peer[i]!);
    }
    return { first, last };
  }

  /** The keystroke-to-peer samples grouped by the second of the window their keystroke was typed in. */
  peerBySecond(): number[][] {
    const seconds: number[][] = [];
    for (let i = 0; i < this.peer.length; i++) {
      const second = Math.floor((this.peerSentAt[i]! - this.windowStart) / 1000);
      const bucket = seconds[second] ?? [];
      bucket.push(this.peer[i]!);
      seconds[second] = bucket;
    }
    return seconds.filter((s) => s !== undefined);
  }

  /** Notes that a keystroke sent at `t` is reported stored at `now`. */
  stored(t: number, now: number): void {
    if (this.inWindow(t)) this.disk.push(now - t);
  }
}
