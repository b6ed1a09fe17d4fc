import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { encodeEvent, encodeSaved, isFullyStored, MessageType, readSaved } from './protocol';

/** Reads a message's type, then hands the decoder on. */
function open(message: Uint8Array): { type: number; decoder: decoding.Decoder } {
  const decoder = decoding.createDecoder(message);
  return { type: decoding.readVarUint(decoder), decoder };
}

describe('saved messages', () => {
  it('round-trips the stored clocks of several clients', () => {
    const entries: [number, number][] = [
      [1, 5],
      [2 ** 32 - 1, 0],
      [123456789, 2 ** 31 + 7],
    ];
    const { type, decoder } = open(encodeSaved(entries));
    expect(type).toBe(MessageType.saved);
    expect(readSaved(decoder)).toEqual(new Map(entries));
    expect(decoding.hasContent(decoder)).toBe(false);
  });

  it('round-trips an empty saved message and accepts any iterable', () => {
    expect(readSaved(open(encodeSaved([])).decoder)).toEqual(new Map());
    const fromMap = new Map([[7, 9]]);
    expect(readSaved(open(encodeSaved(fromMap)).decoder)).toEqual(fromMap);
  });

  it('throws on a truncated message instead of inventing entries', () => {
    const message = encodeSaved([[1, 300]]);
    expect(() => readSaved(open(message.slice(0, message.length - 1)).decoder)).toThrow();
  });
});

describe('event messages', () => {
  it('carries one JSON event after its type', () => {
    const event = { type: 'thread.created', threadId: 't1', clauseId: 'c-1' };
    const { type, decoder } = open(encodeEvent(event));
    expect(type).toBe(MessageType.event);
    expect(JSON.parse(decoding.readVarString(decoder))).toEqual(event);
  });
});

describe('isFullyStored', () => {
  const stored = new Map([
    [1, 10],
    [2, 4],
  ]);

  it('is true when every client clock is covered', () => {
    expect(isFullyStored(new Map([[1, 10]]), stored)).toBe(true);
    expect(
      isFullyStored(
        new Map([
          [1, 3],
          [2, 4],
        ]),
        stored,
      ),
    ).toBe(true);
    expect(isFullyStored(new Map(), stored)).toBe(true);
  });

  it('is false while one clock is ahead of the stored one', () => {
    expect(isFullyStored(new Map([[1, 11]]), stored)).toBe(false);
    expect(
      isFullyStored(
        new Map([
          [1, 10],
          [2, 5],
        ]),
        stored,
      ),
    ).toBe(false);
  });

  it('treats a client the server has not stored as stored only up to clock 0', () => {
    expect(isFullyStored(new Map([[3, 1]]), stored)).toBe(false);
    expect(isFullyStored(new Map([[3, 0]]), stored)).toBe(true);
  });
});
