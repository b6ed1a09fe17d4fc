import type { Outline } from '@shared/numbering';
import type { EditorView } from 'prosemirror-view';
import { createContext, useContext } from 'react';
import type { DocumentMeta } from '../api/schemas';
import { getEditorView, useDocumentPage } from '../stores/documentPage';

/** The selection of the text comments are made from. */
export interface SelectionInfo {
  from: number;
  to: number;
  /** The clause holding the selection's start, or null. */
  clauseId: string | null;
}

/**
 * The text the comments panel sits beside: the live draft on the document page (the default), or a
 * frozen version on its page, where validators give feedback. The panel, the thread cards and the
 * "comment on …" actions read the document's meta, outline, selection and editor view through this,
 * so one set of components serves both texts.
 */
export interface CommentSurface {
  /** Hook: the open document's meta (role, members). */
  useMeta(): DocumentMeta | null;
  /** Hook: the outline of the text shown (clause numbers, objectives). */
  useOutline(): Outline | null;
  /** Hook: the selection in the text shown. */
  useSelection(): SelectionInfo;
  getOutline(): Outline | null;
  getView(): EditorView | null;
}

/** The live draft of the document page. */
export const liveSurface: CommentSurface = {
  useMeta: () => useDocumentPage((s) => s.meta),
  useOutline: () => useDocumentPage((s) => s.outline),
  useSelection: () => useDocumentPage((s) => s.ui),
  getOutline: () => useDocumentPage.getState().outline,
  getView: getEditorView,
};

/** Which surface the comments components below it serve (the live draft unless a page says otherwise). */
export const CommentSurfaceContext = createContext<CommentSurface>(liveSurface);

/** The surface of the comments components being rendered. */
export function useCommentSurface(): CommentSurface {
  return useContext(CommentSurfaceContext);
}
