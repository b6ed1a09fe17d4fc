import type { Role } from '@shared/permissions';
import { schema } from '@shared/schema';
import type { MarkType } from 'prosemirror-model';
import type { EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { useEffect, useRef, useState } from 'react';
import { yUndoPluginKey } from 'y-prosemirror';
import { createEditor } from '../editor/createEditor';
import { numberingPluginKey, setNumberingBaseline } from '../editor/plugins/numbering';
import { attachEditorView, editorUpdated, type OpenDocument } from '../stores/documentPage';
import { useVersions } from '../stores/versions';
import { Toolbar } from './Toolbar';

function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks ?? $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

/** Ids of the clause and objective that hold the selection's start. */
function selectionContext(state: EditorState): { clauseId: string | null; objectiveId: string | null } {
  const { $from } = state.selection;
  let clauseId: string | null = null;
  let objectiveId: string | null = null;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type === schema.nodes.clause) clauseId = (node.attrs.id as string | null) ?? null;
    if (node.type === schema.nodes.objective) objectiveId = (node.attrs.id as string | null) ?? null;
  }
  return { clauseId, objectiveId };
}

function onUpdate(view: EditorView): void {
  const { state } = view;
  const undo = yUndoPluginKey.getState(state) as { hasUndoOps?: boolean; hasRedoOps?: boolean } | undefined;
  editorUpdated(numberingPluginKey.getState(state)?.outline ?? null, {
    canUndo: undo?.hasUndoOps ?? false,
    canRedo: undo?.hasRedoOps ?? false,
    bold: markActive(state, schema.marks.bold),
    italic: markActive(state, schema.marks.italic),
    bracket: markActive(state, schema.marks.bracket),
    ...selectionContext(state),
    from: state.selection.from,
    to: state.selection.to,
  });
}

/** Mounts the ProseMirror editor of the open document, with its toolbar when the user may edit. */
export function EditorHost({
  open,
  readOnly,
  user,
}: {
  open: OpenDocument;
  readOnly: boolean;
  user: { id: string; name: string; role: Role };
}) {
  const mount = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<EditorView | null>(null);

  // The user object is rebuilt on each render; its fields are what matter.
  const { id, name, role } = user;

  useEffect(() => {
    if (!mount.current) return;
    const created = createEditor(mount.current, {
      ydoc: open.ydoc,
      provider: open.connection.provider,
      readOnly,
      user: { id, name, role },
      onUpdate,
    });
    attachEditorView(created);
    setView(created);
    return () => {
      attachEditorView(null);
      created.destroy();
      setView(null);
    };
  }, [open, readOnly, id, name, role]);

  // "Bis" numbering: the baseline of the last freeze, when the document setting is on.
  const baseline = useVersions((s) => s.numbering?.baseline ?? null);
  useEffect(() => {
    if (view) setNumberingBaseline(view, baseline);
  }, [view, baseline]);

  return (
    <>
      {!readOnly && view && <Toolbar view={view} />}
      {readOnly && (
        <p className="readonly-note" data-testid="readonly-note">
          Read-only — you can view and see others' cursors
        </p>
      )}
      <div className="editor-mount" ref={mount} data-testid="editor" />
    </>
  );
}
