import type { Outline } from '@shared/numbering';
import type { EditorView } from 'prosemirror-view';
import { create } from 'zustand';
import type { DocumentMeta } from '../api/schemas';
import type { CommentSurface, SelectionInfo } from '../comments/surface';

/** The frozen text open on a version's page, as the comments panel beside it needs it. */
export interface VersionTextState {
  meta: DocumentMeta | null;
  outline: Outline | null;
  ui: SelectionInfo;
}

const emptySelection: SelectionInfo = { from: 0, to: 0, clauseId: null };

/** The version page's store (the text itself is in the view's Y.Doc, never here). */
export const useVersionText = create<VersionTextState>(() => ({ meta: null, outline: null, ui: emptySelection }));

let view: EditorView | null = null;

/** Tells the store which view shows the frozen text (null when it goes away). */
export function attachVersionView(next: EditorView | null): void {
  view = next;
}

/** Forgets the page (it closed, or another version opens). */
export function resetVersionText(meta: DocumentMeta | null = null): void {
  useVersionText.setState({ meta, outline: null, ui: emptySelection }, true);
}

/** Records the outline and the selection of the frozen text (only when they changed). */
export function versionTextUpdated(outline: Outline | null, ui: SelectionInfo): void {
  const state = useVersionText.getState();
  const sameUi = state.ui.from === ui.from && state.ui.to === ui.to && state.ui.clauseId === ui.clauseId;
  if (state.outline !== outline || !sameUi) useVersionText.setState({ outline, ...(sameUi ? {} : { ui }) });
}

/** The frozen version's text, as the comments components see it (feedback of a round). */
export const versionSurface: CommentSurface = {
  useMeta: () => useVersionText((s) => s.meta),
  useOutline: () => useVersionText((s) => s.outline),
  useSelection: () => useVersionText((s) => s.ui),
  getOutline: () => useVersionText.getState().outline,
  getView: () => (view && !view.isDestroyed ? view : null),
};
