import type { Role } from '@shared/permissions';
import type { ComponentType } from 'react';

/**
 * A panel of the document page's right-hand column (comments, changes, evidence, versions …). Each
 * feature contributes its panel here; the page draws the tab strip and the open panel.
 */
export interface SidePanel {
  /** Stable id, also used in the URL hash (`#panel=<id>`) and by `openPanel`. */
  id: string;
  /** Tab label. */
  label: string;
  /** Whether the panel is offered to a member with `role` (the server enforces the rest). */
  visible?: (role: Role) => boolean;
  /** Key binding that toggles the panel, in ProseMirror notation ("Mod-Alt-m"); shown in the tab's title. */
  shortcut?: string;
  /** Small count shown on the tab (open threads, pending changes …); a hook, called while rendering. */
  useBadge?: () => number | null;
  component: ComponentType;
}

/** A small marker beside a clause or objective in the outline (status chip, thread count …). */
export type OutlineBadge = ComponentType<{ kind: 'clause' | 'objective'; id: string }>;

/** The side panels, in tab order. Features append their entry. */
export const sidePanels: SidePanel[] = [];

/** The outline markers, in display order. Features append their component. */
export const outlineBadges: OutlineBadge[] = [];
