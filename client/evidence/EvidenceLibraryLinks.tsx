import type { DocumentSummary } from '@shared/api/documents';
import { can } from '@shared/permissions';
import { Link } from '../components/Link';
import { libraryPath } from './format';

/** On the documents page: a link to the evidence library of each dialogue the user may read evidence in. */
export function EvidenceLibraryLinks({ items }: { items: readonly DocumentSummary[] }) {
  const dialogues = new Map<string, string>();
  for (const doc of items) if (can(doc.role, 'evidence.read')) dialogues.set(doc.dialogueId, doc.dialogueName);
  if (dialogues.size === 0) return null;
  return (
    <section className="dialogue-links" aria-label="Evidence libraries" style={{ marginTop: '2rem' }}>
      <h2 className="sidebar-heading">Evidence libraries</h2>
      <ul className="document-list">
        {[...dialogues].map(([id, name]) => (
          <li key={id}>
            <Link href={libraryPath(id)} className="document-link" data-testid="evidence-library-link">
              <span className="document-title">Consultation reports</span>
              <span className="document-meta">
                <span className="muted">{name}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
