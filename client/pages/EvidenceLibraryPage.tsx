import { type Facets, type ReportKind, reportKinds, type ReportList } from '@shared/api/evidence';
import { can, roleLabels } from '@shared/permissions';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { type LibraryFilters, evidenceApi } from '../api/evidence';
import { ApiError } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { CountryChip, formatDay, kindLabel, libraryPath, Snippet } from '../evidence/format';
import { AddReport } from '../evidence/library/AddReport';
import { ReportReader } from '../evidence/library/ReportReader';
import { navigate, useRouter } from '../router';
import { useDocuments } from '../stores/documents';
import '../evidence/evidence.css';

interface Filters {
  q: string;
  country: string;
  kind: ReportKind | '';
  theme: string;
  from: string;
  to: string;
}

const noFilters: Filters = { q: '', country: '', kind: '', theme: '', from: '', to: '' };
const PAGE = 50;

function toQuery(filters: Filters, offset: number): LibraryFilters {
  return {
    q: filters.q.trim() || undefined,
    country: filters.country || undefined,
    kind: filters.kind || undefined,
    theme: filters.theme || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
    limit: PAGE,
    offset,
  };
}

/** The report and excerpt named in the address (`?report=…&excerpt=…`). */
function useLocationSelection(): { reportId: string | null; excerptId: string | null } {
  useRouter((s) => s.path);
  // Back and forward may change only the query, which the router's path does not carry.
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    window.addEventListener('popstate', rerender);
    return () => window.removeEventListener('popstate', rerender);
  }, []);
  const params = new URLSearchParams(window.location.search);
  return { reportId: params.get('report'), excerptId: params.get('excerpt') };
}

/**
 * The evidence library of a dialogue: every consultation report, searchable in full text and
 * filtered by country, kind, theme and date; a reader with the excerpts highlighted; and, for those
 * who manage evidence, adding reports (typed, or imported from a file) and saving excerpts.
 */
export function EvidenceLibraryPage({ dialogueId }: { dialogueId: string }) {
  const documents = useDocuments();
  const { reportId, excerptId } = useLocationSelection();
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [debounced, setDebounced] = useState<Filters>(noFilters);
  const [list, setList] = useState<ReportList | null>(null);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [adding, setAdding] = useState(false);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const [offset, setOffset] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);

  const { load: loadDocuments } = documents;
  useEffect(() => {
    if (documents.status === 'idle') void loadDocuments();
  }, [documents.status, loadDocuments]);
  const dialogue = documents.items.find((d) => d.dialogueId === dialogueId);
  const role = dialogue?.role ?? null;
  const manage = can(role, 'evidence.manage');

  useEffect(() => {
    document.title = `Evidence library${dialogue ? ` — ${dialogue.dialogueName}` : ''} — Accord`;
    return () => {
      document.title = 'Accord';
    };
  }, [dialogue]);

  // The search waits for a pause in typing; the other filters apply at once.
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(filters), filters.q === debounced.q ? 0 : 250);
    return () => clearTimeout(timer);
  }, [filters, debounced.q]);
  useEffect(() => setOffset(0), [debounced]);

  const handleError = useCallback((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) setNotFound(true);
    else setError(err instanceof Error ? err.message : 'The library could not be loaded.');
  }, []);

  useEffect(() => {
    let current = true;
    evidenceApi.reports(dialogueId, toQuery(debounced, offset)).then(
      (next) => {
        if (!current) return;
        setList(next);
        setError(null);
      },
      (err: unknown) => current && handleError(err),
    );
    return () => {
      current = false;
    };
  }, [dialogueId, debounced, offset, version, handleError]);

  useEffect(() => {
    evidenceApi.facets(dialogueId).then(setFacets, handleError);
  }, [dialogueId, version, handleError]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      if (event.key === '/' && !typing) {
        event.preventDefault();
        searchRef.current?.focus();
      }
      if (event.key === 'Escape' && adding && !typing) setAdding(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [adding]);

  const open = (id: string | null, excerpt?: string) => {
    setAdding(false);
    navigate(libraryPath(dialogueId, id ?? undefined, excerpt));
  };

  if (notFound) {
    return (
      <div className="page">
        <AppHeader />
        <main className="list-page">
          <div className="empty-state">
            <p>This evidence library does not exist, or you are not a member of its dialogue.</p>
            <Link href="/">Back to documents</Link>
          </div>
        </main>
      </div>
    );
  }

  const filtered = Object.entries(filters).some(([, v]) => v !== '');
  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));

  return (
    <div className="page library-page">
      <AppHeader>
        <div className="doc-header">
          <Link href="/" className="back-link" aria-label="Back to documents">
            ← Documents
          </Link>
          <h1 className="doc-title">Evidence library{dialogue ? ` — ${dialogue.dialogueName}` : ''}</h1>
          {role && <span className="muted small">{roleLabels[role]}</span>}
        </div>
      </AppHeader>
      <div className="library-layout">
        <section className="library-list" aria-label="Reports">
          <div className="library-toolbar">
            <label className="visually-hidden" htmlFor="library-search">
              Search the library
            </label>
            <input
              id="library-search"
              ref={searchRef}
              type="search"
              placeholder="Search all reports ( / )"
              value={filters.q}
              onChange={(e) => set({ q: e.target.value })}
              data-testid="library-search"
            />
            {manage && (
              <button type="button" className="primary-button" onClick={() => setAdding(true)} data-testid="add-report-button">
                Add report
              </button>
            )}
          </div>
          <div className="library-filters">
            <select aria-label="Country or region" value={filters.country} onChange={(e) => set({ country: e.target.value })} data-testid="filter-country">
              <option value="">All countries and regions</option>
              {facets?.countries.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.value} ({c.count})
                </option>
              ))}
            </select>
            <select aria-label="Kind" value={filters.kind} onChange={(e) => set({ kind: e.target.value as ReportKind | '' })} data-testid="filter-kind">
              <option value="">All kinds</option>
              {reportKinds.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
            <select aria-label="Theme" value={filters.theme} onChange={(e) => set({ theme: e.target.value })} data-testid="filter-theme">
              <option value="">All themes</option>
              {facets?.themes.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.value} ({t.count})
                </option>
              ))}
            </select>
            <label className="date-filter">
              <span className="muted small">From</span>
              <input type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} aria-label="From date" />
            </label>
            <label className="date-filter">
              <span className="muted small">To</span>
              <input type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} aria-label="To date" />
            </label>
            {filtered && (
              <button type="button" className="link-button" onClick={() => setFilters(noFilters)}>
                Clear
              </button>
            )}
          </div>
          {error && (
            <div className="banner is-error" role="alert">
              <span>{error}</span>
              <button type="button" className="quiet-button" onClick={bump}>
                Try again
              </button>
            </div>
          )}
          {!list && !error && <p className="muted">Loading the library…</p>}
          {list && (
            <p className="muted small" data-testid="library-count">
              {list.total === 0
                ? filtered
                  ? 'No report matches.'
                  : 'The library is empty.'
                : `${list.total} report${list.total === 1 ? '' : 's'}${filtered ? ' match' : ''}`}
            </p>
          )}
          {list && list.total === 0 && !filtered && (
            <div className="empty-state is-compact">
              <p>No consultation report has been added to this dialogue yet.</p>
              {manage && <p className="muted">Add one by importing a file (text, Markdown, Word or PDF) or by pasting its text.</p>}
            </div>
          )}
          <ul className="report-list">
            {list?.reports.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className={r.id === reportId ? 'report-card is-selected' : 'report-card'}
                  onClick={() => open(r.id)}
                  data-testid="report-card"
                  aria-current={r.id === reportId ? 'true' : undefined}
                >
                  <span className="evidence-link-head">
                    <CountryChip country={r.country} />
                    <span className="muted small">
                      {kindLabel(r.kind)} · {formatDay(r.date)}
                    </span>
                  </span>
                  <span className="report-card-title">{r.title}</span>
                  {r.snippet && (
                    <span className="report-card-snippet">
                      <Snippet text={r.snippet} />
                    </span>
                  )}
                  <span className="muted small">
                    {r.excerptCount} excerpt{r.excerptCount === 1 ? '' : 's'}
                    {r.focalPoint ? ` · ${r.focalPoint}` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {list && list.total > PAGE && (
            <div className="row-actions pager">
              <button type="button" className="quiet-button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous
              </button>
              <span className="muted small">
                {offset + 1}–{Math.min(offset + PAGE, list.total)} of {list.total}
              </span>
              <button type="button" className="quiet-button" disabled={offset + PAGE >= list.total} onClick={() => setOffset(offset + PAGE)}>
                Next
              </button>
            </div>
          )}
        </section>
        <section className="library-detail" aria-label="Report">
          {adding ? (
            <AddReport
              dialogueId={dialogueId}
              countries={facets?.countries.map((c) => c.value) ?? []}
              onCancel={() => setAdding(false)}
              onCreated={(id) => {
                bump();
                open(id);
              }}
            />
          ) : reportId ? (
            <ReportReader
              dialogueId={dialogueId}
              reportId={reportId}
              manage={manage}
              focusExcerptId={excerptId}
              themeSuggestions={facets?.themes.map((t) => t.value) ?? []}
              onChanged={bump}
              onDeleted={() => {
                bump();
                open(null);
              }}
            />
          ) : (
            <div className="empty-state">
              <p>Choose a report to read it{manage ? ', select passages and save them as excerpts' : ''}.</p>
              {documents.items
                .filter((d) => d.dialogueId === dialogueId)
                .slice(0, 1)
                .map((d) => (
                  <p key={d.id} className="muted">
                    See how the evidence covers <Link href={`/documents/${encodeURIComponent(d.id)}/coverage`}>{d.title}</Link>.
                  </p>
                ))}
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
