import { type Excerpt, type ReportDetail, reportKinds, type ReportKind } from '@shared/api/evidence';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { evidenceApi } from '../../api/evidence';
import { CountryChip, formatDay, formatTime, kindLabel } from '../format';
import { segmentText, selectionOffsets, trimPassage } from './segments';
import { ThemeInput } from './ThemeInput';

/** What the reader needs from the page around it. */
export interface ReportReaderProps {
  dialogueId: string;
  reportId: string;
  manage: boolean;
  /** An excerpt to scroll to and highlight when the report opens. */
  focusExcerptId: string | null;
  themeSuggestions: readonly string[];
  /** The report (or its excerpts) changed: the list and facets should refresh. */
  onChanged: () => void;
  onDeleted: () => void;
}

/**
 * A report of the library: its details, its text with every excerpt highlighted, and its excerpts.
 * Selecting a passage of the text offers to save it as an excerpt with themes.
 */
export function ReportReader({ dialogueId, reportId, manage, focusExcerptId, themeSuggestions, onChanged, onDeleted }: ReportReaderProps) {
  const [report, setReport] = useState<ReportDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(focusExcerptId);
  const [passage, setPassage] = useState<{ start: number; end: number } | null>(null);
  const [editing, setEditing] = useState(false);
  const textRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      setReport(await evidenceApi.report(dialogueId, reportId));
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The report could not be loaded.');
    }
  }, [dialogueId, reportId]);

  useEffect(() => {
    setReport(null);
    setPassage(null);
    setEditing(false);
    void load();
  }, [load]);

  useEffect(() => setActive(focusExcerptId), [focusExcerptId, reportId]);

  // Scroll the focused excerpt into view once the text is there.
  useEffect(() => {
    if (!report || !active) return;
    const mark = textRef.current?.querySelector(`[data-excerpt-ids~="${CSS.escape(active)}"]`);
    mark?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [report, active]);

  const segments = useMemo(() => (report ? segmentText(report.text, report.excerpts) : []), [report]);

  const onSelect = () => {
    if (!manage || !report || !textRef.current) return;
    const offsets = selectionOffsets(textRef.current, window.getSelection());
    if (!offsets) return;
    const trimmed = trimPassage(report.text, offsets.start, offsets.end);
    if (trimmed.end > trimmed.start) setPassage(trimmed);
  };

  if (error) {
    return (
      <div className="report-reader">
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="button" className="quiet-button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  if (!report) return <div className="report-reader muted">Loading the report…</div>;

  return (
    <article className="report-reader" data-testid="report-reader" aria-label={report.title}>
      {editing ? (
        <ReportDetailsForm
          report={report}
          dialogueId={dialogueId}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setReport(next);
            setEditing(false);
            onChanged();
          }}
        />
      ) : (
        <header className="report-header">
          <div className="evidence-link-head">
            <CountryChip country={report.country} />
            <span className="muted small">
              {kindLabel(report.kind)} · {formatDay(report.date)}
            </span>
          </div>
          <h2 className="report-title">{report.title}</h2>
          <p className="muted small">
            {report.focalPoint && <>Focal point: {report.focalPoint} · </>}
            {report.source === 'manual' ? 'Entered by hand' : `Imported from ${report.sourceFilename ?? report.source.toUpperCase()}`}
            {report.createdBy && <> by {report.createdBy.name}</>} · {formatTime(report.createdAt)}
          </p>
          {manage && (
            <div className="row-actions">
              <button type="button" className="quiet-button" onClick={() => setEditing(true)}>
                Edit details
              </button>
              <DeleteReport report={report} dialogueId={dialogueId} onDeleted={onDeleted} />
            </div>
          )}
        </header>
      )}

      {manage && !passage && (
        <p className="muted small reader-hint">Select a passage of the text to save it as an excerpt.</p>
      )}
      {passage && (
        <SaveExcerpt
          report={report}
          dialogueId={dialogueId}
          passage={passage}
          themeSuggestions={themeSuggestions}
          onCancel={() => setPassage(null)}
          onSaved={(excerpt) => {
            setPassage(null);
            window.getSelection()?.removeAllRanges();
            setActive(excerpt.id);
            void load();
            onChanged();
          }}
        />
      )}

      <div className="report-layout">
        <div
          className="report-text"
          ref={textRef}
          onMouseUp={onSelect}
          onKeyUp={(e) => {
            if (e.shiftKey) onSelect();
          }}
          data-testid="report-text"
        >
          {segments.map((s) =>
            s.excerptIds.length === 0 ? (
              <span key={s.start}>{s.text}</span>
            ) : (
              <mark
                key={s.start}
                className={`excerpt-mark${s.excerptIds.length > 1 ? ' is-overlap' : ''}${active && s.excerptIds.includes(active) ? ' is-active' : ''}`}
                data-excerpt-ids={s.excerptIds.join(' ')}
                onClick={() => setActive(s.excerptIds[s.excerptIds.length - 1] ?? null)}
              >
                {s.text}
              </mark>
            ),
          )}
        </div>
        <aside className="report-excerpts" aria-label="Excerpts">
          <h3 className="evidence-group-heading">
            Excerpts <span className="muted">({report.excerpts.length})</span>
          </h3>
          {report.excerpts.length === 0 && <p className="muted small">No excerpt saved from this report yet.</p>}
          <ul className="excerpt-list">
            {report.excerpts.map((excerpt) => (
              <ExcerptItem
                key={excerpt.id}
                excerpt={excerpt}
                dialogueId={dialogueId}
                manage={manage}
                active={active === excerpt.id}
                themeSuggestions={themeSuggestions}
                onActivate={() => setActive(excerpt.id)}
                onChanged={() => {
                  void load();
                  onChanged();
                }}
              />
            ))}
          </ul>
        </aside>
      </div>
    </article>
  );
}

function SaveExcerpt({
  report,
  dialogueId,
  passage,
  themeSuggestions,
  onCancel,
  onSaved,
}: {
  report: ReportDetail;
  dialogueId: string;
  passage: { start: number; end: number };
  themeSuggestions: readonly string[];
  onCancel: () => void;
  onSaved: (excerpt: Excerpt) => void;
}) {
  const [themes, setThemes] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const quote = report.text.slice(passage.start, passage.end);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await evidenceApi.createExcerpt(dialogueId, report.id, { ...passage, quote, themes, note }));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The excerpt could not be saved.');
      setBusy(false);
    }
  };
  return (
    <form
      className="save-excerpt"
      data-testid="save-excerpt"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <p className="save-excerpt-label">Save this passage as an excerpt</p>
      <blockquote className="evidence-quote">{quote.length > 400 ? `${quote.slice(0, 400)}…` : quote}</blockquote>
      <label className="field-label" htmlFor="excerpt-themes">
        Themes
      </label>
      <ThemeInput id="excerpt-themes" themes={themes} onChange={setThemes} suggestions={themeSuggestions} onSubmit={() => void save()} />
      <label className="field-label" htmlFor="excerpt-note">
        Note (optional)
      </label>
      <input id="excerpt-note" type="text" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row-actions">
        <button type="submit" className="primary-button" disabled={busy} data-testid="save-excerpt-button">
          {busy ? 'Saving…' : 'Save excerpt'}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ExcerptItem({
  excerpt,
  dialogueId,
  manage,
  active,
  themeSuggestions,
  onActivate,
  onChanged,
}: {
  excerpt: Excerpt;
  dialogueId: string;
  manage: boolean;
  active: boolean;
  themeSuggestions: readonly string[];
  onActivate: () => void;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [themes, setThemes] = useState(excerpt.themes);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work.');
    }
  };
  return (
    <li className={active ? 'excerpt-item is-active' : 'excerpt-item'} data-testid="excerpt-item">
      <button type="button" className="excerpt-quote-button" onClick={onActivate} title="Show in the text">
        “{excerpt.quote.length > 220 ? `${excerpt.quote.slice(0, 220)}…` : excerpt.quote}”
      </button>
      {editing ? (
        <div>
          <ThemeInput themes={themes} onChange={setThemes} suggestions={themeSuggestions} />
          <div className="row-actions">
            <button
              type="button"
              className="quiet-button"
              onClick={() =>
                void run(async () => {
                  await evidenceApi.updateExcerpt(dialogueId, excerpt.id, { themes });
                  setEditing(false);
                })
              }
            >
              Save themes
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setThemes(excerpt.themes);
                setEditing(false);
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        excerpt.themes.length > 0 && (
          <p className="theme-list">
            {excerpt.themes.map((t) => (
              <span key={t} className="theme-chip">
                {t}
              </span>
            ))}
          </p>
        )
      )}
      {excerpt.note && <p className="evidence-note">{excerpt.note}</p>}
      <p className="muted small">
        {excerpt.linkCount === 0 ? 'Not cited by any clause' : `Cited by ${excerpt.linkCount} clause link${excerpt.linkCount === 1 ? '' : 's'}`}
      </p>
      {manage && !editing && (
        <div className="row-actions">
          <button type="button" className="link-button" onClick={() => setEditing(true)}>
            Edit themes
          </button>
          {confirming ? (
            <span className="confirm">
              {excerpt.linkCount > 0 ? `Delete it and its ${excerpt.linkCount} link${excerpt.linkCount === 1 ? '' : 's'}?` : 'Delete it?'}{' '}
              <button type="button" className="link-button is-danger" onClick={() => void run(() => evidenceApi.deleteExcerpt(dialogueId, excerpt.id))}>
                Delete
              </button>{' '}
              <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="link-button is-danger" onClick={() => setConfirming(true)}>
              Delete
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

function DeleteReport({ report, dialogueId, onDeleted }: { report: ReportDetail; dialogueId: string; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const links = report.excerpts.reduce((n, e) => n + e.linkCount, 0);
  if (!confirming) {
    return (
      <button type="button" className="quiet-button is-danger" onClick={() => setConfirming(true)}>
        Delete report
      </button>
    );
  }
  return (
    <span className="confirm" role="alertdialog" aria-label="Delete the report">
      Delete this report, its {report.excerpts.length} excerpt{report.excerpts.length === 1 ? '' : 's'}
      {links > 0 ? ` and the ${links} clause link${links === 1 ? '' : 's'} resting on them` : ''}?{' '}
      <button
        type="button"
        className="quiet-button is-danger"
        onClick={() =>
          void evidenceApi.deleteReport(dialogueId, report.id).then(onDeleted, (err: unknown) =>
            setError(err instanceof Error ? err.message : 'The report could not be deleted.'),
          )
        }
      >
        Delete
      </button>{' '}
      <button type="button" className="quiet-button" onClick={() => setConfirming(false)}>
        Keep
      </button>
      {error && <span className="form-error"> {error}</span>}
    </span>
  );
}

/** The editable details of a report (country, kind, focal point, date, title). */
function ReportDetailsForm({
  report,
  dialogueId,
  onCancel,
  onSaved,
}: {
  report: ReportDetail;
  dialogueId: string;
  onCancel: () => void;
  onSaved: (report: ReportDetail) => void;
}) {
  const [fields, setFields] = useState({
    title: report.title,
    country: report.country,
    kind: report.kind,
    focalPoint: report.focalPoint,
    date: report.date,
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="report-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        evidenceApi.updateReport(dialogueId, report.id, fields).then(onSaved, (err: unknown) => {
          setError(err instanceof Error ? err.message : 'The changes could not be saved.');
          setBusy(false);
        });
      }}
    >
      <ReportFields fields={fields} onChange={(next) => setFields({ ...fields, ...next })} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row-actions">
        <button type="submit" className="primary-button" disabled={busy}>
          Save details
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The fields of a report's details, shared by the add and edit forms. */
export interface ReportFieldValues {
  title: string;
  country: string;
  kind: ReportKind;
  focalPoint: string;
  date: string;
}

/** Inputs for a report's details. `titleOptional` says the title may be left to the imported file. */
export function ReportFields({
  fields,
  onChange,
  titleOptional = false,
  countries = [],
}: {
  fields: ReportFieldValues;
  onChange: (change: Partial<ReportFieldValues>) => void;
  titleOptional?: boolean;
  countries?: readonly string[];
}) {
  return (
    <div className="report-fields">
      <label className="field">
        <span className="field-label">Title{titleOptional ? ' (optional: taken from the file)' : ''}</span>
        <input
          type="text"
          required={!titleOptional}
          maxLength={300}
          value={fields.title}
          onChange={(e) => onChange({ title: e.target.value })}
          data-testid="report-title-input"
        />
      </label>
      <label className="field">
        <span className="field-label">Country or region</span>
        <input
          type="text"
          required
          maxLength={120}
          list="report-countries"
          value={fields.country}
          onChange={(e) => onChange({ country: e.target.value })}
          data-testid="report-country-input"
        />
        <datalist id="report-countries">
          {countries.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span className="field-label">Kind</span>
        <select value={fields.kind} onChange={(e) => onChange({ kind: e.target.value as ReportKind })}>
          {reportKinds.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Date</span>
        <input type="date" required value={fields.date} onChange={(e) => onChange({ date: e.target.value })} data-testid="report-date-input" />
      </label>
      <label className="field">
        <span className="field-label">Focal point</span>
        <input type="text" maxLength={200} value={fields.focalPoint} onChange={(e) => onChange({ focalPoint: e.target.value })} />
      </label>
    </div>
  );
}
