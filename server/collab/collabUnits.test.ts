import { docToYDoc } from '@shared/collab/ydoc';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bold, clause, doc, heading, objective, title } from '../../tests/helpers/builders';
import { touchedClauses } from './attribution';
import { filterAwarenessUpdate } from './awarenessFilter';
import { scanUpdate } from './updateScan.mjs';

function awarenessBytes(entries: { id: number; clock: number; state: unknown }[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(e, entry.id);
    encoding.writeVarUint(e, entry.clock);
    encoding.writeVarString(e, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(e);
}

function readAwareness(bytes: Uint8Array): { id: number; state: unknown }[] {
  const d = decoding.createDecoder(bytes);
  const n = decoding.readVarUint(d);
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = decoding.readVarUint(d);
    decoding.readVarUint(d);
    out.push({ id, state: JSON.parse(decoding.readVarString(d)) as unknown });
  }
  return out;
}

const server = { id: 'u1', name: 'Real Name', role: 'drafter', color: '#000' };

describe('filterAwarenessUpdate', () => {
  it('overwrites the user field with the identity set by the server', () => {
    const claimed = new Set<number>();
    const out = filterAwarenessUpdate(
      awarenessBytes([
        { id: 7, clock: 1, state: { user: { name: 'Mallory', role: 'secretariat' }, cursor: 1 } },
      ]),
      server,
      () => true,
      claimed,
    );
    expect(readAwareness(out!)).toEqual([{ id: 7, state: { user: server, cursor: 1 } }]);
    expect([...claimed]).toEqual([7]);
  });

  it('drops entries for client ids owned by another connection', () => {
    const out = filterAwarenessUpdate(
      awarenessBytes([{ id: 9, clock: 3, state: { cursor: null } }]),
      server,
      (id) => id !== 9,
      new Set(),
    );
    expect(out).toBeNull();
  });

  it('keeps removals (null states) of its own clients', () => {
    const out = filterAwarenessUpdate(
      awarenessBytes([{ id: 7, clock: 2, state: null }]),
      server,
      () => true,
      new Set([7]),
    );
    expect(readAwareness(out!)).toEqual([{ id: 7, state: null }]);
  });

  it('throws on malformed bytes and on states that are not objects', () => {
    expect(() => filterAwarenessUpdate(new Uint8Array([5, 1]), server, () => true, new Set())).toThrow();
    expect(() =>
      filterAwarenessUpdate(awarenessBytes([{ id: 1, clock: 1, state: 42 }]), server, () => true, new Set()),
    ).toThrow();
  });
});

describe('scanUpdate (the check of every untrusted update)', () => {
  it('accepts an update to the body fragment', () => {
    const ydoc = docToYDoc(doc(title('T')));
    expect(() => scanUpdate(Y.encodeStateAsUpdate(ydoc))).not.toThrow();
  });

  it('refuses empty, truncated and random bytes', () => {
    const ydoc = docToYDoc(doc(title('A longer title to make the update long enough')));
    const update = Y.encodeStateAsUpdate(ydoc);
    expect(() => scanUpdate(new Uint8Array())).toThrow();
    expect(() => scanUpdate(update.slice(0, update.length - 5))).toThrow();
    expect(() => scanUpdate(new Uint8Array([200, 200, 200, 200, 200, 200, 1, 2, 3]))).toThrow();
  });

  it('refuses an update that writes to another root type', () => {
    const ydoc = new Y.Doc();
    ydoc.getMap('sneaky').set('x', 1);
    expect(() => scanUpdate(Y.encodeStateAsUpdate(ydoc))).toThrow(/sneaky/);
  });
});

describe('touchedClauses', () => {
  function clauseText(ydoc: Y.Doc, index: number): Y.XmlText {
    const objectiveEl = ydoc.getXmlFragment('body').get(1) as Y.XmlElement;
    const clauseEl = objectiveEl.get(1 + index) as Y.XmlElement;
    return clauseEl.get(0) as Y.XmlText;
  }

  it('names the clause whose text an edit changed', () => {
    const ydoc = docToYDoc(
      doc(
        title('T'),
        objective({ id: 'o1' }, heading('H'), clause({ id: 'c1' }, 'one'), clause({ id: 'c2' }, 'two')),
      ),
    );
    let touched = new Set<string>();
    ydoc.on('afterTransaction', (tr: Y.Transaction) => {
      touched = touchedClauses(tr);
    });
    clauseText(ydoc, 1).insert(0, 'x');
    expect([...touched]).toEqual(['c2']);
    clauseText(ydoc, 0).delete(0, 2);
    expect([...touched]).toEqual(['c1']);
    clauseText(ydoc, 0).format(0, 1, { bold: {} });
    expect([...touched]).toEqual(['c1']);
  });

  it('names clauses inserted and deleted as whole nodes', () => {
    const ydoc = docToYDoc(
      doc(title('T'), objective({ id: 'o1' }, heading('H'), clause({ id: 'c1' }, bold('one')))),
    );
    let touched = new Set<string>();
    ydoc.on('afterTransaction', (tr: Y.Transaction) => {
      touched = touchedClauses(tr);
    });
    const objectiveEl = ydoc.getXmlFragment('body').get(1) as Y.XmlElement;
    const added = new Y.XmlElement('clause');
    added.setAttribute('id', 'c9');
    objectiveEl.insert(2, [added]);
    expect([...touched]).toEqual(['c9']);
    objectiveEl.delete(1, 1);
    expect([...touched]).toEqual(['c1']);
  });
});
