import { can } from '@shared/permissions';
import { sidePanels } from './registry';
import { VersionsPanel } from './VersionsPanel';

// The Versions panel: timeline, freeze, compare, export, restore (issue 6).
if (!sidePanels.some((p) => p.id === 'versions')) {
  sidePanels.push({
    id: 'versions',
    label: 'Versions',
    visible: (role) => can(role, 'document.readLive'),
    shortcut: 'Mod-Alt-v',
    component: VersionsPanel,
  });
}
