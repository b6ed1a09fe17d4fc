/**
 * Conversions between a ProseMirror document of the shared schema and the Yjs document that holds it
 * (the `Y.XmlFragment` named `BODY_FRAGMENT`), over y-prosemirror's own converters. Used by the server to
 * create a document once from stored or demo content, by exports and diffs to read the text, and by tests.
 */
import type { Node } from 'prosemirror-model';
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorFragment } from 'y-prosemirror';
import * as Y from 'yjs';
import { BODY_FRAGMENT, schema } from '../schema';

/**
 * A new Y.Doc whose body fragment holds `node`. Only for creating a document for the first time: it
 * starts a new history, so applying its state to a document that already has content duplicates it.
 */
export function docToYDoc(node: Node): Y.Doc {
  const ydoc = new Y.Doc();
  prosemirrorToYXmlFragment(node, ydoc.getXmlFragment(BODY_FRAGMENT));
  return ydoc;
}

/**
 * The ProseMirror document in `ydoc`'s body fragment. Elements the schema does not know are dropped, and
 * required nodes that are missing (an empty fragment has no title) are filled in, so the result is a
 * valid document whenever the content can be made one.
 *
 * Beware: y-prosemirror drops unknown elements by deleting them from `ydoc` itself, so reading a
 * document that others share changes it. Read a copy (as `decodeDocState` and the server do) unless
 * `ydoc` is yours alone.
 */
export function yDocToDoc(ydoc: Y.Doc): Node {
  const content = yXmlFragmentToProseMirrorFragment(ydoc.getXmlFragment(BODY_FRAGMENT), schema);
  return schema.topNodeType.createAndFill(null, content) ?? schema.topNodeType.create(null, content);
}

/** The whole state of a new Y.Doc holding `node`, as one update (what storage keeps for a new document). */
export function encodeDocState(node: Node): Uint8Array {
  const ydoc = docToYDoc(node);
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return update;
}

/** The ProseMirror document held by a stored update (or a sequence of them applied in order). */
export function decodeDocState(...updates: Uint8Array[]): Node {
  const ydoc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(ydoc, update);
  const node = yDocToDoc(ydoc);
  ydoc.destroy();
  return node;
}
