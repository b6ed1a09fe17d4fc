/**
 * How routes read a document's current text. The collaboration server holds the text of loaded
 * documents; `CollabControl.readState` gives its state (or storage's, for an unloaded document) and
 * this turns it into the ProseMirror document of the shared schema.
 */
import { decodeDocState } from '@shared/collab/ydoc';
import { computeOutline, type Outline } from '@shared/numbering';
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

/** A document's current text and its numbered outline. */
export interface DocumentOutline {
  doc: Node;
  outline: Outline;
}

/**
 * The current text of a document with its outline, for routes that need clause numbers and texts
 * (coverage, record of consultation, checks that a clause exists). Reads the collaboration server's
 * `Y.Doc` when this process has the document loaded — so edits not yet stored count — and storage
 * otherwise. Never loads the document into the collaboration server.
 */
export async function readDocumentOutline(collab: CollabControl, documentId: string): Promise<DocumentOutline> {
  const doc = await collab.readDocument(documentId);
  return { doc, outline: computeOutline(doc) };
}
