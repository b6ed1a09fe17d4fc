/**
 * How routes read a document's current text. The collaboration server holds the text of loaded
 * documents; `CollabControl.readState` gives its state (or storage's, for an unloaded document) and
 * this turns it into the ProseMirror document of the shared schema.
 */
import { decodeDocState } from '@shared/collab/ydoc';
import type { Node } from 'prosemirror-model';
import type { CollabControl } from '../context';

/** A document's current text: its Yjs state as one update, and the ProseMirror document it holds. */
export interface DocumentText {
  state: Uint8Array;
  doc: Node;
}

/** Reads the current text of a document (with every edit already accepted and stored). */
export async function readDocumentText(collab: CollabControl, documentId: string): Promise<DocumentText> {
  const state = await collab.readState(documentId);
  return { state, doc: decodeDocState(state) };
}
