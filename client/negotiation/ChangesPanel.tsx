import { changesInScope, listChanges, type PendingChange } from '@shared/changes';
import { can, type Role, roleColors, roleLabels } from '@shared/permissions';
import { selectSuggestion } from '@handlewithcare/prosemirror-suggest-changes';
import { useEffect, useMemo, useState } from 'react';
import { negotiationApi } from '../api/negotiation';
import { getEditorView, useDocumentPage } from '../stores/documentPage';
import { currentSettings, notify, useNegotiation } from '../stores/negotiation';
import { decide, openChangeThread } from './actions';

/** A time as "5 min ago", "yesterday" … */
export function relativeTime(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.now() - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  return d === 1 ? 'yesterday' : `${d} days ago`;
}

/** The pending changes of the live text, recomputed whenever the text changes. */
export function usePendingChanges(): PendingChange[] {
  const outline = useDocumentPage((s) => s.outline); // changes with every edit (throttled)
  return useMemo(() => {
    const view = getEditorView();
    return view ? listChanges(view.state.doc) : [];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outline]);
}

function ChangeCard({ change, canDecide, roleOf }: { change: PendingChange; canDecide: boolean; roleOf: (id: string | null) => Role | null }) {
  const outline = useDocumentPage((s) => s.outline);
  const [busy, setBusy] = useState(false);
  const role = roleOf(change.authorId);
  const numbers = change.clauseIds.map((id) => outline?.clauseById.get(id)?.number).filter(Boolean);
  const run = async (decision: 'accept' | 'reject') => {
    setBusy(true);
    await decide([change.id], decision, 'one');
    setBusy(false);
  };
  const reveal = () => {
    const view = getEditorView();
    if (!view) return;
    const raw = view.state.doc.nodeAt(change.from)?.marks.find((m) => m.type.name === 'insertion' || m.type.name === 'deletion')?.attrs.id as string | number | undefined;
    if (raw !== undefined) selectSuggestion(raw)(view.state, view.dispatch);
    view.focus();
  };
  return (
    <li className="change-card" data-testid="change-card" data-change-id={change.id} data-author-id={change.authorId ?? ''}>
      <button type="button" className="change-card-main" onClick={reveal} title="Show in the text">
        <span className="change-author">
          <span className="role-dot" style={{ background: role ? roleColors[role] : '#64748b' }} />
          {change.authorName ?? 'Unknown author'}
          {role && <span className="change-role"> · {roleLabels[role]}</span>}
        </span>
        <span className="change-meta">
          {numbers.length > 0 ? `Clause ${numbers.join(', ')}` : 'Outside clauses'} · {relativeTime(change.at)}
        </span>
        <span className="change-text">
          {change.deleted && <del data-testid="change-deleted">{change.deleted}</del>}
          {change.deleted && change.inserted && ' → '}
          {change.inserted && <ins data-testid="change-inserted">{change.inserted}</ins>}
          {change.structural && <span className="change-structural"> (clause break)</span>}
        </span>
      </button>
      <div className="change-actions">
        {canDecide && (
          <>
            <button type="button" className="button is-small is-primary" disabled={busy} data-testid="accept-change" onClick={() => void run('accept')}>
              Accept
            </button>
            <button type="button" className="button is-small" disabled={busy} data-testid="reject-change" onClick={() => void run('reject')}>
              Reject
            </button>
          </>
        )}
        <button
          type="button"
          className="button is-small is-quiet"
          data-testid="comment-change"
          onClick={() => openChangeThread({ id: change.id, clauseId: change.clauseIds[0] ?? null, from: change.from, to: change.to })}
        >
          Comment
        </button>
      </div>
    </li>
  );
}

function PolicySection({ documentId }: { documentId: string }) {
  const settings = useNegotiation((s) => s.settings) ?? currentSettings();
  const [busy, setBusy] = useState(false);
  const toggle = async (key: 'requireSuggestingForDrafters' | 'lockAgreedClauses', value: boolean) => {
    setBusy(true);
    try {
      const next = await negotiationApi.setSettings(documentId, { [key]: value });
      useNegotiation.setState({ settings: next });
    } catch (error) {
      notify('error', error instanceof Error ? error.message : 'The policy could not be saved.');
    }
    setBusy(false);
  };
  return (
    <section className="panel-section" aria-label="Document policy">
      <h3 className="panel-section-heading">Document policy</h3>
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="policy-must-suggest"
          checked={settings.requireSuggestingForDrafters}
          disabled={busy}
          onChange={(e) => void toggle('requireSuggestingForDrafters', e.target.checked)}
        />
        Drafters must suggest (their edits are tracked changes)
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings.lockAgreedClauses}
          disabled={busy}
          onChange={(e) => void toggle('lockAgreedClauses', e.target.checked)}
        />
        Lock agreed clauses for drafters
      </label>
    </section>
  );
}

function FlagsSection({ documentId }: { documentId: string }) {
  const live = useNegotiation((s) => s.flags);
  const outline = useDocumentPage((s) => s.outline);
  const [stored, setStored] = useState<typeof live>([]);
  useEffect(() => {
    let cancelled = false;
    negotiationApi
      .flags(documentId)
      .then((flags) => !cancelled && setStored(flags.map((f) => ({ ...f, id: String(f.id) }))))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [documentId]);
  const all = [...live, ...stored.filter((s) => !live.some((l) => l.id === s.id))].slice(0, 20);
  const label: Record<string, string> = {
    'clause.agreed_edited': 'changed an agreed clause',
    'change.forged_attribution': 'wrote a change attributed to someone else',
    'change.unauthorised_decision': "resolved another member's change without the right to decide",
    'change.unsuggested_edit': 'edited outside suggesting mode',
  };
  return (
    <section className="panel-section" aria-label="Flagged edits">
      <h3 className="panel-section-heading">Flagged edits</h3>
      {all.length === 0 ? (
        <p className="panel-empty">Nothing flagged.</p>
      ) : (
        <ul className="flag-list" data-testid="flag-list">
          {all.map((f) => {
            const clauses = Array.isArray(f.detail.clauses) ? (f.detail.clauses as string[]) : [];
            const numbers = clauses.map((id) => outline?.clauseById.get(id)?.number ?? id);
            return (
              <li key={f.id} className="flag" data-action={f.action}>
                <strong>{f.actorName ?? 'Someone'}</strong> {label[f.action] ?? f.action}
                {numbers.length > 0 && ` (clause ${numbers.join(', ')})`} · {relativeTime(f.at)}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The changes panel: every pending tracked change, with accept/reject for those who decide. */
export function ChangesPanel() {
  const meta = useDocumentPage((s) => s.meta);
  const outline = useDocumentPage((s) => s.outline);
  const changes = usePendingChanges();
  const [author, setAuthor] = useState<string>('');
  const [clause, setClause] = useState<string>('');
  const [busy, setBusy] = useState(false);
  if (!meta) return null;
  const canDecide = can(meta.role, 'change.decide');
  const roleOf = (id: string | null) => meta.members.find((m) => m.userId === id)?.role ?? null;
  const authors = [...new Map(changes.map((c) => [c.authorId ?? '', c.authorName ?? 'Unknown author'])).entries()];
  const clauses = [...new Set(changes.flatMap((c) => c.clauseIds))];
  let shown = changes;
  if (author) shown = changesInScope(shown, { kind: 'author', authorId: author });
  if (clause) shown = changesInScope(shown, { kind: 'clause', clauseId: clause });
  const scope = author ? 'author' : clause ? 'clause' : 'all';
  const bulk = async (decision: 'accept' | 'reject') => {
    const what = author || clause ? `the ${shown.length} shown change${shown.length === 1 ? '' : 's'}` : `all ${shown.length} changes`;
    if (!window.confirm(`${decision === 'accept' ? 'Accept' : 'Reject'} ${what}?`)) return;
    setBusy(true);
    await decide(shown.map((c) => c.id), decision, scope);
    setBusy(false);
  };
  return (
    <div className="changes-panel" data-testid="changes-panel">
      <div className="changes-filters">
        <select aria-label="Filter by author" value={author} onChange={(e) => setAuthor(e.target.value)} data-testid="filter-author">
          <option value="">All authors</option>
          {authors.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <select aria-label="Filter by clause" value={clause} onChange={(e) => setClause(e.target.value)} data-testid="filter-clause">
          <option value="">All clauses</option>
          {clauses.map((id) => (
            <option key={id} value={id}>
              Clause {outline?.clauseById.get(id)?.number ?? id}
            </option>
          ))}
        </select>
      </div>
      {canDecide && shown.length > 0 && (
        <div className="changes-bulk">
          <button type="button" className="button is-small is-primary" disabled={busy} data-testid="accept-shown" onClick={() => void bulk('accept')}>
            {scope === 'all' ? 'Accept all' : 'Accept shown'}
          </button>
          <button type="button" className="button is-small" disabled={busy} data-testid="reject-shown" onClick={() => void bulk('reject')}>
            {scope === 'all' ? 'Reject all' : 'Reject shown'}
          </button>
        </div>
      )}
      {shown.length === 0 ? (
        <p className="panel-empty" data-testid="changes-empty">
          {changes.length === 0 ? 'No pending changes. Switch to Suggesting to propose wording.' : 'No change matches these filters.'}
        </p>
      ) : (
        <ul className="change-list">
          {shown.map((c) => (
            <ChangeCard key={c.id} change={c} canDecide={canDecide} roleOf={roleOf} />
          ))}
        </ul>
      )}
      {meta && can(meta.role, 'document.setPolicy') && <PolicySection documentId={meta.id} />}
      {canDecide && <FlagsSection documentId={meta.id} />}
    </div>
  );
}

/** The number of pending changes, for the panel tab. */
export function usePendingCount(): number {
  return usePendingChanges().length;
}
