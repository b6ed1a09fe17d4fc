/**
 * Registers the negotiation features on the document page: the Changes, Status and Brackets panels,
 * the status chip in each clause's gutter (slot 10) and the status markers of the outline.
 */
import { clauseStatuses } from '@shared/permissions';
import { registerGutterItem } from '../editor/plugins/clauseGutter';
import { outlineBadges, sidePanels } from '../panels/registry';
import { useDocumentPage } from '../stores/documentPage';
import { openPanel } from '../stores/panels';
import { useNegotiation } from '../stores/negotiation';
import { BracketsPanel } from './BracketsPanel';
import { ChangesPanel, usePendingCount } from './ChangesPanel';
import { statusColors, statusLabels } from './status';
import { StatusPanel } from './StatusPanel';
import './negotiation.css';

let registered = false;

function OutlineStatus({ kind, id }: { kind: 'clause' | 'objective'; id: string }) {
  const statuses = useNegotiation((s) => s.statuses);
  const outline = useDocumentPage((s) => s.outline);
  if (kind === 'clause') {
    const record = statuses.get(id);
    const status = record?.status ?? 'draft';
    return (
      <span
        className="outline-status"
        style={{ ['--status-color' as string]: statusColors[status] }}
        title={`${statusLabels[status]}${record?.proposal ? ` (proposed: ${statusLabels[record.proposal.to]})` : ''}`}
        data-status={status}
      />
    );
  }
  const objective = outline?.objectives.find((o) => o.id === id);
  if (!objective || objective.clauses.length === 0) return null;
  const counts = clauseStatuses.map((s) => [s, objective.clauses.filter((c) => (c.id ? (statuses.get(c.id)?.status ?? 'draft') : 'draft') === s).length] as const);
  const agreed = counts.find(([s]) => s === 'agreed')?.[1] ?? 0;
  return (
    <span className="outline-counts" title={counts.filter(([, n]) => n > 0).map(([s, n]) => `${n} ${statusLabels[s].toLowerCase()}`).join(', ')}>
      {agreed}/{objective.clauses.length}
    </span>
  );
}

/** Adds the panels, gutter item and outline badges once. */
export function registerNegotiation(): void {
  if (registered) return;
  registered = true;
  sidePanels.push(
    {
      id: 'changes',
      label: 'Changes',
      shortcut: 'Mod-Alt-c',
      useBadge: usePendingCount,
      component: ChangesPanel,
    },
    { id: 'status', label: 'Status', shortcut: 'Mod-Alt-s', component: StatusPanel },
    { id: 'brackets', label: 'Brackets', shortcut: 'Mod-Alt-b', component: BracketsPanel },
  );
  outlineBadges.push(OutlineStatus);
  registerGutterItem({
    key: 'status',
    order: 10,
    signature: (clauseId) => {
      const record = useNegotiation.getState().statuses.get(clauseId);
      return `${record?.status ?? 'draft'}:${record?.proposal?.to ?? ''}`;
    },
    render: (clauseId) => {
      const record = useNegotiation.getState().statuses.get(clauseId);
      const status = record?.status ?? 'draft';
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'status-chip gutter-status';
      chip.dataset.status = status;
      chip.dataset.testid = 'gutter-status';
      chip.style.setProperty('--status-color', statusColors[status]);
      chip.textContent = statusLabels[status] + (record?.proposal ? ' •' : '');
      chip.title = record?.proposal
        ? `${statusLabels[status]} — ${record.proposal.byName ?? 'a drafter'} proposes ${statusLabels[record.proposal.to]}`
        : `${statusLabels[status]} — click for status and history`;
      chip.addEventListener('mousedown', (e) => e.preventDefault());
      chip.addEventListener('click', () => openPanel('status', clauseId));
      return chip;
    },
  });
}
