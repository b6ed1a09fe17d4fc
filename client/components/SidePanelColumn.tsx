import type { Role } from '@shared/permissions';
import { useEffect } from 'react';
import { displayKeys } from '../editor/keys';
import { type SidePanel, sidePanels } from '../panels/registry';
import { closePanel, togglePanel, usePanels } from '../stores/panels';

/** The panels offered to `role`. */
export function panelsFor(role: Role | null | undefined): SidePanel[] {
  if (!role) return [];
  return sidePanels.filter((p) => !p.visible || p.visible(role));
}

function PanelTab({ panel, active }: { panel: SidePanel; active: boolean }) {
  const badge = panel.useBadge?.() ?? null;
  const title = panel.shortcut ? `${panel.label} (${displayKeys(panel.shortcut)})` : panel.label;
  return (
    <button
      type="button"
      role="tab"
      aria-selected={active}
      className={active ? 'panel-tab is-active' : 'panel-tab'}
      title={title}
      data-testid={`panel-tab-${panel.id}`}
      onClick={() => togglePanel(panel.id)}
    >
      {panel.label}
      {badge !== null && badge > 0 && <span className="panel-tab-badge">{badge}</span>}
    </button>
  );
}

/** Matches a keyboard event against a ProseMirror-style key name such as "Mod-Alt-m". */
function matchesShortcut(event: KeyboardEvent, name: string): boolean {
  const parts = name.split('-');
  const key = parts.pop() ?? '';
  const want = new Set(parts);
  const isMac = /Mac|iP(hone|[oa]d)/.test(navigator.platform);
  const mod = isMac ? event.metaKey : event.ctrlKey;
  return (
    event.key.toLowerCase() === key.toLowerCase() &&
    mod === want.has('Mod') &&
    event.altKey === want.has('Alt') &&
    event.shiftKey === want.has('Shift')
  );
}

/** The tab strip of the side panels, shown in the document header. */
export function SidePanelTabs({ role }: { role: Role | null | undefined }) {
  const active = usePanels((s) => s.active);
  const panels = panelsFor(role);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && usePanels.getState().active && !event.defaultPrevented) {
        // Escape closes the panel only when focus is inside it (the editor keeps Escape otherwise).
        const inPanel = (event.target as HTMLElement | null)?.closest?.('.side-panel');
        if (inPanel) closePanel();
        return;
      }
      for (const panel of panels) {
        if (panel.shortcut && matchesShortcut(event, panel.shortcut)) {
          event.preventDefault();
          togglePanel(panel.id);
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panels]);

  if (panels.length === 0) return null;
  return (
    <div className="panel-tabs" role="tablist" aria-label="Side panels">
      {panels.map((panel) => (
        <PanelTab key={panel.id} panel={panel} active={panel.id === active} />
      ))}
    </div>
  );
}

/** The open side panel, or nothing. */
export function SidePanelColumn({ role }: { role: Role | null | undefined }) {
  const active = usePanels((s) => s.active);
  const panel = panelsFor(role).find((p) => p.id === active);
  if (!panel) return null;
  const Component = panel.component;
  return (
    <aside className="side-panel" aria-label={panel.label} data-testid={`panel-${panel.id}`}>
      <header className="side-panel-header">
        <h2 className="sidebar-heading">{panel.label}</h2>
        <button type="button" className="side-panel-close" aria-label="Close panel" onClick={closePanel}>
          ×
        </button>
      </header>
      <div className="side-panel-body">
        <Component />
      </div>
    </aside>
  );
}
