import { can, type Role } from '@shared/permissions';
import { schema } from '@shared/schema';
import type { MarkType } from 'prosemirror-model';
import type { EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { useEffect, useRef, useState } from 'react';
import { yUndoPluginKey } from 'y-prosemirror';
import { createEditor } from '../editor/createEditor';
import { numberingPluginKey, setNumberingBaseline } from '../editor/plugins/numbering';
import { applyPolicy, initialMode, suggestingForced } from '../negotiation/mode';
import { ModeSwitch, NegotiationNotice } from '../negotiation/ModeSwitch';
import { Preview } from '../negotiation/Preview';
import { attachEditorView, editorUpdated, type OpenDocument, useDocumentPage } from '../stores/documentPage';
import { currentSettings, notify, statusOf, useNegotiation } from '../stores/negotiation';
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
    const mode = readOnly ? 'viewing' : initialMode(role);
    useNegotiation.setState({ mode });
    let lastBlock = 0;
    const created = createEditor(mount.current, {
      ydoc: open.ydoc,
      provider: open.connection.provider,
      readOnly,
      user: { id, name, role },
      onUpdate,
      track: readOnly
        ? undefined
        : {
            author: { id, name },
            initial: { mode, forced: suggestingForced(role) },
            isLocked: (clauseId) =>
              !can(role, 'change.decide') && currentSettings().lockAgreedClauses && statusOf(clauseId) === 'agreed',
            onBlocked: () => {
              // Typing into a locked clause would repeat this on every key.
              if (Date.now() - lastBlock < 3000) return;
              lastBlock = Date.now();
              notify('error', 'This clause is agreed and locked: only Co-Chairs and the Secretariat may change it.');
            },
            roleOf: (userId) => useDocumentPage.getState().meta?.members.find((m) => m.userId === userId)?.role ?? null,
            onRefused: (reason) =>
              notify(
                'error',
                reason === 'foreign-insertion'
                  ? "That text is another member's suggestion: comment on it, or ask a Co-Chair to reject it."
                  : 'This change cannot be made as a suggestion (for example a new objective). Ask a Co-Chair, or switch to Editing if you may.',
              ),
          },
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

  // A policy change (pushed live) applies to the open editor at once.
  const settings = useNegotiation((s) => s.settings);
  useEffect(() => {
    if (view && settings && !readOnly) applyPolicy(role, view);
  }, [settings, view, role, readOnly]);

  const textView = useNegotiation((s) => s.view);

  return (
    <>
      <ModeSwitch role={role} canEdit={!readOnly} />
      <NegotiationNotice />
      {!readOnly && view && textView === 'changes' && <Toolbar view={view} />}
      {readOnly && (
        <p className="readonly-note" data-testid="readonly-note">
          Read-only — you can view and see others' cursors
        </p>
      )}
      {textView !== 'changes' && <Preview view={textView} />}
      <div className={textView === 'changes' ? 'editor-mount' : 'editor-mount is-hidden'} ref={mount} data-testid="editor" />
    </>
  );
}
