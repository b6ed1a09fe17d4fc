/**
 * Registers the evidence feature on the document page: the Evidence side panel, the clause gutter
 * badge (slot 30), the outline marker, and the store that keeps the open document's links live.
 * Imported once by the document page.
 */
import { can } from '@shared/permissions';
import { registerGutterItem } from '../editor/plugins/clauseGutter';
import { outlineBadges, sidePanels } from '../panels/registry';
import { useDocumentPage } from '../stores/documentPage';
import { EvidenceOutlineBadge } from './EvidenceOutlineBadge';
import { EvidencePanel } from './EvidencePanel';
import { evidenceGutterItem } from './gutter';
import { EVIDENCE_PANEL, followDocumentPage, useEvidence } from './store';
import './evidence.css';

let registered = false;

/** Adds the evidence panel, gutter badge and outline marker (once, however often it is called). */
export function registerEvidence(): void {
  if (registered) return;
  registered = true;
  sidePanels.push({
    id: EVIDENCE_PANEL,
    label: 'Evidence',
    visible: (role) => can(role, 'evidence.read'),
    shortcut: 'Mod-Alt-e',
    useBadge: () => {
      const clauseId = useDocumentPage((s) => s.ui.clauseId);
      return useEvidence((s) => (clauseId ? (s.byClause.get(clauseId)?.length ?? 0) : null));
    },
    component: EvidencePanel,
  });
  outlineBadges.push(EvidenceOutlineBadge);
  registerGutterItem(evidenceGutterItem);
  followDocumentPage();
}

registerEvidence();
