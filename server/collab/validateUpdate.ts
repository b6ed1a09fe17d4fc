import { BODY_FRAGMENT } from '@shared/schema';
import * as Y from 'yjs';

/** Root types a client may write to: only the text. Anything else would grow the document unseen. */
const allowedRoots = new Set([BODY_FRAGMENT]);

/**
 * Fully decodes an untrusted update before it touches the document, so that malformed or truncated
 * bytes are refused whole instead of being half-applied. Throws with a reason when the update is
 * malformed or writes outside the `body` fragment.
 */
export function validateUpdate(update: Uint8Array): void {
  if (update.length === 0) throw new Error('empty update');
  const decoded = Y.decodeUpdate(update);
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Item && typeof struct.parent === 'string' && !allowedRoots.has(struct.parent)) {
      throw new Error(`update writes to root type "${struct.parent}"`);
    }
  }
}
