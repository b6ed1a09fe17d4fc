import { MAX_IMPORT_BYTES } from '@shared/api/evidence';
import { useRef, useState } from 'react';
import { evidenceApi, importReport, type UploadPhase } from '../../api/evidence';
import { ReportFields, type ReportFieldValues } from './ReportReader';

const accepted = '.txt,.text,.md,.markdown,.docx,.pdf,text/plain,text/markdown,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** What the progress indicator says about an upload. */
function describePhase(phase: UploadPhase): { label: string; fraction: number | null } {
  if (phase.phase === 'uploading') {
    const fraction = phase.total > 0 ? phase.loaded / phase.total : null;
    return { label: `Uploading… ${Math.round((fraction ?? 0) * 100)}% of ${megabytes(phase.total)}`, fraction };
  }
  const p = phase.progress;
  if (p?.state === 'extracting' && p.pages && p.pages.total > 0) {
    return { label: `Extracting the text… page ${p.pages.done} of ${p.pages.total}`, fraction: p.pages.done / p.pages.total };
  }
  if (p?.state === 'saving') return { label: 'Saving the report…', fraction: 1 };
  return { label: 'Extracting the text…', fraction: null };
}

/**
 * Adding a report to the library: import a file (plain text, Markdown, Word or PDF, with a progress
 * indicator for the upload and the text extraction) or type or paste the text by hand.
 */
export function AddReport({
  dialogueId,
  countries,
  onCreated,
  onCancel,
}: {
  dialogueId: string;
  countries: readonly string[];
  onCreated: (reportId: string) => void;
  onCancel: () => void;
}) {
  const [mode, setMode] = useState<'file' | 'text'>('file');
  const [fields, setFields] = useState<ReportFieldValues>({ title: '', country: '', kind: 'national_consultation', focalPoint: '', date: today() });
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [phase, setPhase] = useState<UploadPhase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const chooseFile = (chosen: File | null) => {
    setError(null);
    if (chosen && chosen.size > MAX_IMPORT_BYTES) {
      setError(`This file is ${megabytes(chosen.size)}; Accord imports files up to ${megabytes(MAX_IMPORT_BYTES)}.`);
      setFile(null);
      return;
    }
    setFile(chosen);
  };

  const submit = async () => {
    setError(null);
    setBusy(true);
    try {
      if (mode === 'file') {
        if (!file) throw new Error('Choose a file to import.');
        abort.current = new AbortController();
        const id = await importReport(dialogueId, file, { ...fields, title: fields.title.trim() || undefined }, setPhase, abort.current.signal);
        onCreated(id);
      } else {
        const report = await evidenceApi.createReport(dialogueId, { ...fields, text });
        onCreated(report.id);
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The report could not be added.');
    } finally {
      setBusy(false);
      setPhase(null);
      abort.current = null;
    }
  };

  const progress = phase ? describePhase(phase) : null;

  return (
    <form
      className="add-report"
      data-testid="add-report"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 className="report-title">Add a consultation report</h2>
      <div className="segmented" role="tablist" aria-label="How to add the report">
        <button type="button" role="tab" aria-selected={mode === 'file'} className={mode === 'file' ? 'is-active' : ''} onClick={() => setMode('file')}>
          Import a file
        </button>
        <button type="button" role="tab" aria-selected={mode === 'text'} className={mode === 'text' ? 'is-active' : ''} onClick={() => setMode('text')}>
          Type or paste
        </button>
      </div>
      <ReportFields fields={fields} onChange={(change) => setFields({ ...fields, ...change })} titleOptional={mode === 'file'} countries={countries} />
      {mode === 'file' ? (
        <label
          className={file ? 'drop-zone has-file' : 'drop-zone'}
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            chooseFile(e.dataTransfer.files[0] ?? null);
          }}
        >
          <input type="file" accept={accepted} onChange={(e) => chooseFile(e.target.files?.[0] ?? null)} data-testid="report-file-input" />
          <span>{file ? `${file.name} — ${megabytes(file.size)}` : 'Drop a file here or choose one: .txt, .md, .docx or .pdf, up to 20 MB'}</span>
        </label>
      ) : (
        <label className="field is-wide">
          <span className="field-label">Text of the report</span>
          <textarea rows={10} value={text} onChange={(e) => setText(e.target.value)} required data-testid="report-text-input" />
        </label>
      )}
      {progress && (
        <div className="import-progress" role="status" aria-live="polite" data-testid="import-progress">
          <progress max={1} value={progress.fraction ?? undefined} />
          <span>{progress.label}</span>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="add-report-error">
          {error}
        </p>
      )}
      <div className="row-actions">
        <button type="submit" className="primary-button" disabled={busy} data-testid="add-report-submit">
          {busy ? 'Adding…' : mode === 'file' ? 'Import report' : 'Add report'}
        </button>
        {busy && phase?.phase === 'uploading' ? (
          <button type="button" className="quiet-button" onClick={() => abort.current?.abort()}>
            Cancel upload
          </button>
        ) : (
          // Once the file is in, the server finishes the import whatever happens here.
          <button type="button" className="quiet-button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
