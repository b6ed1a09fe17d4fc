import { BODY_FRAGMENT, schema } from '@shared/schema';
import type { Node } from 'prosemirror-model';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as Y from 'yjs';

/**
 * The ProseMirror document of a Yjs document's `body`, read from a copy: y-prosemirror deletes
 * elements it cannot turn into nodes, and the server's own document must never change by reading it.
 */
export function readText(ydoc: Y.Doc): Node {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ydoc));
    return yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(BODY_FRAGMENT), schema);
  } finally {
    copy.destroy();
  }
}

/** The ProseMirror document of stored content (a compacted state and the updates after it). */
export function readStoredText(stored: { state: Uint8Array | null; updates: Uint8Array[] }): Node {
  const ydoc = new Y.Doc();
  try {
    if (stored.state) Y.applyUpdate(ydoc, stored.state);
    for (const u of stored.updates) Y.applyUpdate(ydoc, u);
    return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(BODY_FRAGMENT), schema);
  } finally {
    ydoc.destroy();
  }
}
