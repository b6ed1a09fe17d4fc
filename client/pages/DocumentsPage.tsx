import { useEffect } from 'react';
import { AppHeader } from '../components/AppHeader';
import { Link } from '../components/Link';
import { RoleBadge } from '../components/RoleBadge';
import { documentPath, roundsPath } from '../router';
import { useDocuments } from '../stores/documents';
import { EvidenceLibraryLinks } from '../evidence/EvidenceLibraryLinks';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatUpdated(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

/** The documents the user may read, with their role on each. */
export function DocumentsPage() {
  const { status, items, error, notice, load, dismissNotice } = useDocuments();
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page">
      <AppHeader />
      <main className="list-page">
        <h1>Documents</h1>
        {notice && (
          <div className="banner is-warning" role="alert">
            <span>{notice}</span>
            <button type="button" className="banner-dismiss" onClick={dismissNotice} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
        {status === 'loading' && <p className="muted">Loading documents…</p>}
        {status === 'error' && (
          <div className="banner is-error" role="alert">
            <span>{error}</span>
            <button type="button" className="quiet-button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        )}
        {status === 'ready' && items.length === 0 && (
          <div className="empty-state">
            <p>You are not a member of any document yet.</p>
            <p className="muted">Ask your Secretariat to add you to a dialogue.</p>
          </div>
        )}
        {items.length > 0 && (
          <ul className="document-list">
            {items.map((doc) => (
              <li key={doc.id}>
                <Link href={doc.role === 'validator' ? roundsPath(doc.id) : documentPath(doc.id)} className="document-link" data-testid="document-link">
                  <span className="document-title">{doc.title || 'Untitled document'}</span>
                  <span className="document-meta">
                    <span className="muted">{doc.dialogueName}</span>
                    {doc.updatedAt && <span className="muted">Updated {formatUpdated(doc.updatedAt)}</span>}
                  </span>
                  <RoleBadge role={doc.role} />
                </Link>
              </li>
            ))}
          </ul>
        )}
        <EvidenceLibraryLinks items={items} />
      </main>
    </div>
  );
}
