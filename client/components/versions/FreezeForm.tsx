import type { VersionSummary } from '@shared/api/versions';
import { type FormEvent, useState } from 'react';
import { versionsApi } from '../../api/versions';

/** The next label in the "Zero draft", "Rev.1", "Rev.2" … sequence. */
export function suggestLabel(versions: readonly VersionSummary[]): string {
  if (versions.length === 0) return 'Zero draft';
  const revs = versions.map((v) => /^Rev\.(\d+)$/i.exec(v.label)?.[1]).filter((n): n is string => !!n).map(Number);
  return `Rev.${revs.length > 0 ? Math.max(...revs) + 1 : versions.length}`;
}

/** Freezes the live draft as a version: label, meeting, note. */
export function FreezeForm({
  documentId,
  versions,
  onDone,
}: {
  documentId: string;
  versions: readonly VersionSummary[];
  onDone: (version: VersionSummary | null) => void;
}) {
  const [label, setLabel] = useState(() => suggestLabel(versions));
  const [meeting, setMeeting] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!label.trim()) {
      setError('Give the version a label, for example "Rev.1".');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await versionsApi.freeze(documentId, { label, meeting, note }));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The version could not be frozen.');
      setBusy(false);
    }
  };

  return (
    <form className="freeze-form" onSubmit={(e) => void submit(e)} data-testid="freeze-form">
      <p className="muted">
        Freezing records the live draft exactly as it stands now, with its numbering, clause statuses and open
        threads. A version can never be changed afterwards.
      </p>
      <label>
        Label
        <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} data-testid="freeze-label" autoFocus />
      </label>
      <label>
        Meeting <span className="muted">(optional)</span>
        <input value={meeting} onChange={(e) => setMeeting(e.target.value)} maxLength={200} placeholder="Second plenary, Veloria" data-testid="freeze-meeting" />
      </label>
      <label>
        Note <span className="muted">(optional)</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={2} />
      </label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy} data-testid="freeze-submit">
          {busy ? 'Freezing…' : 'Freeze version'}
        </button>
        <button type="button" className="link-button" onClick={() => onDone(null)} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
