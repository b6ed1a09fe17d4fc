import { type EvidenceRelation, type ExcerptHit, type Facets, reportKinds, type ReportKind } from '@shared/api/evidence';
import { useEffect, useRef, useState } from 'react';
import { evidenceApi } from '../api/evidence';
import { Link } from '../components/Link';
import { CountryChip, formatDay, kindLabel, libraryPath, Snippet } from './format';
import { upsertLink, useEvidence } from './store';

/** Waits `ms` after the last change of `value`. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Searching the dialogue's excerpts from the evidence panel and linking one to the clause, as
 * supporting or challenging it. Excerpts already linked to the clause are marked.
 */
export function LinkFinder({
  dialogueId,
  documentId,
  clauseId,
  clauseName,
  linkedExcerpts,
}: {
  dialogueId: string;
  documentId: string;
  clauseId: string;
  clauseName: string;
  linkedExcerpts: ReadonlySet<string>;
}) {
  const [query, setQuery] = useState('');
  const [country, setCountry] = useState('');
  const [kind, setKind] = useState<ReportKind | ''>('');
  const [facets, setFacets] = useState<Facets | null>(null);
  const [hits, setHits] = useState<ExcerptHit[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const libraryVersion = useEvidence((s) => s.libraryVersion);
  const debouncedQuery = useDebounced(query.trim(), 250);
  const request = useRef(0);

  useEffect(() => {
    evidenceApi.facets(dialogueId).then(setFacets, () => setFacets(null));
  }, [dialogueId, libraryVersion]);

  useEffect(() => {
    const mine = ++request.current;
    evidenceApi
      .excerpts(dialogueId, { q: debouncedQuery || undefined, country: country || undefined, kind: kind || undefined, limit: 20 })
      .then(
        (list) => {
          if (mine !== request.current) return;
          setHits(list.excerpts);
          setTotal(list.total);
          setError(null);
        },
        (err: unknown) => {
          if (mine !== request.current) return;
          setError(err instanceof Error ? err.message : 'The search failed.');
        },
      );
  }, [dialogueId, debouncedQuery, country, kind, libraryVersion]);

  const link = async (excerptId: string, relation: EvidenceRelation) => {
    setBusy(excerptId);
    setError(null);
    try {
      upsertLink(await evidenceApi.link(documentId, { clauseId, excerptId, relation, note: note.trim() }));
      setNote('');
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The link could not be made.');
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="link-finder" aria-label={`Link evidence to ${clauseName}`}>
      <h3 className="evidence-group-heading">Link evidence to {clauseName}</h3>
      <div className="link-finder-filters">
        <label className="visually-hidden" htmlFor="evidence-search">
          Search excerpts
        </label>
        <input
          id="evidence-search"
          type="search"
          placeholder="Search excerpts (words, “a phrase”)"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="evidence-search"
        />
        <div className="filter-row">
          <select aria-label="Country or region" value={country} onChange={(e) => setCountry(e.target.value)}>
            <option value="">All countries</option>
            {facets?.countries.map((c) => (
              <option key={c.value} value={c.value}>
                {c.value}
              </option>
            ))}
          </select>
          <select aria-label="Kind of report" value={kind} onChange={(e) => setKind(e.target.value as ReportKind | '')}>
            <option value="">All kinds</option>
            {reportKinds.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </div>
        <label className="visually-hidden" htmlFor="evidence-link-note">
          Note for the next link
        </label>
        <input
          id="evidence-link-note"
          type="text"
          placeholder="Optional note for the link"
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {hits === null && !error && <p className="muted">Searching…</p>}
      {hits !== null && hits.length === 0 && (
        <p className="muted">
          No excerpt matches.{' '}
          <Link href={libraryPath(dialogueId)}>Open the library</Link> to read reports and save excerpts.
        </p>
      )}
      {hits !== null && hits.length > 0 && (
        <>
          <p className="muted small">
            {total} excerpt{total === 1 ? '' : 's'}
            {total > hits.length ? ` — showing the best ${hits.length}` : ''}
          </p>
          <ul className="excerpt-hits" data-testid="excerpt-hits">
            {hits.map((hit) => {
              const linked = linkedExcerpts.has(hit.id);
              return (
                <li key={hit.id} className="excerpt-hit" data-testid="excerpt-hit" data-excerpt-id={hit.id}>
                  <div className="evidence-link-head">
                    <CountryChip country={hit.report.country} />
                    <span className="muted small">
                      {kindLabel(hit.report.kind)} · {formatDay(hit.report.date)}
                    </span>
                  </div>
                  <p className="excerpt-hit-report">{hit.report.title}</p>
                  <blockquote className="evidence-quote">{hit.snippet ? <Snippet text={hit.snippet} /> : hit.quote}</blockquote>
                  {hit.themes.length > 0 && (
                    <p className="theme-list">
                      {hit.themes.map((t) => (
                        <span key={t} className="theme-chip">
                          {t}
                        </span>
                      ))}
                    </p>
                  )}
                  {linked ? (
                    <p className="muted small">Already linked to this clause.</p>
                  ) : (
                    <div className="row-actions">
                      <button
                        type="button"
                        className="quiet-button is-supports"
                        disabled={busy !== null}
                        onClick={() => void link(hit.id, 'supports')}
                        data-testid="link-supports"
                      >
                        Link as supporting
                      </button>
                      <button
                        type="button"
                        className="quiet-button is-challenges"
                        disabled={busy !== null}
                        onClick={() => void link(hit.id, 'challenges')}
                        data-testid="link-challenges"
                      >
                        Link as challenging
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
