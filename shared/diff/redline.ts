import { diffWordsWithSpace } from 'diff';
import type { Redline } from './types';

/**
 * A word-level redline from `before` to `after` (whitespace kept as its own tokens, so the pieces
 * concatenate back to either text exactly). Adjacent pieces of the same kind are merged.
 */
export function wordRedline(before: string, after: string): Redline {
  const out: Redline = [];
  for (const change of diffWordsWithSpace(before, after)) {
    const op = change.added ? 'inserted' : change.removed ? 'deleted' : 'equal';
    const last = out.at(-1);
    if (last && last.op === op) last.text += change.value;
    else if (change.value.length > 0) out.push({ op, text: change.value });
  }
  return out;
}

/** The text on one side of a redline: `before` keeps equal and deleted pieces, `after` equal and inserted. */
export function redlineSide(redline: Redline, side: 'before' | 'after'): string {
  const skip = side === 'before' ? 'inserted' : 'deleted';
  return redline
    .filter((piece) => piece.op !== skip)
    .map((piece) => piece.text)
    .join('');
}
