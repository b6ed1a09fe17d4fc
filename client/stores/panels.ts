import { create } from 'zustand';

/** Which side panel of the document page is open, and what it was opened for. */
export interface PanelsState {
  /** Id of the open panel (see `client/panels/registry.ts`), or null when the column is closed. */
  active: string | null;
  /**
   * What the panel should show first, set by whoever opened it (a clause id for the evidence panel,
   * a thread id for comments …). Its meaning belongs to the panel; it is cleared when another opens.
   */
  focus: string | null;
}

/** The side panel store. */
export const usePanels = create<PanelsState>(() => ({ active: null, focus: null }));

/** Opens panel `id`, optionally focused on something it understands (a clause id, a thread id …). */
export function openPanel(id: string, focus: string | null = null): void {
  usePanels.setState({ active: id, focus });
}

/** Opens panel `id`, or closes it when it is already the open one. */
export function togglePanel(id: string): void {
  usePanels.setState((s) => (s.active === id ? { active: null, focus: null } : { active: id, focus: null }));
}

/** Closes the side column. */
export function closePanel(): void {
  usePanels.setState({ active: null, focus: null });
}
