import { BODY_FRAGMENT } from '@shared/schema';
import type { Node } from 'prosemirror-model';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import * as Y from 'yjs';

/**
 * The Yjs update that turns the text held by `currentState` into `target`, as a forward edit on top
 * of the document's history (never a rewrite of it). y-prosemirror's own diffing (`updateYFragment`,
 * which the editor binding uses for every local change) is run on a server-side copy of the document,
 * so unchanged objectives and clauses are left alone and only what differs is deleted and inserted;
 * the update is the copy's changes since the current state.
 */
export function updateToMatch(currentState: Uint8Array, target: Node): Uint8Array {
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, currentState);
    const before = Y.encodeStateVector(ydoc);
    ydoc.transact(() => {
      prosemirrorToYXmlFragment(target, ydoc.getXmlFragment(BODY_FRAGMENT));
    });
    return Y.encodeStateAsUpdate(ydoc, before);
  } finally {
    ydoc.destroy();
  }
}
