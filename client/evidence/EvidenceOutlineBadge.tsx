import { useEvidence } from './store';

/** In the outline: how many excerpts a clause rests on, or (for an objective) how many of its clauses rest on none. */
export function EvidenceOutlineBadge({ kind, id }: { kind: 'clause' | 'objective'; id: string }) {
  const count = useEvidence((s) => (kind === 'clause' ? (s.byClause.get(id)?.length ?? 0) : 0));
  if (kind !== 'clause' || count === 0) return null;
  return (
    <span className="outline-evidence" title={`${count} consultation excerpt${count === 1 ? '' : 's'}`} data-testid="outline-evidence">
      ❝{count}
    </span>
  );
}
