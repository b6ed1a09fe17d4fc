import { describe, expect, it } from 'vitest';
import { segmentText, trimPassage } from './segments';

describe('segmentText', () => {
  it('cuts the text at every excerpt boundary and says which excerpts cover each run', () => {
    const segments = segmentText('Alpha beta gamma delta', [
      { id: 'a', start: 6, end: 16 },
      { id: 'b', start: 11, end: 22 },
    ]);
    expect(segments.map((s) => [s.text, s.excerptIds])).toEqual([
      ['Alpha ', []],
      ['beta ', ['a']],
      ['gamma', ['a', 'b']],
      [' delta', ['b']],
    ]);
    expect(segments.map((s) => s.text).join('')).toBe('Alpha beta gamma delta');
  });

  it('ignores empty excerpts and clamps offsets past the end of the text', () => {
    expect(segmentText('abc', [{ id: 'x', start: 2, end: 2 }, { id: 'y', start: 1, end: 99 }]).map((s) => [s.text, s.excerptIds])).toEqual([
      ['a', []],
      ['bc', ['y']],
    ]);
  });
});

describe('trimPassage', () => {
  it('moves the offsets past spaces and line breaks at both ends', () => {
    expect(trimPassage('a \n word \n b', 1, 10)).toEqual({ start: 4, end: 8 });
  });
});
