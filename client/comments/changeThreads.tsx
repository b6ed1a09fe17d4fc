/**
 * Comment threads on tracked changes (the seam with suggesting mode, issue 4): the Changes panel's
 * Comment button opens the composer on a change's text, and each change card shows how many threads
 * are on it. A thread on a change is a range thread whose anchor names the change
 * (`anchor.change.id`); it covers the change's inserted and struck-through text, so it stays on the
 * words that remain once the change is accepted or rejected.
 */
import { createRangeAnchor } from '@shared/comments/anchor';
import { useMemo } from 'react';
import { anchorContextOfView } from '../editor/plugins/commentHighlights';
import type { ChangeRef } from '../negotiation/actions';
import { getEditorView, useDocumentPage } from '../stores/documentPage';
import { openPanel } from '../stores/panels';
import { anchorOnChange, changeLabel, threadsOnChange } from './changeAnchors';
import { setActiveThread, startDraft, useComments } from './store';

function clauseNumberOf(clauseId: string | null): string | null {
  if (!clauseId) return null;
  return useDocumentPage.getState().outline?.clauseById.get(clauseId)?.number ?? null;
}

/** Opens the comment composer on a change (the Changes panel's Comment button). */
export function openThreadOnChange(ref: ChangeRef): void {
  const view = getEditorView();
  const found = view
    ? anchorOnChange(view.state, ref.id, (from, to) => {
        const ctx = anchorContextOfView(view.state);
        return ctx && createRangeAnchor(ctx, from, to);
      })
    : { problem: 'The text is still loading.' };
  openPanel('comments');
  if ('problem' in found) {
    useDocumentPage.setState({ banner: { kind: 'info', text: found.problem } });
    return;
  }
  const clauseNumber = clauseNumberOf(found.anchor.clauseId);
  startDraft({ anchor: { ...found.anchor, clauseNumber }, label: changeLabel(found.change, clauseNumber) });
}

/** A small speech-bubble icon. */
function Bubble() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path
        d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3 3v-3h-.5A1.5 1.5 0 0 1 2 9.5z"
        fill="currentColor"
      />
    </svg>
  );
}

/** The thread count of a change card; a click opens the first thread in the Comments panel. */
export function ChangeThreadsBadge({ changeId }: { changeId: string }) {
  const threads = useComments((s) => s.threads);
  const on = useMemo(() => threadsOnChange(threads, changeId), [threads, changeId]);
  const first = on[0];
  if (!first) return null;
  const open = on.filter((t) => t.status === 'open').length;
  const title = `${on.length} comment ${on.length === 1 ? 'thread' : 'threads'} on this change${open < on.length ? ` (${open} open)` : ''}: open in Comments`;
  return (
    <button
      type="button"
      className="button is-small is-quiet change-threads"
      title={title}
      aria-label={title}
      data-testid="change-threads"
      onClick={() => {
        setActiveThread(first.id, true);
        openPanel('comments', first.id);
      }}
    >
      <Bubble /> {on.length}
    </button>
  );
}
