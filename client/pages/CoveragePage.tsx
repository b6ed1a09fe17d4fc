import type { Coverage, CoverageCell } from '@shared/evidence/coverage';
import type { ConsultationRecord } from '@shared/evidence/record';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api/client';
import { evidenceApi } from '../api/evidence';
import type { DocumentMeta } from '../api/schemas';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { CountryChip, formatDay, kindLabel, libraryPath } from '../evidence/format';
import { documentPath } from '../router';
import { showClauseEvidence } from '../evidence/store';
import '../evidence/evidence.css';

function cellTitle(country: string, cell: CoverageCell): string {
  if (cell.supports + cell.challenges === 0) return `${country}: no consultation cited`;
  const parts: string[] = [];
  if (cell.supports) parts.push(`${cell.supports} supporting`);
  if (cell.challenges) parts.push(`${cell.challenges} challenging`);
  return `${country}: ${parts.join(', ')} (${cell.reportIds.length} report${cell.reportIds.length === 1 ? '' : 's'})`;
}

/** One cell of the heatmap: green for support, red for challenge, stronger with more links. */
function Cell({ country, cell }: { country: string; cell: CoverageCell }) {
  const total = cell.supports + cell.challenges;
  if (total === 0) return <td className="heat-cell is-empty" title={cellTitle(country, cell)} />;
  const level = Math.min(4, total);
  const tone = cell.challenges === 0 ? 'supports' : cell.supports === 0 ? 'challenges' : 'mixed';
  return (
    <td className={`heat-cell is-${tone} level-${level}`} title={cellTitle(country, cell)}>
      {cell.supports > 0 && <span className="heat-supports">+{cell.supports}</span>}
      {cell.challenges > 0 && <span className="heat-challenges">−{cell.challenges}</span>}
    </td>
  );
}

function Matrix({ coverage, documentId }: { coverage: Coverage; documentId: string }) {
  if (coverage.countries.length === 0) {
    return (
      <div className="empty-state is-compact">
        <p>The library has no report yet, so no clause can rest on a consultation.</p>
      </div>
    );
  }
  return (
    <div className="matrix-scroll">
      <table className="coverage-matrix" data-testid="coverage-matrix">
        <thead>
          <tr>
            <th scope="col" className="matrix-row-head">
              Objective / clause
            </th>
            {coverage.countries.map((country) => (
              <th key={country} scope="col" className="matrix-country">
                <span>{country}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {coverage.objectives.map((objective) => (
            <ObjectiveRows key={objective.id ?? objective.number} objective={objective} countries={coverage.countries} documentId={documentId} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ObjectiveRows({
  objective,
  countries,
  documentId,
}: {
  objective: Coverage['objectives'][number];
  countries: string[];
  documentId: string;
}) {
  return (
    <>
      <tr className="matrix-objective">
        <th scope="row" className="matrix-row-head">
          <span className="outline-number">{objective.number}</span> {objective.heading || 'Untitled objective'}{' '}
          <span className={objective.coveredClauses < objective.clauseCount ? 'coverage-ratio is-partial' : 'coverage-ratio'}>
            {objective.coveredClauses}/{objective.clauseCount}
          </span>
        </th>
        {objective.cells.map((cell, i) => (
          <Cell key={countries[i]} country={countries[i] ?? ''} cell={cell} />
        ))}
      </tr>
      {objective.clauses.map((clause) => (
        <tr key={clause.id ?? clause.number} className={clause.covered ? 'matrix-clause' : 'matrix-clause is-uncovered'} data-clause-number={clause.number}>
          <th scope="row" className="matrix-row-head" title={clause.text}>
            <Link
              href={documentPath(documentId)}
              className="matrix-clause-link"
              title="Open the document with this clause's evidence"
              onClick={() => {
                if (clause.id) showClauseEvidence(clause.id);
              }}
            >
              <span className="outline-number">{clause.number}</span>{' '}
              <span className="matrix-clause-text">{clause.text.trim() || 'Empty clause'}</span>
            </Link>
            {!clause.covered && <span className="no-evidence">no evidence</span>}
          </th>
          {clause.cells.map((cell, i) => (
            <Cell key={countries[i]} country={countries[i] ?? ''} cell={cell} />
          ))}
        </tr>
      ))}
    </>
  );
}

function RecordView({ record }: { record: ConsultationRecord }) {
  return (
    <div className="record-view" data-testid="record-view">
      {record.objectives.map((objective) => (
        <section key={objective.number} className="record-objective">
          <h2>
            {objective.number}. {objective.heading}
          </h2>
          {objective.clauses.map((clause) => (
            <article key={clause.id ?? clause.number} className="record-clause">
              <h3>Clause {clause.number}</h3>
              <blockquote className="record-clause-text">{clause.text.trim() || 'Empty clause'}</blockquote>
              {clause.informedBy.length === 0 && clause.challengedBy.length === 0 && (
                <p className="muted small">No consultation is cited for this clause.</p>
              )}
              {(
                [
                  ['Informed by', 'supports', clause.informedBy],
                  ['Challenged by', 'challenges', clause.challengedBy],
                ] as const
              ).map(([label, tone, list]) =>
                list.length === 0 ? null : (
                  <div key={tone} className={`record-sources is-${tone}`}>
                    <h4>{label}</h4>
                    <ul>
                      {list.map((s, i) => (
                        <li key={`${s.reportId}-${i}`}>
                          <p className="record-source">
                            <CountryChip country={s.country} /> {kindLabel(s.kind)}, {formatDay(s.date)}: “{s.reportTitle}”
                            {s.focalPoint ? ` (${s.focalPoint})` : ''}
                          </p>
                          <blockquote className="evidence-quote">{s.quote}</blockquote>
                          {s.note && <p className="evidence-note">{s.note}</p>}
                        </li>
                      ))}
                    </ul>
                  </div>
                ),
              )}
            </article>
          ))}
        </section>
      ))}
      <section className="record-objective">
        <h2>Consultations cited</h2>
        {record.consultations.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul>
            {record.consultations.map((c) => (
              <li key={c.reportId}>
                {c.country} — {kindLabel(c.kind)}, {formatDay(c.date)}: “{c.title}”{c.focalPoint ? ` (${c.focalPoint})` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/**
 * Coverage of a document by the consultations: the objectives and clauses × countries heatmap
 * (which clauses rest on which consultations, which on none, which reports no clause cites), with CSV
 * exports, and the generated record of consultation (Markdown and HTML downloads).
 */
export function CoveragePage({ documentId }: { documentId: string }) {
  const [meta, setMeta] = useState<DocumentMeta | null>(null);
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [record, setRecord] = useState<ConsultationRecord | null>(null);
  const [tab, setTab] = useState<'matrix' | 'record'>('matrix');
  const [error, setError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [m, c, r] = await Promise.all([api.getDocument(documentId), evidenceApi.coverage(documentId), evidenceApi.record(documentId)]);
      setMeta(m);
      setCoverage(c);
      setRecord(r);
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setNotFound(true);
      else setError(err instanceof Error ? err.message : 'The coverage could not be computed.');
    } finally {
      setLoading(false);
    }
  }, [documentId]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    document.title = `Coverage${meta ? ` — ${meta.title}` : ''} — Accord`;
    return () => {
      document.title = 'Accord';
    };
  }, [meta]);

  if (notFound) {
    return (
      <div className="page">
        <AppHeader />
        <main className="list-page">
          <div className="empty-state">
            <p>This document does not exist, or you are not a member of its dialogue.</p>
            <Link href="/">Back to documents</Link>
          </div>
        </main>
      </div>
    );
  }

  return (
    <div className="page coverage-page">
      <AppHeader>
        <div className="doc-header">
          <Link href={documentPath(documentId)} className="back-link" aria-label="Back to the document">
            ← Document
          </Link>
          <h1 className="doc-title">Coverage by consultations{meta ? ` — ${meta.title}` : ''}</h1>
          {meta && (
            <Link href={libraryPath(meta.dialogueId)} className="quiet-button">
              Evidence library
            </Link>
          )}
        </div>
      </AppHeader>
      <main className="coverage-main">
        {error && (
          <div className="banner is-error" role="alert">
            <span>{error}</span>
            <button type="button" className="quiet-button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        )}
        {!coverage && !error && <p className="muted">Computing the coverage…</p>}
        {coverage && record && (
          <>
            <div className="coverage-summary" data-testid="coverage-summary">
              <div className="summary-card">
                <strong>
                  {coverage.totals.coveredClauses} of {coverage.totals.clauses}
                </strong>
                <span>clauses rest on at least one consultation</span>
              </div>
              <div className="summary-card">
                <strong>
                  {coverage.totals.citedReports} of {coverage.totals.reports}
                </strong>
                <span>reports are cited by a clause</span>
              </div>
              <div className="summary-card">
                <strong>{coverage.totals.countries}</strong>
                <span>countries and regions consulted</span>
              </div>
              <div className="summary-card">
                <strong>
                  <span className="heat-supports">+{coverage.totals.supports}</span> <span className="heat-challenges">−{coverage.totals.challenges}</span>
                </strong>
                <span>supporting and challenging links</span>
              </div>
            </div>
            <div className="coverage-toolbar">
              <div className="segmented" role="tablist" aria-label="View">
                <button type="button" role="tab" aria-selected={tab === 'matrix'} className={tab === 'matrix' ? 'is-active' : ''} onClick={() => setTab('matrix')}>
                  Matrix
                </button>
                <button type="button" role="tab" aria-selected={tab === 'record'} className={tab === 'record' ? 'is-active' : ''} onClick={() => setTab('record')}>
                  Record of consultation
                </button>
              </div>
              <div className="row-actions">
                {tab === 'matrix' ? (
                  <>
                    <a className="quiet-button" href={evidenceApi.downloadUrl(documentId, 'coverage-csv')} download data-testid="download-coverage-csv">
                      Download matrix (CSV)
                    </a>
                    <a className="quiet-button" href={evidenceApi.downloadUrl(documentId, 'reports-csv')} download>
                      Download reports (CSV)
                    </a>
                  </>
                ) : (
                  <>
                    <a className="quiet-button" href={evidenceApi.downloadUrl(documentId, 'record-md')} download>
                      Download Markdown
                    </a>
                    <a className="quiet-button" href={evidenceApi.downloadUrl(documentId, 'record-html')} target="_blank" rel="noreferrer">
                      Open as HTML
                    </a>
                  </>
                )}
                <button type="button" className="quiet-button" onClick={() => void load()} disabled={loading}>
                  {loading ? 'Refreshing…' : 'Refresh'}
                </button>
              </div>
            </div>
            {tab === 'matrix' ? (
              <div className="coverage-grid">
                <Matrix coverage={coverage} documentId={documentId} />
                <aside className="coverage-gaps">
                  <h2 className="evidence-group-heading">Clauses resting on no consultation ({coverage.uncoveredClauses.length})</h2>
                  {coverage.uncoveredClauses.length === 0 ? (
                    <p className="muted small">Every clause rests on at least one consultation.</p>
                  ) : (
                    <ul className="gap-list" data-testid="uncovered-clauses">
                      {coverage.uncoveredClauses.map((c) => (
                        <li key={c.id ?? c.number}>
                          <Link
                            href={documentPath(documentId)}
                            onClick={() => {
                              if (c.id) showClauseEvidence(c.id);
                            }}
                          >
                            Clause {c.number}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                  <h2 className="evidence-group-heading">Reports no clause cites ({coverage.uncitedReports.length})</h2>
                  {coverage.uncitedReports.length === 0 ? (
                    <p className="muted small">Every report is cited.</p>
                  ) : (
                    <ul className="gap-list" data-testid="uncited-reports">
                      {coverage.uncitedReports.map((r) => (
                        <li key={r.id}>
                          {meta ? <Link href={libraryPath(meta.dialogueId, r.id)}>{r.title}</Link> : r.title}{' '}
                          <span className="muted small">({r.country})</span>
                        </li>
                      ))}
                    </ul>
                  )}
                  {coverage.detachedLinks.length > 0 && (
                    <>
                      <h2 className="evidence-group-heading">Links to deleted clauses ({coverage.detachedLinks.length})</h2>
                      <p className="muted small">These links come back if the clause is restored (undo); they count nowhere else.</p>
                    </>
                  )}
                  <p className="legend small">
                    <span className="heat-cell-legend is-supports" /> supports <span className="heat-cell-legend is-challenges" /> challenges{' '}
                    <span className="heat-cell-legend is-mixed" /> both
                  </p>
                </aside>
              </div>
            ) : (
              <RecordView record={record} />
            )}
          </>
        )}
      </main>
    </div>
  );
}
