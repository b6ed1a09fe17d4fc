import { outlineBadges } from '../panels/registry';
import { revealPosition, useDocumentPage } from '../stores/documentPage';

const maxClausePreview = 70;

function preview(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 'Empty clause';
  return trimmed.length > maxClausePreview ? `${trimmed.slice(0, maxClausePreview)}…` : trimmed;
}

/** The markers features add beside an outline entry (status, open threads …). */
function Badges({ kind, id }: { kind: 'clause' | 'objective'; id: string | null }) {
  if (!id || outlineBadges.length === 0) return null;
  return (
    <span className="outline-badges">
      {outlineBadges.map((Badge, i) => (
        // The registry is fixed at build time, so the index is a stable key.
        <Badge key={i} kind={kind} id={id} />
      ))}
    </span>
  );
}

/** The objectives and clauses with their computed numbers; a click scrolls the editor there. */
export function Outline() {
  const outline = useDocumentPage((s) => s.outline);
  if (!outline) return null;
  if (outline.objectives.length === 0) return <p className="outline-empty">No objectives yet.</p>;
  return (
    <nav className="outline" aria-label="Outline">
      <ol>
        {outline.objectives.map((objective) => (
          <li key={objective.id ?? `pos-${objective.pos}`} className="outline-objective">
            <button type="button" onClick={() => revealPosition(objective.pos)}>
              <span className="outline-number">{objective.number}</span>
              <span className="outline-text">{objective.heading.trim() || 'Untitled objective'}</span>
              <Badges kind="objective" id={objective.id} />
            </button>
            {objective.clauses.length > 0 && (
              <ol>
                {objective.clauses.map((clause) => (
                  <li key={clause.id ?? `pos-${clause.pos}`} className="outline-clause">
                    <button
                      type="button"
                      onClick={() => revealPosition(clause.pos)}
                      data-clause-id={clause.id ?? undefined}
                    >
                      <span className="outline-number">{clause.number}</span>
                      <span className="outline-text">{preview(clause.text)}</span>
                      <Badges kind="clause" id={clause.id} />
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
