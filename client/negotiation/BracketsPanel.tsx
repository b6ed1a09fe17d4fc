import type { Command } from 'prosemirror-state';
import { listBrackets } from '@shared/brackets';
import { can } from '@shared/permissions';
import { useMemo, useState } from 'react';
import { addAlternative, bracketSelection } from '../editor/brackets';
import { getEditorView, useDocumentPage } from '../stores/documentPage';
import { resolveBracket } from './actions';

/** Every open bracket of the document with its clause; add alternatives, choose one to resolve. */
export function BracketsPanel() {
  const meta = useDocumentPage((s) => s.meta);
  const outline = useDocumentPage((s) => s.outline);
  const ui = useDocumentPage((s) => s.ui);
  const [busy, setBusy] = useState(false);
  const brackets = useMemo(() => {
    const view = getEditorView();
    return view ? listBrackets(view.state.doc) : [];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outline]);
  if (!meta) return null;
  const canEdit = can(meta.role, 'document.edit');
  const canResolve = can(meta.role, 'change.decide');
  const run = (command: Command) => {
    const view = getEditorView();
    if (!view) return;
    command(view.state, view.dispatch, view);
    view.focus();
  };
  return (
    <div className="brackets-panel" data-testid="brackets-panel">
      {canEdit && (
        <button type="button" className="button is-small" disabled={ui.from === ui.to} onMouseDown={(e) => { e.preventDefault(); run(bracketSelection()); }} data-testid="bracket-selection">
          Bracket the selection
        </button>
      )}
      {brackets.length === 0 ? (
        <p className="panel-empty">No open brackets.</p>
      ) : (
        <ul className="bracket-list">
          {brackets.map((b) => {
            const number = b.clauseId ? outline?.clauseById.get(b.clauseId)?.number : null;
            return (
              <li key={b.key} className="bracket-card" data-testid="bracket-card" data-group={b.group ?? ''}>
                <div className="bracket-clause">{number ? `Clause ${number}` : 'Outside clauses'}</div>
                <ol className="bracket-alternatives">
                  {b.alternatives.map((a, i) => (
                    <li key={`${a.alt ?? 'x'}-${i}`}>
                      <span className="bracket-alt-label">{a.alt === null ? '' : `Alt ${a.alt}`}</span> [{a.text}]
                      {canResolve && (
                        <button
                          type="button"
                          className="button is-small is-quiet"
                          disabled={busy}
                          data-testid="choose-alternative"
                          title={b.alternatives.length > 1 ? 'Keep this wording and remove the others' : 'Remove the brackets, keep the wording'}
                          onClick={async () => {
                            setBusy(true);
                            await resolveBracket(b.key, a.alt);
                            setBusy(false);
                          }}
                        >
                          {b.alternatives.length > 1 ? 'Choose' : 'Agree wording'}
                        </button>
                      )}
                    </li>
                  ))}
                </ol>
                {canEdit && (
                  <button type="button" className="button is-small is-quiet" onMouseDown={(e) => { e.preventDefault(); run(addAlternative(b.key)); }}>
                    Add alternative
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
