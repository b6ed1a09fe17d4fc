import { openBracketsByClause } from '@shared/brackets';
import type { StatusHistoryEntry } from '@shared/api/negotiation';
import { canSetStatus, type ClauseStatus, clauseStatuses } from '@shared/permissions';
import { useEffect, useMemo, useState } from 'react';
import { negotiationApi } from '../api/negotiation';
import { getEditorView, revealPosition, useDocumentPage } from '../stores/documentPage';
import { openPanel, usePanels } from '../stores/panels';
import { notify, putStatus, useNegotiation } from '../stores/negotiation';
import { relativeTime } from './ChangesPanel';
import { statusColors, statusLabels } from './status';

/** A status chip. */
export function StatusChip({ status, small = false }: { status: ClauseStatus; small?: boolean }) {
  return (
    <span className={small ? 'status-chip is-small' : 'status-chip'} style={{ ['--status-color' as string]: statusColors[status] }} data-status={status}>
      {statusLabels[status]}
    </span>
  );
}

function useOpenBrackets(): Map<string, number> {
  const outline = useDocumentPage((s) => s.outline);
  return useMemo(() => {
    const view = getEditorView();
    return view ? openBracketsByClause(view.state.doc) : new Map<string, number>();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outline]);
}

function ClauseStatusView({ clauseId }: { clauseId: string }) {
  const meta = useDocumentPage((s) => s.meta);
  const outline = useDocumentPage((s) => s.outline);
  const record = useNegotiation((s) => s.statuses.get(clauseId));
  const brackets = useOpenBrackets().get(clauseId) ?? 0;
  const [history, setHistory] = useState<StatusHistoryEntry[] | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const entry = outline?.clauseById.get(clauseId);
  const status = record?.status ?? 'draft';
  const documentId = meta?.id;

  useEffect(() => {
    if (!documentId) return;
    let cancelled = false;
    setHistory(null);
    negotiationApi
      .history(documentId, clauseId)
      .then((h) => !cancelled && setHistory(h))
      .catch(() => !cancelled && setHistory([]));
    return () => {
      cancelled = true;
    };
  }, [documentId, clauseId, record]);

  if (!meta || !documentId) return null;
  const act = async (fn: () => Promise<{ outcome: string; clause: Parameters<typeof putStatus>[0] }>) => {
    setBusy(true);
    try {
      const result = await fn();
      putStatus(result.clause);
      setNote('');
      if (result.outcome === 'proposed') notify('info', 'Proposal recorded: a Co-Chair will confirm it.');
    } catch (error) {
      notify('error', error instanceof Error ? error.message : 'The status could not be changed.');
    }
    setBusy(false);
  };
  const proposal = record?.proposal ?? null;
  return (
    <div className="clause-status" data-testid="clause-status" data-clause-id={clauseId}>
      <button type="button" className="link-button" onClick={() => entry && revealPosition(entry.pos)}>
        Clause {entry?.number ?? '(not in the text)'}
      </button>
      <p className="clause-status-line">
        <StatusChip status={status} />
        <span data-testid="open-brackets">
          {brackets === 0 ? 'No open brackets' : `${brackets} open bracket${brackets === 1 ? '' : 's'}`}
        </span>
      </p>
      {proposal && (
        <div className="proposal" data-testid="proposal">
          <strong>{proposal.byName ?? 'A drafter'}</strong> proposes <StatusChip status={proposal.to} small /> · {relativeTime(proposal.at)}
          {proposal.note && <q>{proposal.note}</q>}
          {canSetStatus(meta.role, proposal.to, status) === 'yes' && (
            <div className="proposal-actions">
              <button type="button" className="button is-small is-primary" disabled={busy} data-testid="confirm-proposal" onClick={() => void act(() => negotiationApi.decideProposal(documentId, clauseId, 'confirm', note || undefined))}>
                Confirm
              </button>
              <button type="button" className="button is-small" disabled={busy} onClick={() => void act(() => negotiationApi.decideProposal(documentId, clauseId, 'decline', note || undefined))}>
                Decline
              </button>
            </div>
          )}
        </div>
      )}
      {clauseStatuses.some((s) => canSetStatus(meta.role, s) !== 'no') && (
        <div className="status-actions">
          <input
            className="input"
            placeholder="Note (optional)"
            value={note}
            maxLength={1000}
            onChange={(e) => setNote(e.target.value)}
            aria-label="Note for the status change"
          />
          <div className="status-buttons">
            {clauseStatuses.map((s) => {
              const may = canSetStatus(meta.role, s, status);
              if (may === 'no' || s === status) return null;
              const blocked = s === 'agreed' && brackets > 0;
              return (
                <button
                  key={s}
                  type="button"
                  className="button is-small"
                  disabled={busy || blocked}
                  data-testid={`set-status-${s}`}
                  title={blocked ? 'Resolve the open brackets first' : may === 'propose' ? `Propose ${statusLabels[s]} (a Co-Chair confirms)` : `Set ${statusLabels[s]}`}
                  onClick={() => void act(() => negotiationApi.setStatus(documentId, clauseId, s, note || undefined))}
                >
                  {may === 'propose' ? `Propose ${statusLabels[s].toLowerCase()}` : statusLabels[s]}
                </button>
              );
            })}
          </div>
        </div>
      )}
      <h3 className="panel-section-heading">History</h3>
      {history === null ? (
        <p className="panel-empty">Loading…</p>
      ) : history.length === 0 ? (
        <p className="panel-empty">No status change yet.</p>
      ) : (
        <ol className="status-history" data-testid="status-history">
          {history.map((h) => (
            <li key={h.id}>
              <strong>{h.actorName ?? 'Someone'}</strong>{' '}
              {h.kind === 'proposed' ? 'proposed' : h.kind === 'confirmed' ? 'confirmed' : h.kind === 'declined' ? 'declined' : 'set'}{' '}
              <StatusChip status={h.from} small /> → <StatusChip status={h.to} small /> · {relativeTime(h.at)}
              {h.note && <q>{h.note}</q>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function Overview() {
  const outline = useDocumentPage((s) => s.outline);
  const statuses = useNegotiation((s) => s.statuses);
  const error = useNegotiation((s) => s.statusError);
  const loaded = useNegotiation((s) => s.statusesLoaded);
  const brackets = useOpenBrackets();
  if (error) return <p className="panel-empty">{error}</p>;
  if (!loaded || !outline) return <p className="panel-empty">Loading statuses…</p>;
  const proposals = [...statuses.values()].filter((r) => r.proposal);
  return (
    <div className="status-overview">
      {proposals.length > 0 && (
        <section className="panel-section">
          <h3 className="panel-section-heading">Proposals waiting for a Co-Chair</h3>
          <ul className="plain-list">
            {proposals.map((r) => (
              <li key={r.clauseId}>
                <button type="button" className="link-button" onClick={() => openPanel('status', r.clauseId)}>
                  Clause {outline.clauseById.get(r.clauseId)?.number ?? '?'}
                </button>{' '}
                → <StatusChip status={r.proposal!.to} small /> by {r.proposal!.byName}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel-section">
        <h3 className="panel-section-heading">Clauses by objective</h3>
        <table className="status-table">
          <thead>
            <tr>
              <th>Objective</th>
              {clauseStatuses.map((s) => (
                <th key={s} title={statusLabels[s]}>
                  <StatusChip status={s} small />
                </th>
              ))}
              <th>[ ]</th>
            </tr>
          </thead>
          <tbody>
            {outline.objectives.map((o) => (
              <tr key={o.id ?? o.pos} data-testid="status-row">
                <td>{o.number}</td>
                {clauseStatuses.map((s) => (
                  <td key={s}>{o.clauses.filter((c) => (c.id ? (statuses.get(c.id)?.status ?? 'draft') : 'draft') === s).length || ''}</td>
                ))}
                <td title="Open brackets">{o.clauses.reduce((n, c) => n + (c.id ? (brackets.get(c.id) ?? 0) : 0), 0) || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="panel-hint">Click a status chip beside a clause to change it.</p>
      </section>
    </div>
  );
}

/** The status panel: one clause's status, brackets and history, or the overview by objective. */
export function StatusPanel() {
  const focus = usePanels((s) => s.focus);
  const selected = useDocumentPage((s) => s.ui.clauseId);
  const clauseId = focus ?? null;
  return (
    <div className="status-panel" data-testid="status-panel">
      {clauseId ? (
        <>
          <button type="button" className="link-button" onClick={() => openPanel('status')}>
            ← All clauses
          </button>
          <ClauseStatusView clauseId={clauseId} />
        </>
      ) : (
        <>
          {selected && (
            <button type="button" className="button is-small" onClick={() => openPanel('status', selected)}>
              Status of the clause at the cursor
            </button>
          )}
          <Overview />
        </>
      )}
    </div>
  );
}
