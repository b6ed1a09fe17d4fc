import type { CompareAnswer, VersionSummary } from '@shared/api/versions';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { DocumentMeta } from '../api/schemas';
import { versionsApi } from '../api/versions';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { Redline } from '../components/versions/Redline';
import { comparePath, documentPath, navigate } from '../router';

const LIVE = 'live';

const changeLabels: Record<string, string> = {
  added: 'Added',
  removed: 'Removed',
  moved: 'Moved',
  renumbered: 'Renumbered',
  changed: 'Changed',
};

type Comparison = CompareAnswer['comparison'];

function ClauseRow({ clause }: { clause: Comparison['clauses'][number] }) {
  const number =
    clause.before && clause.after && clause.before.number !== clause.after.number
      ? `${clause.before.number} → ${clause.after.number}`
      : (clause.after ?? clause.before)?.number;
  const text = clause.after?.text ?? clause.before?.text ?? '';
  return (
    <li className={`compare-clause ${clause.changes.map((c) => `is-${c}`).join(' ')}`} data-testid="compare-clause" data-clause-id={clause.id}>
      <span className="compare-number">{number}</span>
      <div className="compare-body">
        {clause.changes.length > 0 && (
          <span className="compare-badges">
            {clause.changes.map((c) => (
              <span key={c} className={`change-badge is-${c}`}>
                {changeLabels[c]}
              </span>
            ))}
          </span>
        )}
        {clause.status && (
          <span className="change-badge is-status">
            Status: {clause.status.before ?? 'none'} → {clause.status.after ?? 'none'}
          </span>
        )}
        <p className="compare-text" data-testid="compare-text">
          {clause.redline ? <Redline redline={clause.redline} /> : text}
        </p>
      </div>
    </li>
  );
}

/** Compares two texts (versions or the live draft) clause by clause, with a word-level redline. */
export function ComparePage({ documentId, from, to }: { documentId: string; from: string | null; to: string | null }) {
  const [meta, setMeta] = useState<DocumentMeta | null>(null);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [answer, setAnswer] = useState<CompareAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changedOnly, setChangedOnly] = useState(true);

  useEffect(() => {
    let live = true;
    Promise.all([api.getDocument(documentId), versionsApi.list(documentId)])
      .then(([m, v]) => {
        if (!live) return;
        setMeta(m);
        setVersions(v);
      })
      .catch((err: unknown) => live && setError(err instanceof ApiError && err.status === 404 ? 'This document does not exist, or you are not a member of its dialogue.' : err instanceof Error ? err.message : 'The document could not be opened.'));
    return () => {
      live = false;
    };
  }, [documentId]);

  // Without a choice, compare the latest version with the live draft.
  const fromRef = from ?? versions?.at(-1)?.id ?? null;
  const toRef = to ?? LIVE;

  useEffect(() => {
    if (!fromRef) return;
    let live = true;
    setAnswer(null);
    setError(null);
    versionsApi
      .compare(documentId, fromRef, toRef)
      .then((a) => live && setAnswer(a))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : 'The comparison failed.'));
    return () => {
      live = false;
    };
  }, [documentId, fromRef, toRef]);

  const objectivesById = useMemo(() => new Map(answer?.comparison.objectives.map((o) => [o.id, o]) ?? []), [answer]);
  const groups = useMemo(() => {
    if (!answer) return [];
    const out: { objectiveId: string | null; clauses: Comparison['clauses'] }[] = [];
    for (const clause of answer.comparison.clauses) {
      const objectiveId = (clause.after ?? clause.before)?.objectiveId ?? null;
      const last = out.at(-1);
      if (last && last.objectiveId === objectiveId) last.clauses.push(clause);
      else out.push({ objectiveId, clauses: [clause] });
    }
    return out;
  }, [answer]);

  const choose = (side: 'from' | 'to', value: string) =>
    navigate(comparePath(documentId, side === 'from' ? value : (fromRef ?? LIVE), side === 'to' ? value : toRef), { replace: true });

  const options = (
    <>
      {(versions ?? []).map((v) => (
        <option key={v.id} value={v.id}>
          {v.label}
        </option>
      ))}
      <option value={LIVE}>Live draft</option>
    </>
  );

  return (
    <div className="page compare-page">
      <AppHeader>
        <div className="doc-header">
          <Link href={documentPath(documentId)} className="back-link">
            ← {meta?.title ?? 'Document'}
          </Link>
          <h1 className="doc-title">Compare</h1>
        </div>
      </AppHeader>
      <main className="version-main">
        <div className="compare-controls">
          <label>
            From{' '}
            <select value={fromRef ?? ''} onChange={(e) => choose('from', e.target.value)} data-testid="compare-from">
              {options}
            </select>
          </label>
          <label>
            To{' '}
            <select value={toRef} onChange={(e) => choose('to', e.target.value)} data-testid="compare-to">
              {options}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={changedOnly} onChange={(e) => setChangedOnly(e.target.checked)} /> Changes only
          </label>
        </div>
        {error && <p className="form-error" role="alert">{error}</p>}
        {versions && versions.length === 0 && <p className="muted">No version has been frozen yet: there is nothing to compare.</p>}
        {!answer && !error && fromRef && <p className="muted">Comparing…</p>}
        {answer && (
          <>
            <p className="compare-summary" data-testid="compare-summary">
              <strong>{answer.from.label}</strong> → <strong>{answer.to.label}</strong>: {answer.comparison.summary}
            </p>
            {answer.comparison.title && (
              <p className="compare-title">
                Title: <Redline redline={answer.comparison.title} />
              </p>
            )}
            {answer.comparison.preamble && (
              <div className="compare-preamble">
                <h2>Preamble</h2>
                <p className="compare-text">
                  <Redline redline={answer.comparison.preamble} />
                </p>
              </div>
            )}
            {groups.map((group, i) => {
              const objective = group.objectiveId ? objectivesById.get(group.objectiveId) : undefined;
              const clauses = changedOnly ? group.clauses.filter((c) => c.changes.length > 0 || c.status) : group.clauses;
              const objectiveChanged = objective && objective.changes.length > 0;
              if (clauses.length === 0 && !objectiveChanged) return null;
              const place = objective?.after ?? objective?.before;
              return (
                <section key={`${group.objectiveId ?? 'none'}-${i}`} className="compare-objective">
                  <h2>
                    {place ? `${place.number}. ` : ''}
                    {objective?.heading ? <Redline redline={objective.heading} /> : place?.heading}
                    {objective?.changes.map((c) => (
                      <span key={c} className={`change-badge is-${c}`}>
                        {changeLabels[c]}
                      </span>
                    ))}
                  </h2>
                  {objective?.rationale && (
                    <p className="compare-text rationale">
                      <Redline redline={objective.rationale} />
                    </p>
                  )}
                  <ol className="compare-clauses">
                    {clauses.map((c) => (
                      <ClauseRow key={c.id} clause={c} />
                    ))}
                  </ol>
                </section>
              );
            })}
          </>
        )}
      </main>
    </div>
  );
}
