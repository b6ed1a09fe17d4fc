import type { EvidenceLink, EvidenceRelation } from '@shared/api/evidence';
import { clauseLabel } from '@shared/numbering';
import { can } from '@shared/permissions';
import { useEffect, useRef, useState } from 'react';
import { evidenceApi } from '../api/evidence';
import { Link } from '../components/Link';
import { revealPosition, useDocumentPage } from '../stores/documentPage';
import { usePanels } from '../stores/panels';
import { CountryChip, coveragePath, formatDay, formatTime, kindLabel, libraryPath, RelationChip } from './format';
import { LinkFinder } from './LinkFinder';
import { dropLink, EVIDENCE_PANEL, upsertLink, useEvidence } from './store';

const EMPTY: EvidenceLink[] = [];

/**
 * Which clause the panel shows: the one it was opened for (`openPanel('evidence', clauseId)`), until
 * the cursor moves to another clause, which it then follows.
 */
function useTargetClause(): string | null {
  const focus = usePanels((s) => (s.active === EVIDENCE_PANEL ? s.focus : null));
  const request = useEvidence((s) => s.focusRequest);
  const selected = useDocumentPage((s) => s.ui.clauseId);
  const [target, setTarget] = useState<string | null>(focus ?? selected);
  // Follow the cursor only when it moves, not on mount: opening the panel for a clause (a gutter
  // badge) must not be overridden by where the cursor happened to be.
  const lastSelected = useRef(selected);
  useEffect(() => {
    if (focus) setTarget(focus);
  }, [focus]);
  const lastRequest = useRef(request);
  useEffect(() => {
    // A request made before the panel opened is already its `focus`; only later ones move it.
    if (request && request !== lastRequest.current) setTarget(request.clauseId);
    lastRequest.current = request;
  }, [request]);
  useEffect(() => {
    if (selected && selected !== lastSelected.current) setTarget(selected);
    lastSelected.current = selected;
  }, [selected]);
  return target;
}

/** The Evidence side panel: the consultations a clause rests on, and linking new ones. */
export function EvidencePanel() {
  const clauseId = useTargetClause();
  const meta = useDocumentPage((s) => s.meta);
  const outline = useDocumentPage((s) => s.outline);
  const status = useEvidence((s) => s.status);
  const error = useEvidence((s) => s.error);
  const links = useEvidence((s) => (clauseId ? (s.byClause.get(clauseId) ?? EMPTY) : EMPTY));
  const totalClauses = outline?.clauses.length ?? 0;
  const coveredClauses = useEvidence((s) => outline?.clauses.filter((c) => c.id && s.byClause.has(c.id)).length ?? 0);
  if (!meta) return <p className="muted">Loading…</p>;
  const manage = can(meta.role, 'evidence.manage');
  const clause = clauseId ? outline?.clauseById.get(clauseId) : undefined;

  const navigation = (
    <p className="evidence-nav">
      <Link href={libraryPath(meta.dialogueId)}>Evidence library</Link>
      <span aria-hidden="true"> · </span>
      <Link href={coveragePath(meta.id)}>Coverage and record</Link>
    </p>
  );

  if (!clauseId || !clause) {
    return (
      <div className="evidence-panel" data-testid="evidence-panel">
        {navigation}
        <div className="empty-state is-compact">
          <p>Put the cursor in a clause to see the consultations it rests on.</p>
          {totalClauses > 0 && (
            <p className="muted">
              {coveredClauses} of {totalClauses} clauses rest on at least one consultation.
            </p>
          )}
        </div>
      </div>
    );
  }

  const supports = links.filter((l) => l.relation === 'supports');
  const challenges = links.filter((l) => l.relation === 'challenges');

  return (
    <div className="evidence-panel" data-testid="evidence-panel" data-clause-id={clauseId}>
      {navigation}
      <button type="button" className="evidence-clause" onClick={() => revealPosition(clause.pos)} title="Show the clause">
        <strong>{clauseLabel(clause)}</strong>
        <span className="evidence-clause-text">{clause.text.trim() || 'Empty clause'}</span>
      </button>
      {status === 'loading' && links.length === 0 && <p className="muted">Loading the evidence…</p>}
      {status === 'error' && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {status === 'ready' && links.length === 0 && (
        <p className="muted" data-testid="evidence-empty">
          No consultation is linked to this clause yet.{manage ? ' Search the library below to link one.' : ''}
        </p>
      )}
      {[
        ['Supported by', supports],
        ['Challenged by', challenges],
      ].map(([label, list]) =>
        (list as EvidenceLink[]).length === 0 ? null : (
          <section key={label as string} className="evidence-group">
            <h3 className="evidence-group-heading">
              {label as string} <span className="muted">({(list as EvidenceLink[]).length})</span>
            </h3>
            <ul className="evidence-links" data-testid="evidence-links">
              {(list as EvidenceLink[]).map((link) => (
                <LinkCard key={link.id} link={link} dialogueId={meta.dialogueId} documentId={meta.id} manage={manage} />
              ))}
            </ul>
          </section>
        ),
      )}
      {manage && (
        <LinkFinder
          dialogueId={meta.dialogueId}
          documentId={meta.id}
          clauseId={clauseId}
          clauseName={clauseLabel(clause)}
          linkedExcerpts={new Set(links.map((l) => l.excerpt.id))}
        />
      )}
    </div>
  );
}

/** One linked excerpt: country, report, relation, quote, note, who linked it; and its actions. */
function LinkCard({
  link,
  dialogueId,
  documentId,
  manage,
}: {
  link: EvidenceLink;
  dialogueId: string;
  documentId: string;
  manage: boolean;
}) {
  const [editingNote, setEditingNote] = useState(false);
  const [note, setNote] = useState(link.note);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  const setRelation = (relation: EvidenceRelation) =>
    run(async () => upsertLink(await evidenceApi.updateLink(documentId, link.id, { relation })));
  const saveNote = () =>
    run(async () => {
      upsertLink(await evidenceApi.updateLink(documentId, link.id, { note }));
      setEditingNote(false);
    });
  const unlink = () =>
    run(async () => {
      await evidenceApi.unlink(documentId, link.id);
      dropLink(link.id);
    });

  return (
    <li className={`evidence-link is-${link.relation}`} data-testid="evidence-link" data-link-id={link.id}>
      <div className="evidence-link-head">
        <CountryChip country={link.report.country} />
        <RelationChip relation={link.relation} />
      </div>
      <Link className="evidence-report-title" href={libraryPath(dialogueId, link.report.id, link.excerpt.id)}>
        {link.report.title}
      </Link>
      <p className="evidence-meta muted">
        {kindLabel(link.report.kind)} · {formatDay(link.report.date)}
        {link.report.focalPoint ? ` · ${link.report.focalPoint}` : ''}
      </p>
      <blockquote className="evidence-quote">{link.excerpt.quote}</blockquote>
      {link.excerpt.themes.length > 0 && (
        <p className="theme-list">
          {link.excerpt.themes.map((t) => (
            <span key={t} className="theme-chip">
              {t}
            </span>
          ))}
        </p>
      )}
      {editingNote ? (
        <form
          className="evidence-note-form"
          onSubmit={(e) => {
            e.preventDefault();
            void saveNote();
          }}
        >
          <label className="visually-hidden" htmlFor={`note-${link.id}`}>
            Note
          </label>
          <textarea
            id={`note-${link.id}`}
            value={note}
            maxLength={2000}
            rows={2}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setNote(link.note);
                setEditingNote(false);
              }
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
                e.preventDefault();
                void saveNote();
              }
            }}
            autoFocus
          />
          <div className="row-actions">
            <button type="submit" className="quiet-button" disabled={busy}>
              Save note
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setNote(link.note);
                setEditingNote(false);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        link.note && <p className="evidence-note">{link.note}</p>
      )}
      <p className="evidence-byline muted">
        Linked by {link.createdBy?.name ?? 'a former member'} · {formatTime(link.createdAt)}
      </p>
      {manage && !editingNote && (
        <div className="row-actions">
          <label className="visually-hidden" htmlFor={`relation-${link.id}`}>
            Relation
          </label>
          <select
            id={`relation-${link.id}`}
            value={link.relation}
            disabled={busy}
            onChange={(e) => void setRelation(e.target.value as EvidenceRelation)}
          >
            <option value="supports">Supports</option>
            <option value="challenges">Challenges</option>
          </select>
          <button type="button" className="link-button" onClick={() => setEditingNote(true)}>
            {link.note ? 'Edit note' : 'Add note'}
          </button>
          {confirming ? (
            <span className="confirm">
              Unlink?{' '}
              <button type="button" className="link-button is-danger" disabled={busy} onClick={() => void unlink()} data-testid="confirm-unlink">
                Yes, unlink
              </button>{' '}
              <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="link-button is-danger" onClick={() => setConfirming(true)} data-testid="unlink">
              Unlink
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
