import type { ExportFormat } from '@shared/api/versions';
import { useEffect, useRef, useState } from 'react';
import { downloadExport, type ExportOptions, type ExportProgress, versionsApi } from '../../api/versions';

const formats: { id: ExportFormat; label: string }[] = [
  { id: 'docx', label: 'Word (DOCX)' },
  { id: 'pdf', label: 'PDF' },
  { id: 'md', label: 'Markdown' },
  { id: 'html', label: 'HTML' },
  { id: 'akn', label: 'Akoma Ntoso XML' },
];

function progressText(progress: ExportProgress | null): string {
  if (!progress) return '';
  if (progress.phase === 'preparing') return 'Preparing the file…';
  if (progress.phase === 'done') return 'Downloaded.';
  const kb = Math.round(progress.received / 1024);
  return progress.total ? `Downloading… ${Math.round((100 * progress.received) / progress.total)}%` : `Downloading… ${kb} KB`;
}

/**
 * Exports a version or the live draft: a format, the optional contents the text has (statuses,
 * open threads, the record-of-consultation annex), and a progress bar while the file is made and
 * downloaded (cancellable).
 */
export function ExportDialog({
  documentId,
  versionId,
  label,
  onClose,
}: {
  documentId: string;
  versionId: string | null;
  label: string;
  onClose: () => void;
}) {
  const [format, setFormat] = useState<ExportFormat>('docx');
  const [available, setAvailable] = useState<ExportOptions | null>(null);
  const [chosen, setChosen] = useState({ status: true, annex: false, threads: false });
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    let live = true;
    versionsApi
      .exportOptions(documentId, versionId)
      .then((options) => live && setAvailable(options))
      .catch(() => live && setAvailable({ status: false, annex: false, threads: false }));
    return () => {
      live = false;
      abort.current?.abort();
    };
  }, [documentId, versionId]);

  const busy = progress !== null && progress.phase !== 'done';
  const start = async () => {
    abort.current = new AbortController();
    setError(null);
    try {
      await downloadExport(
        {
          documentId,
          versionId,
          format,
          status: chosen.status && !!available?.status,
          annex: chosen.annex && !!available?.annex,
          threads: chosen.threads && !!available?.threads,
        },
        setProgress,
        abort.current.signal,
      );
    } catch (err) {
      setProgress(null);
      if (!abort.current.signal.aborted) setError(err instanceof Error ? err.message : 'The export failed.');
    }
  };

  const option = (key: keyof ExportOptions, text: string) => (
    <label className={available && !available[key] ? 'is-unavailable' : ''} title={available && !available[key] ? 'Not available for this text' : undefined}>
      <input
        type="checkbox"
        checked={chosen[key] && !!available?.[key]}
        disabled={!available?.[key] || busy}
        onChange={(e) => setChosen((c) => ({ ...c, [key]: e.target.checked }))}
      />
      {text}
    </label>
  );

  const percent =
    progress?.phase === 'downloading' && progress.total ? Math.round((100 * progress.received) / progress.total) : progress?.phase === 'done' ? 100 : null;

  return (
    <div className="export-dialog" role="dialog" aria-label={`Export ${label}`} data-testid="export-dialog">
      <h3>Export {label}</h3>
      <fieldset disabled={busy}>
        <legend>Format</legend>
        {formats.map((f) => (
          <label key={f.id}>
            <input type="radio" name="export-format" value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} />
            {f.label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Include</legend>
        {option('status', 'Clause status')}
        {option('threads', 'Open comment threads')}
        {option('annex', 'Record of consultation (annex)')}
      </fieldset>
      {progress && (
        <div className="export-progress" aria-live="polite">
          <progress max={100} value={percent ?? undefined} />
          <span data-testid="export-progress">{progressText(progress)}</span>
        </div>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="form-actions">
        {busy ? (
          <button type="button" className="link-button" onClick={() => abort.current?.abort()}>
            Cancel export
          </button>
        ) : (
          <button type="button" className="primary-button" onClick={() => void start()} data-testid="export-start">
            Export
          </button>
        )}
        <button type="button" className="link-button" onClick={onClose} disabled={busy}>
          Close
        </button>
      </div>
    </div>
  );
}
