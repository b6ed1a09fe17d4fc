import { docToYDoc } from '@shared/collab/ydoc';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bold, clause, doc, heading, objective, title } from '../../tests/helpers/builders';
import { deleteSetBomb, gcBomb, honestUpdate, hostileUpdates } from '../../tests/helpers/hostileUpdates';
import { createRandom } from '../../tests/helpers/random';
import { UpdateGuard, UpdateRejected } from './updateGuard';
import { scanUpdate } from './updateScan.mjs';

/** Updates an honest client sends: a whole document, typing, deleting, formatting, attributes. */
function honestUpdates(seed: number): Uint8Array[] {
  const random = createRandom(seed);
  const ydoc = docToYDoc(doc(title('Framework'), objective(heading('Goal'), clause('Text ', ...bold('bold')))));
  const updates: Uint8Array[] = [Y.encodeStateAsUpdate(ydoc)];
  ydoc.on('update', (u: Uint8Array) => updates.push(u));
  const body = ydoc.getXmlFragment('body');
  for (let i = 0; i < 60; i++) {
    const obj = body.get(1) as Y.XmlElement;
    const cl = obj.get(obj.length - 1) as Y.XmlElement;
    const text = cl.get(0) as Y.XmlText;
    switch (random.int(5)) {
      case 0:
        text.insert(random.int(text.length + 1), `${random.word()} ☃ `);
        break;
      case 1:
        if (text.length > 2) text.delete(random.int(text.length - 1), 1);
        break;
      case 2:
        text.format(0, Math.min(3, text.length), { bold: {} });
        break;
      case 3:
        cl.setAttribute('status', random.pick(['draft', 'agreed', 'bracketed']));
        break;
      default: {
        const added = new Y.XmlElement('clause');
        added.setAttribute('id', `c-${random.word()}`);
        added.insert(0, [new Y.XmlText(random.word())]);
        obj.insert(obj.length, [added]);
      }
    }
  }
  updates.push(Y.encodeStateAsUpdate(ydoc));
  return updates;
}

describe('scanUpdate', () => {
  it.each([1, 2, 3])('accepts every update an honest client makes (seed %i)', (seed) => {
    for (const update of honestUpdates(seed)) {
      expect(() => Y.decodeUpdate(update)).not.toThrow();
      expect(() => scanUpdate(update)).not.toThrow();
    }
  });

  it('refuses every proper prefix of an honest update', () => {
    const update = honestUpdate();
    for (let n = 0; n < update.length; n++) {
      expect(() => scanUpdate(update.slice(0, n)), `prefix of ${n} bytes`).toThrow();
    }
  });

  it.each(hostileUpdates(1).map((h) => [h.name, h.update] as const))('refuses %s, quickly', (_name, update) => {
    const start = performance.now();
    expect(() => scanUpdate(update)).toThrow();
    expect(performance.now() - start).toBeLessThan(50);
  });

  it('refuses memory bombs that are well-formed, before building anything', () => {
    const gc = gcBomb(300_000);
    expect(() => scanUpdate(gc)).toThrow(/structs/);
    const ds = deleteSetBomb(300_000);
    expect(() => scanUpdate(ds)).toThrow(/delete ranges/);
  });

  it('walks a 16 MB update to its end in linear time, and refuses 16 MB of one endless varint at once', () => {
    const big = honestUpdate('sixteen megabytes of pasted text '.repeat(500_000));
    let start = performance.now();
    expect(() => scanUpdate(big)).not.toThrow();
    const walkMs = performance.now() - start;
    const endless = new Uint8Array(16 * 1024 * 1024).fill(0x80);
    start = performance.now();
    expect(() => scanUpdate(endless)).toThrow();
    const endlessMs = performance.now() - start;
    console.info(`scan: ${(big.length / 1e6).toFixed(1)} MB update walked in ${walkMs.toFixed(0)} ms; 16 MB of an endless varint refused in ${endlessMs.toFixed(1)} ms`);
    expect(walkMs).toBeLessThan(500);
    expect(endlessMs).toBeLessThan(200);
  });
});

describe('UpdateGuard', () => {
  const guards: UpdateGuard[] = [];
  const guard = (options: ConstructorParameters<typeof UpdateGuard>[0] = {}) => {
    const g = new UpdateGuard(options);
    guards.push(g);
    return g;
  };
  afterEach(async () => {
    await Promise.all(guards.splice(0).map((g) => g.close()));
  });

  /** The longest the event loop was blocked while `work` ran, in milliseconds. */
  async function longestStall(work: Promise<unknown>): Promise<number> {
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    try {
      await work;
    } finally {
      clearInterval(timer);
    }
    return longest;
  }

  it('decides a small update on the event loop, at once', () => {
    const g = guard();
    expect(g.inspect(honestUpdate())).toBeNull();
    expect(() => g.inspect(new Uint8Array())).toThrow(UpdateRejected);
  });

  it('sends a large update to a worker and accepts it when it decodes', async () => {
    const g = guard({ thresholdBytes: 1024 });
    const verdict = g.inspect(honestUpdate('long text '.repeat(1000)));
    expect(verdict).toBeInstanceOf(Promise);
    await expect(verdict).resolves.toBeUndefined();
    expect(g.counts.worker).toBe(1);
  });

  it('refuses a large hostile update from its worker without decoding it on the event loop', async () => {
    const g = guard();
    const bomb = gcBomb(4_000_000);
    const stall = await longestStall(expect(g.inspect(bomb)).rejects.toThrow(/structs/));
    expect(stall).toBeLessThan(150);
  });

  it('terminates a worker whose decode runs past the time limit, and the event loop runs on meanwhile', async () => {
    // Limits loosened so that the bomb reaches Yjs' own decoder (about 1 s of work on this machine).
    const g = guard({ timeoutMs: 150, limits: { maxStructs: Number.POSITIVE_INFINITY } });
    const started = performance.now();
    const stall = await longestStall(expect(g.inspect(gcBomb(4_000_000))).rejects.toThrow(/longer than 150 ms/));
    const took = performance.now() - started;
    console.info(`runaway decode refused after ${took.toFixed(0)} ms; longest event-loop stall ${stall.toFixed(0)} ms`);
    expect(took).toBeLessThan(1000);
    expect(stall).toBeLessThan(150);
    expect(g.counts.workersTerminated).toBe(1);
    // A fresh worker takes the next update.
    await expect(g.inspect(honestUpdate('after the runaway '.repeat(5000)))).resolves.toBeUndefined();
  });

  it('terminates a worker whose decode needs more than its heap, and the server’s heap is untouched', async () => {
    const g = guard({ timeoutMs: 20_000, heapMb: 32, limits: { maxStructs: Number.POSITIVE_INFINITY } });
    const heapBefore = process.memoryUsage().heapUsed;
    await expect(g.inspect(gcBomb(4_000_000))).rejects.toThrow(/memory/);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    await expect(g.inspect(honestUpdate('after the bomb '.repeat(5000)))).resolves.toBeUndefined();
  });

  it('costs little per update: figures for docs/reliability.md', async () => {
    const g = guard();
    const keystroke = (() => {
      const ydoc = docToYDoc(doc(title('T'), objective(heading('H'), clause('Some text'))));
      let u: Uint8Array = new Uint8Array();
      ydoc.on('update', (x: Uint8Array) => {
        u = x;
      });
      const cl = (ydoc.getXmlFragment('body').get(1) as Y.XmlElement).get(1) as Y.XmlElement;
      (cl.get(0) as Y.XmlText).insert(3, 'k');
      return u;
    })();
    const n = 20_000;
    let start = performance.now();
    for (let i = 0; i < n; i++) g.inspect(keystroke);
    const inlineUs = ((performance.now() - start) * 1000) / n;
    start = performance.now();
    for (let i = 0; i < n; i++) Y.decodeUpdate(keystroke);
    const decodeUs = ((performance.now() - start) * 1000) / n;

    const big = honestUpdate('a large paste '.repeat(8000));
    await g.inspect(big); // warm the worker
    const rounds = 20;
    start = performance.now();
    for (let i = 0; i < rounds; i++) await g.inspect(big);
    const workerMs = (performance.now() - start) / rounds;
    console.info(
      `update guard: keystroke (${keystroke.length} B) scanned inline in ${inlineUs.toFixed(2)} µs ` +
        `(Y.decodeUpdate: ${decodeUs.toFixed(2)} µs); ${(big.length / 1024).toFixed(0)} KB update through a worker ` +
        `in ${workerMs.toFixed(2)} ms`,
    );
    expect(inlineUs).toBeLessThan(100);
    expect(workerMs).toBeLessThan(100);
  });
});
