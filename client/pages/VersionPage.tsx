import type { VersionDetail } from '@shared/api/versions';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { DocumentMeta } from '../api/schemas';
import { contentFileUrl, versionsApi } from '../api/versions';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { ExportDialog } from '../components/versions/ExportDialog';
import { FrozenText } from '../components/versions/FrozenText';
import { formatDate, HashText } from '../components/versions/HashText';
import { can } from '@shared/permissions';
import { comparePath, documentPath, roundsPath } from '../router';

type Loaded = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; meta: DocumentMeta; detail: VersionDetail };

/** One frozen version, read-only, rendered as it was frozen, with its provenance and hash. */
export function VersionPage({ documentId, versionId }: { documentId: string; versionId: string }) {
  const [state, setState] = useState<Loaded>({ status: 'loading' });
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    Promise.all([api.getDocument(documentId), versionsApi.get(documentId, versionId)])
      .then(([meta, detail]) => live && setState({ status: 'ready', meta, detail }))
      .catch((error: unknown) => {
        if (!live) return;
        const message =
          error instanceof ApiError && error.status === 404
            ? 'This version does not exist, or you are not a member of its dialogue.'
            : error instanceof Error
              ? error.message
              : 'The version could not be opened.';
        setState({ status: 'error', message });
      });
    return () => {
      live = false;
    };
  }, [documentId, versionId]);

  useEffect(() => {
    if (state.status === 'ready') document.title = `${state.detail.version.label} — ${state.meta.title} — Accord`;
    return () => {
      document.title = 'Accord';
    };
  }, [state]);

  if (state.status !== 'ready') {
    return (
      <div className="page">
        <AppHeader />
        <main className="list-page">
          <div className="empty-state">
            <p>{state.status === 'loading' ? 'Opening the version…' : state.message}</p>
            <Link href="/">Back to documents</Link>
          </div>
        </main>
      </div>
    );
  }
  const { meta, detail } = state;
  const { version, content } = detail;
  return (
    <div className="page version-page">
      <AppHeader>
        <div className="doc-header">
          {can(meta.role, 'document.readLive') ? (
            <Link href={documentPath(documentId)} className="back-link">
              ← Live draft
            </Link>
          ) : (
            <Link href={roundsPath(documentId)} className="back-link">
              ← Validation rounds
            </Link>
          )}
          <h1 className="doc-title">
            {meta.title} — <span data-testid="version-label">{version.label}</span>
          </h1>
          <span className="frozen-badge">Frozen · read-only</span>
        </div>
      </AppHeader>
      <main className="version-main">
        <section className="provenance-card" aria-label="About this version">
          <dl>
            <dt>Version</dt>
            <dd>
              {version.label}
              {version.meeting ? ` — ${version.meeting}` : ''}
            </dd>
            <dt>Frozen</dt>
            <dd>
              {formatDate(version.frozenAt)}
              {version.frozenBy.name ? ` by ${version.frozenBy.name}` : ''}
            </dd>
            {version.note && (
              <>
                <dt>Note</dt>
                <dd>{version.note}</dd>
              </>
            )}
            <dt>SHA-256</dt>
            <dd>
              <HashText hash={version.hash} full />
            </dd>
          </dl>
          <p className="muted">
            The SHA-256 covers this version's text, numbering, clause statuses, open threads and who froze it when.
            Anyone holding the <a href={contentFileUrl(documentId, version.id)} download>content file</a> can check it is
            the text tabled: <code>sha256sum</code> on the file prints this same value (see “Check a version file” in the
            Versions panel, or <code>npm run verify-version</code>).
          </p>
          <div className="version-links">
            {can(meta.role, 'document.readLive') && (
              <Link href={comparePath(documentId, version.id, 'live')}>Compare with live draft</Link>
            )}
            <button type="button" className="link-button" onClick={() => setExporting(true)} data-testid="version-export">
              Export…
            </button>
          </div>
          {exporting && (
            <ExportDialog documentId={documentId} versionId={version.id} label={version.label} onClose={() => setExporting(false)} />
          )}
        </section>
        <FrozenText doc={content.doc} numbering={content.numbering} />
      </main>
    </div>
  );
}
