import { computeOutline, type Outline } from '@shared/numbering';
import type { Node } from 'prosemirror-model';
import type { CollabControl, ServerContext } from '../context';

/** A document's current text and its numbered outline. */
export interface DocumentText {
  doc: Node;
  outline: Outline;
}

/**
 * The current text of a document, for routes that need clause numbers and texts (coverage, record of
 * consultation, checks that a clause exists). Read from the collaboration server's `Y.Doc` when this
 * process has the document loaded — so edits not yet stored count — and otherwise from storage
 * (compacted state plus the update log). Never loads the document into the collaboration server.
 */
export async function readDocument(_ctx: ServerContext, collab: CollabControl, documentId: string): Promise<DocumentText> {
  const doc = await collab.readDocument(documentId);
  return { doc, outline: computeOutline(doc) };
}
