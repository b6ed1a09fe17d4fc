/**
 * Seeded mutation fuzz of the update scanner: honest updates with bytes flipped, inserted, dropped
 * or cut. For every mutant the scanner must answer quickly, and an update it accepts must be one
 * Yjs decodes and applies without leaving a half-applied document behind. A failing seed prints
 * itself; replay it with ACCORD_FUZZ_SEED. `npm run test:soak` runs a hundred times more mutants.
 */
import { scanUpdate } from '@server/collab/updateScan.mjs';
import { docToYDoc } from '@shared/collab/ydoc';
import { bold, bracket, clause, doc, heading, objective, p, preamble, title } from '@tests/helpers/builders';
import { createRandom, seedFromEnv } from '@tests/helpers/random';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

const soak = process.env.ACCORD_SOAK === '1';
const seed = seedFromEnv('ACCORD_FUZZ_SEED');
const MUTANTS = soak ? 200_000 : 2_000;

function honestUpdates(): Uint8Array[] {
  const ydoc = docToYDoc(
    doc(
      title('Framework'),
      preamble(p('Recalling the consultations ', ...bold('held in 2029'))),
      objective(heading('Water'), clause('Shared ', ...bracket('basins'), ' are managed jointly.')),
    ),
  );
  const out = [Y.encodeStateAsUpdate(ydoc)];
  ydoc.on('update', (u: Uint8Array) => out.push(u));
  const body = ydoc.getXmlFragment('body');
  const cl = (body.get(2) as Y.XmlElement).get(1) as Y.XmlElement;
  (cl.get(0) as Y.XmlText).insert(3, 'typed ');
  (cl.get(0) as Y.XmlText).delete(0, 2);
  cl.setAttribute('status', 'agreed');
  (cl.get(0) as Y.XmlText).format(0, 4, { italic: {} });
  out.push(Y.encodeStateAsUpdate(ydoc));
  return out;
}

describe(`the update scanner under mutated updates (seed ${seed}, ${MUTANTS} mutants)`, () => {
  if (!soak) console.info('updateScan fuzz: 2,000 mutants; ACCORD_SOAK=1 (npm run test:soak) runs 200,000');

  it('answers quickly for every mutant, and accepts only updates Yjs applies whole', { timeout: 600_000 }, () => {
    const random = createRandom(seed);
    const sources = honestUpdates();
    let accepted = 0;
    let slowest = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const source = random.pick(sources);
      const bytes = Array.from(source);
      const edits = 1 + random.int(4);
      for (let e = 0; e < edits; e++) {
        const at = random.int(bytes.length);
        switch (random.int(4)) {
          case 0:
            bytes[at] = random.int(256);
            break;
          case 1:
            bytes.splice(at, 0, random.pick([0, 0x7f, 0x80, 0xff, random.int(256)]));
            break;
          case 2:
            bytes.splice(at, 1);
            break;
          default:
            bytes.length = at;
        }
      }
      const mutant = Uint8Array.from(bytes);
      const started = performance.now();
      let ok = true;
      try {
        scanUpdate(mutant);
      } catch {
        ok = false;
      }
      slowest = Math.max(slowest, performance.now() - started);
      if (!ok) continue;
      accepted++;
      // Accepted: Yjs must either apply it, or refuse it before integrating anything.
      const target = new Y.Doc();
      const before = Y.encodeStateAsUpdate(target);
      try {
        Y.applyUpdate(target, mutant);
      } catch {
        expect(Y.encodeStateAsUpdate(target), `mutant #${i} of seed ${seed} was half-applied`).toEqual(before);
      }
    }
    console.info(`updateScan fuzz (seed ${seed}): ${accepted} of ${MUTANTS} mutants accepted; slowest scan ${slowest.toFixed(2)} ms`);
    // A mutant scans in microseconds; the bound only leaves room for a GC pause on a busy machine.
    expect(slowest).toBeLessThan(250);
  });
});
