import { can, type Role } from '@shared/permissions';
import type { EditorView } from 'prosemirror-view';
import { modeOf, setEditorMode } from '../editor/plugins/trackChanges';
import { getEditorView } from '../stores/documentPage';
import { currentSettings, type EditorMode, notify, useNegotiation } from '../stores/negotiation';

/** Whether the document's policy forces `role` to suggest. */
export function suggestingForced(role: Role | null | undefined): boolean {
  return role === 'drafter' && currentSettings().requireSuggestingForDrafters;
}

/** The mode an editor opens in for `role`: Suggesting when forced, else the last mode chosen. */
export function initialMode(role: Role): EditorMode {
  if (!can(role, 'document.edit')) return 'viewing';
  if (suggestingForced(role)) return 'suggesting';
  const chosen = useNegotiation.getState().mode;
  return chosen;
}

/** Switches the open editor to `mode` (Editing is refused while the policy forces suggesting). */
export function switchMode(mode: EditorMode, view: EditorView | null = getEditorView()): void {
  if (!view) return;
  setEditorMode(view, mode);
  const applied = modeOf(view.state).mode;
  useNegotiation.setState({ mode: applied });
  if (applied !== mode) notify('error', 'The Secretariat requires drafters to suggest changes: Editing is not available.');
  view.focus();
}

/** Applies a policy change to the open editor: forces Suggesting, or lifts it. */
export function applyPolicy(role: Role, view: EditorView | null = getEditorView()): void {
  if (!view) return;
  const forced = suggestingForced(role);
  const current = modeOf(view.state);
  if (current.forced === forced) return;
  setEditorMode(view, forced ? 'suggesting' : current.mode, forced);
  useNegotiation.setState({ mode: modeOf(view.state).mode });
  if (forced) notify('info', 'The Secretariat now requires drafters to suggest changes: your edits are tracked.');
}
