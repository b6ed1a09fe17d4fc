import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { computeSavedStatus, localStateVector, mergeStored } from './savedStatus';

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

describe('saved status', () => {
  it('is offline when the socket is closed, even if everything was stored', () => {
    const doc = docWithText('hello');
    const local = localStateVector(doc);
    expect(computeSavedStatus({ connected: false, local, stored: new Map(local) })).toBe('offline');
  });

  it('is saving while the server has not stored every local edit', () => {
    const doc = docWithText('hello');
    const stored = new Map([[doc.clientID, 3]]);
    expect(computeSavedStatus({ connected: true, local: localStateVector(doc), stored })).toBe('saving');
  });

  it('is saved once the stored vector covers the local one', () => {
    const doc = docWithText('hello');
    const stored = new Map([[doc.clientID, 5]]);
    expect(computeSavedStatus({ connected: true, local: localStateVector(doc), stored })).toBe('saved');
  });

  it('goes back to saving when a new edit is made after a save', () => {
    const doc = docWithText('hello');
    const stored = new Map(localStateVector(doc));
    doc.getText('t').insert(5, '!');
    expect(computeSavedStatus({ connected: true, local: localStateVector(doc), stored })).toBe('saving');
  });

  it('counts edits received from other clients as needing storage too', () => {
    const mine = docWithText('a');
    const theirs = docWithText('b');
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    const stored = new Map([[mine.clientID, 1]]);
    expect(computeSavedStatus({ connected: true, local: localStateVector(mine), stored })).toBe('saving');
    stored.set(theirs.clientID, 1);
    expect(computeSavedStatus({ connected: true, local: localStateVector(mine), stored })).toBe('saved');
  });

  it('is saving while a sent update (a deletion, say) is not acknowledged, even with the vector covered', () => {
    const doc = docWithText('hello');
    const stored = new Map(localStateVector(doc));
    doc.getText('t').delete(0, 1);
    expect(
      computeSavedStatus({ connected: true, local: localStateVector(doc), stored, unacknowledged: true }),
    ).toBe('saving');
    expect(
      computeSavedStatus({ connected: true, local: localStateVector(doc), stored, unacknowledged: false }),
    ).toBe('saved');
  });

  it('is saved for an empty document as soon as it is connected', () => {
    expect(
      computeSavedStatus({ connected: true, local: localStateVector(new Y.Doc()), stored: new Map() }),
    ).toBe('saved');
  });
});

describe('merging stored vectors', () => {
  it('keeps the larger clock per client and reports a change', () => {
    const stored = new Map([
      [1, 10],
      [2, 4],
    ]);
    const changed = mergeStored(
      stored,
      new Map([
        [1, 7],
        [2, 9],
        [3, 1],
      ]),
    );
    expect(changed).toBe(true);
    expect([...stored]).toEqual([
      [1, 10],
      [2, 9],
      [3, 1],
    ]);
  });

  it('reports no change when an older message arrives late', () => {
    const stored = new Map([[1, 10]]);
    expect(mergeStored(stored, new Map([[1, 3]]))).toBe(false);
    expect(stored.get(1)).toBe(10);
  });
});
