import { awarenessUser } from '../collab/presence';

/** Builds the caret of a remote user: a thin line in their role colour with their name above it. */
export function cursorBuilder(user: unknown): HTMLElement {
  const known = awarenessUser({ user });
  const color = known?.color ?? '#64748b';
  const cursor = document.createElement('span');
  cursor.className = 'accord-cursor';
  cursor.style.borderColor = color;
  const label = document.createElement('span');
  label.className = 'accord-cursor-label';
  label.style.backgroundColor = color;
  label.textContent = known?.name ?? 'Someone';
  cursor.append(label);
  return cursor;
}

/** The highlight of a remote user's selection: their colour, faint. */
export function selectionBuilder(user: unknown): { class: string; style: string } {
  const color = awarenessUser({ user })?.color ?? '#64748b';
  // Hex colour + "33" alpha is about 20 % opacity; only validated hex colours reach here.
  return { class: 'accord-selection', style: `background-color: ${color}33` };
}
