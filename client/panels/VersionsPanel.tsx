import type { VersionSummary } from '@shared/api/versions';
import { can } from '@shared/permissions';
import { useState } from 'react';
import { contentFileUrl, versionsApi } from '../api/versions';
import { Link } from '../components/Link';
import { ExportDialog } from '../components/versions/ExportDialog';
import { FreezeForm } from '../components/versions/FreezeForm';
import { formatDate, HashText } from '../components/versions/HashText';
import { VerifyFile } from '../components/versions/VerifyFile';
import { comparePath, roundsPath, versionPath } from '../router';
import { useDocumentPage } from '../stores/documentPage';
import { loadVersions, useVersions } from '../stores/versions';

/** Asks before restoring: the live text becomes the version's, as a new edit everyone sees. */
function RestoreConfirm({ documentId, version, onDone }: { documentId: string; version: VersionSummary; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const restore = async () => {
    setBusy(true);
    try {
      await versionsApi.restore(documentId, version.id);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The version could not be restored.');
      setBusy(false);
    }
  };
  return (
    <div className="confirm-box" role="alertdialog" aria-label={`Restore ${version.label}`}>
      <p>
        Make the live draft equal to <strong>{version.label}</strong>? This is a new edit on top of the current
        text: everyone sees it at once, nothing is erased from the history, and the current text stays
        recoverable by freezing it first or comparing afterwards.
      </p>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="form-actions">
        <button type="button" className="primary-button" onClick={() => void restore()} disabled={busy} data-testid="restore-confirm">
          {busy ? 'Restoring…' : `Restore ${version.label}`}
        </button>
        <button type="button" className="link-button" onClick={onDone} disabled={busy}>
          Cancel
        </button>
      </div>
    </div>
  );
}

type Open = { kind: 'freeze' } | { kind: 'export'; versionId: string | null; label: string } | { kind: 'restore'; version: VersionSummary } | null;

/** The Versions side panel: the timeline, freezing, comparing, exporting, restoring and checking files. */
export function VersionsPanel() {
  const documentId = useDocumentPage((s) => s.documentId);
  const role = useDocumentPage((s) => s.meta?.role);
  const { status, items, error, numbering } = useVersions();
  const [open, setOpen] = useState<Open>(null);
  // The setting as just chosen, shown at once while the server applies it.
  const [pendingBis, setPendingBis] = useState<boolean | null>(null);
  const [numberingError, setNumberingError] = useState<string | null>(null);
  if (!documentId) return null;
  const newestFirst = [...items].reverse();

  const toggleBis = async (on: boolean) => {
    setPendingBis(on);
    setNumberingError(null);
    try {
      useVersions.setState({ numbering: await versionsApi.setBisNumbering(documentId, on) });
    } catch (err) {
      setNumberingError(err instanceof Error ? err.message : 'The numbering could not be changed.');
    } finally {
      setPendingBis(null);
    }
  };

  return (
    <div className="versions-panel">
      <div className="versions-actions">
        {can(role, 'version.freeze') && (
          <button type="button" className="primary-button" onClick={() => setOpen({ kind: 'freeze' })} data-testid="freeze-open">
            Freeze version…
          </button>
        )}
        <button type="button" className="link-button" onClick={() => setOpen({ kind: 'export', versionId: null, label: 'the live draft' })}>
          Export live draft…
        </button>
      </div>

      {open?.kind === 'freeze' && (
        <FreezeForm
          documentId={documentId}
          versions={items}
          onDone={(version) => {
            setOpen(null);
            if (version) void loadVersions(documentId);
          }}
        />
      )}
      {open?.kind === 'export' && (
        <ExportDialog documentId={documentId} versionId={open.versionId} label={open.label} onClose={() => setOpen(null)} />
      )}
      {open?.kind === 'restore' && <RestoreConfirm documentId={documentId} version={open.version} onDone={() => setOpen(null)} />}

      {status === 'loading' && <p className="muted">Loading versions…</p>}
      {status === 'error' && (
        <p className="form-error" role="alert">
          {error} <button type="button" className="link-button" onClick={() => void loadVersions(documentId)}>Retry</button>
        </p>
      )}
      {status === 'ready' && items.length === 0 && (
        <p className="muted empty-versions">
          No version has been frozen yet. {can(role, 'version.freeze') ? 'Freeze the draft before a meeting to table it as "Zero draft".' : 'The Secretariat freezes the draft before each meeting.'}
        </p>
      )}

      <ol className="version-timeline" data-testid="version-timeline">
        {newestFirst.map((v, i) => {
          const previous = newestFirst[i + 1];
          return (
            <li key={v.id} className="version-item" data-testid="version-item" data-label={v.label}>
              <div className="version-head">
                <Link href={versionPath(documentId, v.id)} className="version-label">
                  {v.label}
                </Link>
                {v.meeting && <span className="muted"> · {v.meeting}</span>}
              </div>
              <div className="muted version-meta">
                Frozen {formatDate(v.frozenAt)}
                {v.frozenBy.name ? ` by ${v.frozenBy.name}` : ''}
              </div>
              {v.note && <p className="version-note">{v.note}</p>}
              <div className="version-meta">
                SHA-256 <HashText hash={v.hash} />
              </div>
              <div className="version-links">
                <Link href={comparePath(documentId, v.id, 'live')} data-testid="compare-with-live">
                  Compare with live draft
                </Link>
                {previous && <Link href={comparePath(documentId, previous.id, v.id)}>Compare with {previous.label}</Link>}
                <button type="button" className="link-button" onClick={() => setOpen({ kind: 'export', versionId: v.id, label: v.label })}>
                  Export…
                </button>
                <a href={contentFileUrl(documentId, v.id)} download>
                  Content file
                </a>
                {can(role, 'version.restore') && (
                  <button type="button" className="link-button" onClick={() => setOpen({ kind: 'restore', version: v })}>
                    Restore…
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>

      {items.length > 0 && <VerifyFile versions={items} />}
      <Link href={roundsPath(documentId)}>Validation rounds</Link>

      <div className="numbering-setting">
        {can(role, 'document.setPolicy') ? (
          <label>
            <input
              type="checkbox"
              checked={pendingBis ?? numbering?.bisNumbering ?? false}
              disabled={pendingBis !== null || !numbering}
              onChange={(e) => void toggleBis(e.target.checked)}
              data-testid="bis-numbering"
            />
            Number insertions “bis”, “ter” until the next freeze
          </label>
        ) : (
          numbering?.bisNumbering && <p className="muted">Insertions are numbered “bis”, “ter” until the next freeze.</p>
        )}
        {numberingError && <p className="form-error" role="alert">{numberingError}</p>}
        {numbering?.bisNumbering && numbering.basedOn && (
          <p className="muted">Numbers follow {numbering.basedOn.label}; the next freeze renumbers.</p>
        )}
      </div>
    </div>
  );
}
